import io
import re
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from network.models import Expert
from tests.factories import ExpertFactory, SupervisionSessionFactory, TrainingFactory, UserFactory
from tests.spreadsheets import finnish_excel_dicts

pytestmark = pytest.mark.django_db

HEADER = (
    "name,title,organisation,county,city,email,phone,languages,assip,adoassip,home,status,"
    "public_listing_consent\n"
)


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="netcoord", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def upload(client, content: bytes, name: str = "experts.csv"):
    """Upload, then the import's own page (the preview) as the coordinator lands on it."""
    return client.post(
        reverse("expert_network:import"),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
        follow=True,
    )


def preview_of(response) -> SimpleNamespace:
    report = response.context["report"]
    return SimpleNamespace(counts=report["counts"], problems=report["problems"])


def confirm(client, response):
    pk = response.context["sheet_import"].pk
    return client.post(reverse("cms_sheet_import_confirm", args=[pk]))


def test_expert_list_filters_by_language_variant_and_keeping_up(
    admin_client, django_assert_max_num_queries
):
    svenska = ExpertFactory(name="Sara Svensson", languages=["sv"], practises_adoassip=True)
    for _ in range(4):
        SupervisionSessionFactory(attendees=[svenska])
    ExpertFactory(name="Pekka Pirkkala", languages=["fi"])
    for _ in range(20):
        ExpertFactory()
    url = reverse("wagtailsnippets_network_expert:list")

    with django_assert_max_num_queries(40):
        response = admin_client.get(url, {"language": "sv", "variant": "adoassip"})
    assert response.status_code == 200
    assert "Sara Svensson" in response.content.decode()
    assert "Pekka Pirkkala" not in response.content.decode()

    response = admin_client.get(url, {"keeping_up": "lapsed"})
    assert "Pekka Pirkkala" in response.content.decode()
    assert "Sara Svensson" not in response.content.decode()


def test_expert_list_filters_by_training_cohort(admin_client):
    cohort = TrainingFactory(name="Kevät 2025")
    trained = ExpertFactory(name="Koulutettu")
    trained.certifications.create(training=cohort, certified_on="2025-05-01")
    ExpertFactory(name="Muu")
    response = admin_client.get(
        reverse("wagtailsnippets_network_expert:list"), {"training": cohort.pk}
    )
    assert "Koulutettu" in response.content.decode()
    assert "Muu" not in response.content.decode()


def test_bulk_pause_and_mark_left(admin_client):
    first, second = ExpertFactory(), ExpertFactory()
    url = (
        reverse("wagtail_bulk_action", args=("network", "expert", "pause"))
        + f"?id={first.pk}&id={second.pk}"
    )
    response = admin_client.post(url)
    assert response.status_code == 302
    assert set(Expert.objects.values_list("status", flat=True)) == {"paused"}

    url = (
        reverse("wagtail_bulk_action", args=("network", "expert", "mark_left")) + f"?id={first.pk}"
    )
    admin_client.post(url)
    first.refresh_from_db()
    assert first.status == Expert.Status.LEFT
    assert ModelLogEntry.objects.filter(action="network.expert.left").count() == 1


