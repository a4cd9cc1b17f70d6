"""Importing a season's groups from a spreadsheet: dry run with row errors, then confirm."""

import io

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms.models import SheetImport
from groups.models import Group
from groups.selectors.facilitators import FACILITATORS_GROUP
from tests.factories import CoursePageFactory, CrisisCentreFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "course,name,centre,mode,language,capacity,min_size,facilitator_1,facilitator_2,"
    "schedule,schedule_from,start_time,duration_minutes,status\n"
)


@pytest.fixture
def season(client, site_tree):
    client.force_login(UserFactory(username="koordinaattori", is_superuser=True, is_staff=True))
    facilitators = AuthGroup.objects.get_or_create(name=FACILITATORS_GROUP)[0]
    for username in ("aino", "bertta", "cecilia"):
        UserFactory(username=username).groups.add(facilitators)
    CrisisCentreFactory(name="Kriisikeskus Turku")
    return CoursePageFactory(slug="surevat")


def row(name, first="aino", second="bertta", rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12"):
    return (
        f"surevat,{name},Kriisikeskus Turku,in_person,fi,10,5,{first},{second},"
        f"{rule},2027-01-12,17:30,90,open\n"
    )


def upload(client, text, name="groups.csv"):
    """Upload, then the import's own page (the preview) as the coordinator lands on it."""
    file = SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)
    return client.post(reverse("groups_group_import"), {"file": file}, follow=True)


def confirm(client, response):
    pk = response.context["sheet_import"].pk
    return client.post(reverse("cms_sheet_import_confirm", args=[pk]))


def waiting(response) -> bool:
    """The upload is checked and waits for the confirm (else it has errors)."""
    return response.context["sheet_import"].status == SheetImport.Status.CHECKED


def test_valid_file_is_previewed_then_saved_on_confirm(client, season):
    response = upload(
        client,
        HEADER
        + row("Tiistai")
        + row("Keskiviikko", "cecilia", "aino", "RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=10"),
    )
    html = response.content.decode()
    assert "Tiistai" in html and "Keskiviikko" in html
    assert not Group.objects.exists()
    confirmed = confirm(client, response)
    assert confirmed.status_code == 302
    assert Group.objects.count() == 2
    assert Group.objects.get(name="Tiistai").meetings.count() == 12


