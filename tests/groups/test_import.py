"""Importing a season's groups from a spreadsheet: dry run with row errors, then confirm."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group as AuthGroup
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from groups.models import Group
from groups.selectors.facilitators import FACILITATORS_GROUP
from tests.factories import CoursePageFactory, CrisisCentreFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "course,name,centre,mode,language,capacity,min_size,facilitator_1,facilitator_2,"
    "schedule,schedule_from,start_time,duration_minutes,status\n"
)


@pytest.fixture(autouse=True)
def upload_storage(settings, tmp_path):
    """Uploads wait in a folder of this test (the media storage, as without Redis)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "import_export": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    return tmp_path / "django-import-export"


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
    file = SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)
    return client.post(reverse("groups_group_import"), {"file": file})


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
    stored = response.context["stored"]
    confirm = client.post(reverse("groups_group_import"), {"stored": stored, "confirm": "1"})
    assert confirm.status_code == 302
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
    assert "stored" not in response.context
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
    assert "stored" not in response.context
    assert not Group.objects.exists()


def test_huge_file_is_rejected_with_a_clear_message(client, season):
    response = upload(client, HEADER + "x" * (2 * 1024 * 1024 + 1))
    assert "liian suuri" in response.content.decode()
    assert not Group.objects.exists()


def test_too_many_rows_are_rejected(client, season):
    response = upload(client, HEADER + row("Rivi") * 5001)
    assert "liian monta riviä" in response.content.decode()
    assert not Group.objects.exists()


def test_confirm_with_a_forged_file_name_is_refused(client, season):
    response = client.post(
        reverse("groups_group_import"), {"stored": "../../etc/passwd", "confirm": "1"}
    )
    assert response.status_code == 302
    assert not Group.objects.exists()


def test_the_upload_waits_in_the_shared_storage_and_is_removed_on_confirm(
    client, season, upload_storage
):
    stored = upload(client, HEADER + row("Tiistai")).context["stored"]
    assert os.listdir(upload_storage) == [stored]  # not in this host's temp folder

    confirm = client.post(reverse("groups_group_import"), {"stored": stored, "confirm": "1"})
    assert confirm.status_code == 302
    assert os.listdir(upload_storage) == []
    again = client.post(
        reverse("groups_group_import"), {"stored": stored, "confirm": "1"}, follow=True
    )
    assert "vanhentunut" in again.content.decode()
    assert Group.objects.count() == 1


def test_with_redis_the_upload_waits_in_the_cache(client, season, settings, upload_storage):
    settings.IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
    stored = upload(client, HEADER + row("Tiistai")).context["stored"]
    assert cache.get(f"django-import-export-{stored}") is not None
    assert not upload_storage.exists()

    client.post(reverse("groups_group_import"), {"stored": stored, "confirm": "1"})
    assert cache.get(f"django-import-export-{stored}") is None
    assert Group.objects.get().name == "Tiistai"


@pytest.mark.parametrize(
    "redis_url, storage",
    [
        ("redis://127.0.0.1:6379/1", "import_export.tmp_storages.CacheStorage"),
        ("", "import_export.tmp_storages.MediaStorage"),
    ],
)
def test_settings_pick_a_storage_every_host_shares(redis_url, storage):
    env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "cms.settings.base"}
    code = (
        "from django.conf import settings; "
        "print(settings.IMPORT_EXPORT_TMP_STORAGE_CLASS, "
        "settings.STORAGES['import_export']['OPTIONS']['location'])"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert output[0] == storage
    assert output[1] == str(django_settings.MEDIA_ROOT / "import-tmp")


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
    client.post(
        reverse("groups_group_import"), {"stored": response.context["stored"], "confirm": "1"}
    )
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
    assert [entry["text"] for entry in response.context["rows"]] == [
        str(Group(course=season, name=name)) for name in ("Tiistai", "Torstai")
    ]
    client.post(
        reverse("groups_group_import"), {"stored": response.context["stored"], "confirm": "1"}
    )
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
    client.post(
        reverse("groups_group_import"), {"stored": response.context["stored"], "confirm": "1"}
    )
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
    assert "stored" not in response.context


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
    assert (
        messages[(2, "schedule_from")] == "Kirjoita päivämäärä muodossa 4.3.2027, ei “32.1.2027”."
    )
    assert messages[(3, "mode")].startswith("“online” ei ole mikään näistä: Lähitapaaminen")
    assert messages[(4, "")] == "Vähimmäiskoko ei voi olla suurempi kuin paikkojen määrä."
    assert messages[(5, "facilitator_1")] == "Nimellä “nobody” ei löytynyt mitään."
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
    client.post(
        reverse("groups_group_import"), {"stored": response.context["stored"], "confirm": "1"}
    )
    group = Group.objects.get()

    text = "id," + HEADER + f"{group.pk}," + row("Tiistai").replace(",10,5,", ",8,5,")
    response = upload(client, text)

    assert response.context["problems"] == []
    [update] = response.context["rows"]
    assert update["action"] == "update" and update["row"] == 2
    assert update["changes"] == [{"column": "capacity", "before": "10", "after": "8"}]
    assert "capacity: 10 → 8" in response.content.decode()
    group.refresh_from_db()
    assert group.capacity == 10  # a preview saves nothing