def test_coverage_report_shows_counts_and_counties_without_experts(admin_client):
    ExpertFactory(county="pohjanmaa", languages=["sv"])
    ExpertFactory(county="pohjanmaa", languages=["fi", "sv"])
    response = admin_client.get(reverse("expert_network:coverage"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html
    assert re.search(r"<rect x=\"200\" y=\"\d+\" width=\"[\d.]+\"", html)  # no decimal commas
    assert "Pohjanmaa: 2" in html  # the bar's accessible title (Finnish admin)
    uncovered = response.context["coverage"].uncovered
    assert "Kainuu" in {row.label for row in uncovered}
    assert "<li>Kainuu</li>" in html


def test_valid_sheet_previews_then_imports_on_confirm(admin_client):
    ExpertFactory(email="old@example.invalid", name="Vanha Nimi", county="lappi")
    ExpertFactory(
        email="same@example.invalid",
        name="Sama",
        title="",
        organisation="",
        county="kainuu",
        city="",
        phone="",
        languages=["fi"],
        practises_assip=True,
        public_listing_consent=False,
    )
    sheet = HEADER + (
        "Uusi Ihminen,Psykologi,Pohjanmaan hva,Pohjanmaa,Vaasa,NEW@example.invalid,,"
        "sv;fi,,x,,active,x\n"
        "Uusi Nimi,,,Lappi,,old@example.invalid,,fi,x,,,,\n"
        "Sama,,,Kainuu,,same@example.invalid,,fi,x,,,active,\n"
    )
    response = upload(admin_client, sheet.encode())
    html = response.content.decode()
    assert preview_of(response).counts == {"new": 1, "update": 1, "skip": 1, "invalid": 0}
    assert Expert.objects.count() == 2  # a preview saves nothing

    response = confirm(admin_client, response)
    assert response.status_code == 302
    new = Expert.objects.get(email="new@example.invalid")
    assert new.county == "pohjanmaa"
    assert new.languages == ["sv", "fi"]
    assert new.practises_adoassip and new.public_listing_consent
    assert Expert.objects.get(email="old@example.invalid").name == "Uusi Nimi"
    assert "Confirm" in html or "Vahvista" in html


def test_invalid_rows_are_listed_with_row_number_and_reason(admin_client):
    sheet = HEADER + (
        "Hyvä,,,Pirkanmaa,,good@example.invalid,,fi,x,,,,\n"
        "Huono lääni,,,Narnia,,bad@example.invalid,,fi,x,,,,\n"
        "Huono posti,,,Pirkanmaa,,not-an-email,,fi,x,,,,\n"
    )
    response = upload(admin_client, sheet.encode())
    preview = preview_of(response)
    assert preview.counts["invalid"] == 2
    assert [problem["row"] for problem in preview.problems] == [3, 4]
    assert "Narnia" in preview.problems[0]["message"]
    assert preview.problems[1]["column"] == "email"
    assert confirm(admin_client, response).status_code == 302
    assert not Expert.objects.exists()


def test_duplicate_emails_in_the_sheet_are_invalid(admin_client):
    sheet = HEADER + (
        "Eka,,,Pirkanmaa,,twice@example.invalid,,fi,x,,,,\n"
        "Toka,,,Pirkanmaa,,Twice@example.invalid,,fi,x,,,,\n"
    )
    preview = preview_of(upload(admin_client, sheet.encode()))
    assert preview.counts["invalid"] == 2
    assert "twice@example.invalid" in preview.problems[0]["message"]


def test_latin1_csv_is_read_and_the_coordinator_is_told(admin_client):
    sheet = (
        HEADER.replace(",", ";") + "Åsa Öhman;;;Pohjanmaa;Närpes;asa@example.invalid;;sv;x;;;;\n"
    )
    response = upload(admin_client, sheet.encode("latin-1"))
    assert response.context["notice"]
    assert "Windows-1252" in response.context["notice"]
    assert preview_of(response).counts["new"] == 1
    confirm(admin_client, response)
    assert Expert.objects.get().name == "Åsa Öhman"


def test_xlsx_with_labels_in_swedish_and_english_and_blank_rows(admin_client):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    sheet.append([None] * 13)
    sheet.append(
        [
            "Sara Holm",
            "",
            "",
            "Österbotten",
            "Vasa",
            "sara@example.invalid",
            "",
            "svenska, finska",
            "x",
            "",
            "",
            "Aktiv",
            "ja",
        ]
    )
    sheet.append(
        [
            "Ann Lee",
            "",
            "",
            "Lapland",
            "",
            "ann@example.invalid",
            "",
            "English",
            "",
            "x",
            "",
            "active",
            "",
        ]
    )
    sheet.append(["Väärä", "", "", "Pohjanmaa", "", "bad@example.invalid", "", "klingon"])
    content = io.BytesIO()
    workbook.save(content)

    response = upload(admin_client, content.getvalue(), name="experter.xlsx")

    preview = preview_of(response)
    assert preview.counts["new"] == 2
    assert [(problem["row"], problem["column"]) for problem in preview.problems] == [
        (5, "languages")
    ]
    assert preview.problems[0]["message"].startswith("“klingon” ei ole mikään näistä: suomi")

    sheet.delete_rows(5)
    content = io.BytesIO()
    workbook.save(content)
    confirm(admin_client, upload(admin_client, content.getvalue(), name="experter.xlsx"))
    sara = Expert.objects.get(email="sara@example.invalid")
    assert (sara.county, sara.languages, sara.public_listing_consent) == (
        "pohjanmaa",
        ["sv", "fi"],
        True,
    )
    assert Expert.objects.get(email="ann@example.invalid").county == "lappi"


def test_the_template_download_lists_the_columns_and_allowed_values(admin_client):
    response = admin_client.get(reverse("expert_network:import"), {"template": "xlsx"})
    rows, allowed = load_workbook(io.BytesIO(response.content)).worksheets
    assert [cell.value for cell in rows[1]] == HEADER.strip().split(",")
    reference = {line[0]: line for line in allowed.iter_rows(min_row=2, values_only=True)}
    assert "Pohjanmaa" in reference["county"][3]
    assert "ruotsi" in reference["languages"][3]
    assert reference["email"][2] == "kyllä"


def test_unreadable_file_gives_a_clear_error(admin_client):
    response = upload(admin_client, b"\x00\x01", name="experts.pdf")
    assert response.context["form"].errors["file"]


def test_export_escapes_formula_cells_and_follows_the_filters(admin_client):
    ExpertFactory(name='=HYPERLINK("http://evil.invalid","klik")', county="lappi", city="+1")
    ExpertFactory(name="@SUM(A1)", county="lappi", organisation="-2")
    ExpertFactory(name="Muualla", county="kainuu")
    response = admin_client.get(
        reverse("expert_network:export"), {"county": "lappi", "format": "csv"}
    )
    rows = finnish_excel_dicts(response.content)
    assert {row["name"] for row in rows} == {
        '\'=HYPERLINK("http://evil.invalid","klik")',
        "'@SUM(A1)",
    }
    assert {row["city"] for row in rows} == {"'+1", "Tampere"}

    response = admin_client.get(reverse("expert_network:export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'@SUM(A1)" in values
    assert not any(str(value).startswith("=") for value in values if value)


def test_search_finds_experts_by_name_or_organisation(admin_client):
    ExpertFactory(name="Hilda Haku", organisation="Oulun hyvinvointialue")
    ExpertFactory(name="Muu Ihminen", organisation="Lapin hyvinvointialue")
    response = admin_client.get(reverse("wagtailsnippets_network_expert:list"), {"q": "Oulun"})
    assert "Hilda Haku" in response.content.decode()
    assert "Muu Ihminen" not in response.content.decode()


def test_coordinator_records_a_supervision_session_with_attendees(admin_client):
    first, second = ExpertFactory(), ExpertFactory()
    assert admin_client.get(reverse("wagtailsnippets_network_expert:add")).status_code == 200
    url = reverse("wagtailsnippets_network_supervisionsession:add")
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "held_on": "2026-05-04",
            "supervisor": "Kati Lindholm",
            "format": "remote",
            "attendees": [first.pk, second.pk],
        },
    )
    assert response.status_code == 302
    assert set(first.supervision_sessions.values_list("supervisor", flat=True)) == {"Kati Lindholm"}
    assert second.supervision_sessions.count() == 1


def edit_form_data(client, expert, **changes) -> dict:
    """What the expert edit form posts back, with the given fields changed."""
    form = client.get(reverse("wagtailsnippets_network_expert:edit", args=[expert.pk])).context[
        "form"
    ]
    data = {}
    for field in form:
        value = field.value()
        if value not in (None, False):
            data[field.html_name] = value
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def test_ticking_consent_in_the_edit_form_records_its_date_and_unticking_clears_it(
    admin_client,
):
    expert = ExpertFactory(public_listing_consent=False, public_listing_consented_at=None)
    url = reverse("wagtailsnippets_network_expert:edit", args=[expert.pk])

    response = admin_client.post(
        url,
        edit_form_data(
            admin_client, expert, public_listing_consent="on", public_email_consent="on"
        ),
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.public_listing_consent
    assert expert.public_listing_consented_at is not None
    given_at = expert.public_listing_consented_at

    # Saving again with other changes keeps the original consent date.
    admin_client.post(url, edit_form_data(admin_client, expert, city="Vaasa"))
    expert.refresh_from_db()
    assert expert.city == "Vaasa"
    assert expert.public_listing_consented_at == given_at

    admin_client.post(url, edit_form_data(admin_client, expert, public_listing_consent=False))
    expert.refresh_from_db()
    assert not expert.public_listing_consent
    assert expert.public_listing_consented_at is None
    assert not expert.public_email_consent
    actions = list(
        ModelLogEntry.objects.filter(action__startswith="network.expert.consent")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["network.expert.consent_given", "network.expert.consent_withdrawn"]


def test_an_expert_who_left_cannot_be_listed_from_the_edit_form(admin_client):
    expert = ExpertFactory(
        status=Expert.Status.LEFT, public_listing_consent=False, public_listing_consented_at=None
    )
    url = reverse("wagtailsnippets_network_expert:edit", args=[expert.pk])

    response = admin_client.post(
        url, edit_form_data(admin_client, expert, public_listing_consent="on")
    )

    assert response.status_code == 200
    expert.refresh_from_db()
    assert not expert.public_listing_consent


@pytest.mark.django_db
def test_network_menu_is_shown_only_to_those_it_lets_in(client, site_tree):
    from groups.services.roles import COORDINATORS, NETWORK_COORDINATORS, roles_ensure

    roles = roles_ensure()
    coordinator, network = UserFactory(username="koordinaattori"), UserFactory(username="verkosto")
    coordinator.groups.add(roles[COORDINATORS])
    network.groups.add(roles[NETWORK_COORDINATORS])

    client.force_login(coordinator)
    assert "Linity/ASSIP" not in client.get("/admin/").content.decode()
    client.force_login(network)
    assert "Linity/ASSIP" in client.get("/admin/").content.decode()