def test_bad_rows_are_reported_with_row_number_and_nothing_is_saved(client, season):
    response = upload(
        client,
        HEADER
        + row("Hyvä")
        + row("Sama ohjaaja", "aino", "aino")
        + row("Liian lyhyt", rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3"),
    )
    problems = response.context["problems"]
    # Row numbers as the file shows them: the header is row 1.
    assert {problem["row"] for problem in problems} == {3, 4}
    assert not waiting(response)
    html = response.content.decode()
    assert "Ohjaajien täytyy olla kaksi eri henkilöä." in html
    assert not Group.objects.exists()


def test_a_coordinator_tied_to_a_centre_imports_only_that_centres_groups(client, season):
    from groups.models import CoordinatorProfile
    from groups.services.roles import COORDINATORS, roles_ensure

    coordinator = UserFactory(username="tampere")
    coordinator.groups.add(roles_ensure()[COORDINATORS])
    profile = CoordinatorProfile.objects.create(user=coordinator)
    profile.centres.add(CrisisCentreFactory(name="Kriisikeskus Tampere"))
    client.force_login(coordinator)

    response = upload(client, HEADER + row("Turun ryhmä"))

    problems = response.context["problems"]
    # The centre is refused (and the facilitators, who are not of Tampere either).
    assert (2, "centre") in [(problem["row"], problem["column"]) for problem in problems]
    assert "omien kriisikeskustesi" in response.content.decode()
    assert not waiting(response)
    assert not Group.objects.exists()


def test_huge_file_is_rejected_with_a_clear_message(client, season):
    response = upload(client, HEADER + "x" * (2 * 1024 * 1024 + 1))
    assert "liian suuri" in response.content.decode()
    assert not Group.objects.exists()


def test_too_many_rows_are_rejected(client, season):
    response = upload(client, HEADER + row("Rivi") * 5001)
    assert "liian monta riviä" in response.content.decode()
    assert not Group.objects.exists()


def test_a_course_translated_into_sv_and_en_is_matched_by_any_title_or_its_slug(client, season):
    from tests.factories import course_translate

    season.title = "Itsemurhan kautta läheisensä menettäneet"
    season.save_revision().publish()
    course_translate(season, "sv", title="Efterlevande efter självmord")
    course_translate(season, "en", title="Bereaved by suicide")
    text = (
        HEADER
        + row("Slug")
        + row("Ruotsiksi", "bertta", "cecilia", "RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=10").replace(
            "surevat,", "efterlevande efter självmord,", 1
        )
        + row("Englanniksi", "cecilia", "aino", "RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=10").replace(
            "surevat,", "Bereaved by suicide,", 1
        )
    )
    response = upload(client, text)
    assert response.context["problems"] == []
    confirm(client, response)
    assert Group.objects.count() == 3
    assert set(Group.objects.values_list("course_id", flat=True)) == {season.pk}


def test_an_xlsx_from_finnish_excel_with_real_date_and_time_cells_and_finnish_labels(
    client, season
):
    import datetime as dt

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    common = ["Kriisikeskus Turku", "Lähitapaaminen", "suomi", 10, 5]
    sheet.append(
        [
            "surevat",
            "Tiistai",
            *common,
            "aino",
            "bertta",
            "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12",
            dt.datetime(2027, 1, 12),
            dt.time(17, 30),
            90,
            "Ilmoittautuminen auki",
        ]
    )
    sheet.append([None] * 14)  # a blank row in the middle
    sheet.append(
        [
            "surevat",
            "Torstai",
            "Kriisikeskus Turku",
            "På distans",
            "svenska",
            8,
            5,
            "cecilia",
            "aino",
            "RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=10",
            dt.datetime(2027, 1, 14),
            dt.time(18, 0),
            120,
            "Luonnos",
        ]
    )
    content = io.BytesIO()
    workbook.save(content)

    response = upload(client, content.getvalue(), name="kevät.xlsx")

    assert response.context["problems"] == []
    assert [entry["text"] for entry in response.context["report"]["rows"]] == [
        str(Group(course=season, name=name)) for name in ("Tiistai", "Torstai")
    ]
    confirm(client, response)
    tuesday, thursday = Group.objects.order_by("name")
    assert (tuesday.mode, tuesday.language, tuesday.status) == ("in_person", "fi", "open")
    assert (thursday.mode, thursday.language, thursday.status) == ("remote", "sv", "draft")
    assert tuesday.schedule_from == dt.date(2027, 1, 12)
    assert thursday.start_time == dt.time(18, 0)
    assert tuesday.meetings.count() == 12 and thursday.meetings.count() == 10


def test_a_semicolon_windows_1252_csv_with_finnish_dates_and_times(client, season):
    text = (
        HEADER.replace(",", ";")
        + "surevat;Äitien ryhmä;Kriisikeskus Turku;Lähitapaaminen;suomi;10;5;aino;bertta;"
        "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12;12.1.2027;17.30;90;Luonnos\n"
    )
    # The rule's own semicolons would split it: Excel quotes such a cell.
    text = text.replace(
        "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12", '"RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12"'
    )
    response = upload(client, text.encode("cp1252"))
    assert response.context["problems"] == []
    assert "Windows-1252" in response.content.decode()
    confirm(client, response)
    group = Group.objects.get()
    assert group.name == "Äitien ryhmä"
    assert str(group.start_time) == "17:30:00"


def test_duplicate_rows_are_reported_on_both_rows(client, season):
    response = upload(client, HEADER + row("Tiistai") + "\n" + row("Tiistai"))
    problems = response.context["problems"]
    assert {(problem["row"], problem["message"]) for problem in problems} >= {
        (2, "Rivit 2, 4 ovat samat."),
        (4, "Rivit 2, 4 ovat samat."),
    }
    assert not waiting(response)


def test_facilitator_clash_within_the_file_is_reported_on_the_later_row(client, season):
    response = upload(client, HEADER + row("Tiistai") + row("Toinen tiistai", "aino", "cecilia"))
    problems = response.context["problems"]
    assert [(problem["row"], problem["column"]) for problem in problems] == [(3, "facilitator_1")]
    assert "Tiistai" in problems[0]["message"] and "12.1.2027" in problems[0]["message"]
    assert not Group.objects.exists()


def test_facilitator_clash_with_a_saved_group_is_reported(client, season):
    import datetime as dt

    from django.contrib.auth import get_user_model

    from groups.services.schedule import HELSINKI
    from tests.factories import GroupFactory, MeetingFactory

    bertta = get_user_model().objects.get(username="bertta")
    bertta.first_name, bertta.last_name = "Bertta", "Berg"
    bertta.save()
    saved = GroupFactory(name="Vanha ryhmä", facilitator_1=bertta)
    start = dt.datetime(2027, 2, 2, 18, 0, tzinfo=HELSINKI)
    MeetingFactory(group=saved, starts_at=start)

    response = upload(client, HEADER + row("Tiistai"))

    problems = response.context["problems"]
    assert [(problem["row"], problem["column"]) for problem in problems] == [(2, "facilitator_2")]
    assert "Bertta Berg" in problems[0]["message"] and "Vanha ryhmä" in problems[0]["message"]


def test_row_errors_are_in_finnish_with_no_english_or_constraint_names(client, season):
    text = (
        HEADER
        + row("Väärä päivä").replace("2027-01-12", "32.1.2027")
        + row("Verkossa", "cecilia", "bertta").replace("in_person", "online")
        + row("Liian iso minimi", "aino", "cecilia").replace(",10,5,", ",5,8,")
        + row("Tuntematon", "nobody", "bertta")
        + row("Ei kurssia").replace("surevat", "Kurssi jota ei ole")
    )
    response = upload(client, text)
    html = response.content.decode()
    messages = {(p["row"], p["column"]): p["message"] for p in response.context["problems"]}
    every = {(p["row"], p["column"], p["message"]) for p in response.context["problems"]}
    assert (
        messages[(2, "schedule_from")] == "Kirjoita päivämäärä muodossa 4.3.2027, ei “32.1.2027”."
    )
    assert messages[(3, "mode")].startswith("“online” ei ole mikään näistä: Lähitapaaminen")
    assert messages[(4, "")] == "Vähimmäiskoko ei voi olla suurempi kuin paikkojen määrä."
    # A cell may have more than one problem (an open group also needs its two facilitators).
    assert (5, "facilitator_1", "Nimellä “nobody” ei löytynyt mitään.") in every
    assert messages[(6, "course")] == "Nimellä “Kurssi jota ei ole” ei löytynyt mitään."
    assert "group_min_size_within_capacity" not in html
    assert "matching query" not in html and "does not exist" not in html
    assert not Group.objects.exists()


def test_the_template_download_lists_the_columns_and_allowed_values(client, season):
    from openpyxl import load_workbook

    response = client.get(reverse("groups_group_import"), {"template": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="groups-template.xlsx"'
    rows, allowed = load_workbook(io.BytesIO(response.content)).worksheets
    columns = HEADER.strip().split(",")
    assert [cell.value for cell in rows[1]] == [*columns[:7], "go_no_go_date", *columns[7:]]
    reference = {line[0]: line[3] for line in allowed.iter_rows(min_row=2, values_only=True)}
    assert "Lähitapaaminen" in reference["mode"]
    assert "aino" in reference["facilitator_1"]
    assert "Kriisikeskus Turku" in reference["centre"]
    assert season.title in reference["course"]


def test_an_update_row_shows_what_it_changes_before_confirming(client, season):
    response = upload(client, HEADER + row("Tiistai"))
    confirm(client, response)
    group = Group.objects.get()

    text = "id," + HEADER + f"{group.pk}," + row("Tiistai").replace(",10,5,", ",8,5,")
    response = upload(client, text)

    assert response.context["problems"] == []
    [update] = response.context["report"]["rows"]
    assert update["action"] == "update" and update["row"] == 2
    assert update["changes"] == [{"column": "capacity", "before": "10", "after": "8"}]
    assert "capacity: 10 → 8" in response.content.decode()
    group.refresh_from_db()
    assert group.capacity == 10  # a preview saves nothing


# The file on a row, large files in the background (issue 24) ---------------------------------


def test_the_upload_waits_on_a_row_until_confirmed_and_is_then_emptied(client, season):
    response = upload(client, HEADER + row("Tiistai"))
    sheet_import = SheetImport.objects.get()
    assert sheet_import.status == "checked" and bytes(sheet_import.content)
    assert response.redirect_chain[-1][0] == reverse("cms_sheet_import", args=[sheet_import.pk])
    assert not Group.objects.exists()

    confirm(client, response)
    sheet_import.refresh_from_db()
    assert sheet_import.status == "done" and bytes(sheet_import.content) == b""
    assert Group.objects.count() == 1

    again = client.post(reverse("cms_sheet_import_confirm", args=[sheet_import.pk]), follow=True)
    assert "ei odota vahvistusta" in again.content.decode()
    assert Group.objects.count() == 1  # a second click imports nothing


def test_a_file_with_errors_keeps_no_copy(client, season):
    upload(client, HEADER + row("Sama ohjaaja", "aino", "aino"))
    sheet_import = SheetImport.objects.get()
    assert sheet_import.status == "invalid" and bytes(sheet_import.content) == b""
    assert (
        client.post(reverse("cms_sheet_import_confirm", args=[sheet_import.pk])).status_code == 302
    )
    assert not Group.objects.exists()


def test_someone_elses_import_looks_like_no_import(client, season):
    upload(client, HEADER + row("Tiistai"))
    sheet_import = SheetImport.objects.get()
    other = UserFactory(username="toinen")
    from groups.services.roles import COORDINATORS, roles_ensure

    other.groups.add(roles_ensure()[COORDINATORS])
    client.force_login(other)
    for name in ("cms_sheet_import", "cms_sheet_import_progress"):
        assert client.get(reverse(name, args=[sheet_import.pk])).status_code == 404
    assert (
        client.post(reverse("cms_sheet_import_confirm", args=[sheet_import.pk])).status_code == 404
    )
    assert "groups.csv" not in client.get(reverse("cms_sheet_imports")).content.decode()
    assert not Group.objects.exists()


def test_a_large_file_is_checked_and_imported_in_the_background_with_progress(
    client, season, settings, django_capture_on_commit_callbacks
):
    settings.SHEET_IMPORT_SYNC_ROWS = 2
    text = (
        HEADER
        + row("Tiistai")
        + row("Keskiviikko", "cecilia", "bertta", "RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=10")
        + row("Torstai", "aino", "cecilia", "RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=10")
    )
    with django_capture_on_commit_callbacks() as queued:
        response = upload(client, text)
    sheet_import = SheetImport.objects.get()
    html = response.content.decode()
    # The worker has not started: the page shows a progress bar its script updates.
    assert sheet_import.status == "checking"
    assert "<progress" in html and "js/sheet-import-progress.js" in html
    assert "<script>" not in html.replace(" ", "")
    progress_url = reverse("cms_sheet_import_progress", args=[sheet_import.pk])
    assert client.get(progress_url).json() == {
        "status": "checking",
        "status_label": "Tiedostoa tarkistetaan",
        "rows_done": 0,
        "rows_total": 3,
        "percent": 0,
        "waiting": True,
    }
    # The coordinator leaves and comes back through the list of recent imports.
    listing = client.get(reverse("cms_sheet_imports")).content.decode()
    assert reverse("cms_sheet_import", args=[sheet_import.pk]) in listing
    assert "Tiedostoa tarkistetaan" in listing

    for callback in queued:  # the worker runs the check (q2 is synchronous in tests)
        callback()
    assert client.get(progress_url).json()["status"] == "checked"
    page = client.get(reverse("cms_sheet_import", args=[sheet_import.pk]))
    assert [entry["text"] for entry in page.context["report"]["rows"]] == [
        str(Group(course=season, name=name)) for name in ("Tiistai", "Keskiviikko", "Torstai")
    ]
    assert not Group.objects.exists()

    with django_capture_on_commit_callbacks() as queued:
        confirm(client, page)
    assert client.get(progress_url).json()["status"] == "importing"
    assert not Group.objects.exists()
    for callback in queued:
        callback()
    assert client.get(progress_url).json()["percent"] == 100
    assert Group.objects.count() == 3
    # A task delivered twice imports once.
    from cms.tasks import sheet_import_run

    assert sheet_import_run(sheet_import.pk) == "done"
    assert Group.objects.count() == 3


def test_the_progress_counts_rows_as_the_run_goes(client, season):
    from django.core.cache import cache

    from cms.imports import SheetResource
    from cms.services.sheet_imports import progress_key

    seen = []
    SheetResource.PROGRESS_EVERY = 1
    try:
        original = cache.set

        def spy(key, value, *args, **kwargs):
            if str(key).startswith("sheet-import-progress-"):
                seen.append(value)
            return original(key, value, *args, **kwargs)

        cache.set = spy
        upload(
            client,
            HEADER
            + row("Tiistai")
            + row("Toinen", "cecilia", "bertta", "RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=10"),
        )
    finally:
        cache.set = original
        SheetResource.PROGRESS_EVERY = 25
    assert seen == [0, 1, 2]
    assert cache.get(progress_key(SheetImport.objects.get().pk)) is None


def test_the_experts_import_runs_through_the_same_pages(client, site_tree):
    from network.models import Expert

    client.force_login(UserFactory(username="verkosto", is_superuser=True, is_staff=True))
    text = "name;email;county\nÅsa Öhman;asa@example.invalid;Pirkanmaa\n"
    response = client.post(
        reverse("expert_network:import"),
        {"file": SimpleUploadedFile("asiantuntijat.csv", text.encode("cp1252"))},
        follow=True,
    )
    assert response.context["sheet_import"].kind == "experts"
    assert "Windows-1252" in response.content.decode()
    assert not Expert.objects.exists()
    confirm(client, response)
    assert Expert.objects.get().name == "Åsa Öhman"


def test_imports_older_than_a_month_are_removed_on_the_next_upload(client, season):
    import datetime as dt

    from django.utils import timezone

    upload(client, HEADER + row("Tiistai"))
    SheetImport.objects.update(created_at=timezone.now() - dt.timedelta(days=31))
    upload(client, HEADER + row("Keskiviikko"))
    assert [item.filename for item in SheetImport.objects.all()] == ["groups.csv"]
    assert SheetImport.objects.get().report["rows"][0]["text"].endswith("Keskiviikko")


def test_next_spring_from_finnish_excel_twelve_groups_across_three_translated_courses(
    client, season
):
    """The issue's "done when": an XLSX as Finnish Excel saves it, courses named in Finnish,
    Swedish and English, Finnish labels, real date and time cells; previewed, then saved."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group as AuthGroup
    from openpyxl import Workbook

    from tests.factories import course_translate

    facilitators = AuthGroup.objects.get(name=FACILITATORS_GROUP)
    people = []
    for n in range(24):
        user = get_user_model().objects.create(
            username=f"ohjaaja-{n}", first_name="Ohjaaja", last_name=f"Nro{n}"
        )
        user.groups.add(facilitators)
        people.append(user)
    courses = []
    for slug, fi, sv, en in [
        ("surevat-2", "Läheisensä menettäneet", "Efterlevande", "Bereaved"),
        ("nuoret", "Nuorten ryhmä", "Ungdomsgrupp", "Young people"),
        ("aikuiset", "Aikuisten ryhmä", "Vuxengrupp", "Adults"),
    ]:
        course = CoursePageFactory(slug=slug, title=fi)
        course_translate(course, "sv", title=sv)
        course_translate(course, "en", title=en)
        courses.append((course, (fi, sv, en)))

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    for n in range(12):
        course, titles = courses[n % 3]
        weekday = n % 4  # Monday to Thursday
        sheet.append(
            [
                titles[n // 4],  # each course once in each language
                f"Kevät {n + 1}",
                "Kriisikeskus Turku",
                ["Lähitapaaminen", "Etänä", "På plats"][n % 3],
                ["suomi", "svenska", "English"][n % 3],
                10,
                5,
                f"ohjaaja-{2 * n}",
                f"Ohjaaja Nro{2 * n + 1}",  # a facilitator by full name
                f"RRULE:FREQ=WEEKLY;BYDAY={['MO', 'TU', 'WE', 'TH'][weekday]};COUNT=10",
                dt.datetime(2027, 1, 11 + weekday),
                dt.time(17, 30),
                90,
                "Ilmoittautuminen auki",
            ]
        )
    content = io.BytesIO()
    workbook.save(content)

    response = upload(client, content.getvalue(), name="kevät 2027.xlsx")

    assert response.context["problems"] == []
    assert len(response.context["report"]["rows"]) == 12
    assert not Group.objects.exists()
    confirm(client, response)
    assert Group.objects.count() == 12
    for course, _titles in courses:
        assert Group.objects.filter(course=course).count() == 4
    assert {group.meetings.count() for group in Group.objects.all()} == {10}
