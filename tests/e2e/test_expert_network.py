import pytest
from playwright.sync_api import Page, expect

from cms.services.site import site_tree_ensure
from demo.experts import seed_expert_directory
from tests.factories import ExpertFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = (
    "name,title,organisation,county,city,email,phone,languages,assip,adoassip,home,status,"
    "public_listing_consent\n"
)


def sheet(bad: bool) -> str:
    rows = [
        f"Expert {n},Psykologi,Hyvinvointialue,Pirkanmaa,Tampere,e{n}@example.invalid,,fi,x,,,,x"
        for n in range(48)
    ]
    rows.append(
        "Sara Holmström,Psykolog,Välfärdsområde Österbotten,"
        + ("Narnia" if bad else "Pohjanmaa")
        + ",Jakobstad,sara@example.invalid,,sv;fi,,x,,,x"
    )
    rows.append(
        "Frida Finne,Psykologi,Pohjanmaan hva,Pohjanmaa,Vaasa,"
        + ("frida-at-example" if bad else "frida@example.invalid")
        + ",,fi,,x,,,x"
    )
    return HEADER + "\n".join(rows) + "\n"


def test_coordinator_imports_a_sheet_fixes_two_rows_and_a_visitor_finds_the_expert(
    live_server, page: Page, tmp_path
):
    site_tree_ensure()
    seed_expert_directory()
    UserFactory(username="netcoord", is_staff=True, is_superuser=True)
    ExpertFactory(name="Other County", county="lappi", languages=["sv"], practises_adoassip=True)

    page.set_extra_http_headers({"Accept-Language": "fi"})
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("input[name=username]").fill("netcoord")
    page.locator("input[name=password]").fill("test-password-123")
    page.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/expert_network/import/")
    broken = tmp_path / "experts.csv"
    broken.write_text(sheet(bad=True), encoding="utf-8")
    page.get_by_label("CSV- tai Excel-tiedosto").set_input_files(str(broken))
    page.get_by_role("button", name="Tarkista tiedosto").click()
    expect(page.locator("[data-count=invalid]")).to_have_text("2")
    expect(page.get_by_role("table")).to_contain_text("Narnia")
    expect(page.get_by_role("button", name="Vahvista tuonti")).to_have_count(0)

    fixed = tmp_path / "experts-fixed.csv"
    fixed.write_text(sheet(bad=False), encoding="utf-8")
    page.get_by_role("link", name="Lataa toinen tiedosto").click()
    page.get_by_label("CSV- tai Excel-tiedosto").set_input_files(str(fixed))
    page.get_by_role("button", name="Tarkista tiedosto").click()
    expect(page.locator("[data-count=new]")).to_have_text("50")
    page.get_by_role("button", name="Vahvista tuonti").click()
    expect(page.get_by_text("Tuotu: 50 uutta")).to_be_visible()

    page.goto(f"{live_server.url}/sv/linity-assip-sv/")
    page.get_by_role("combobox", name="Välfärdsområde").select_option(label="Österbotten")
    page.get_by_role("combobox", name="Språk").select_option(value="sv")
    page.get_by_role("combobox", name="Behandlingsform").select_option(label="AdoASSIP för unga")
    page.get_by_role("button", name="Visa experter").click()

    results = page.locator(".expert-card")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Sara Holmström")
    expect(results.first).to_contain_text("Jakobstad")
    expect(page.locator(".helpline-bar")).to_contain_text("09 2525 0112")


def test_a_large_import_shows_its_progress_and_the_page_turns_into_the_preview(
    live_server, page: Page
):
    """The worker checks the file while the coordinator watches: the page's own script (no
    inline script, CSP) polls the progress and shows the preview once the check is done."""
    from cms.models import SheetImport
    from cms.services.sheet_imports import sheet_import_check

    site_tree_ensure()
    user = UserFactory(username="netcoord", is_staff=True, is_superuser=True)
    content = sheet(bad=False).encode()
    waiting = SheetImport.objects.create(
        kind="experts", filename="iso.csv", content=content, user=user, rows_total=50
    )
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.set_extra_http_headers({"Accept-Language": "fi"})
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("input[name=username]").fill("netcoord")
    page.locator("input[name=password]").fill("test-password-123")
    page.locator("button[type=submit]").click()

    page.goto(f"{live_server.url}/admin/imports/{waiting.pk}/")
    expect(page.locator("[data-progress-label]")).to_have_text("Tiedostoa tarkistetaan")
    expect(page.locator("[data-progress-bar]")).to_have_attribute("value", "0")
    sheet_import_check(import_id=waiting.pk)  # the worker
    expect(page.get_by_role("button", name="Vahvista tuonti")).to_be_visible(timeout=15000)
    expect(page.locator("[data-count=new]")).to_have_text("50")
    page.goto(f"{live_server.url}/admin/imports/")
    expect(page.get_by_role("link", name="iso.csv")).to_be_visible()
    assert errors == []
