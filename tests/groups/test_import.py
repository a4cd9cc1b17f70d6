"""Importing a season's groups from a spreadsheet: dry run with row errors, then confirm."""

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from groups.models import Group
from groups.selectors import FACILITATORS_GROUP
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
    assert {problem["row"] for problem in problems} == {2, 3}
    assert "stored" not in response.context
    html = response.content.decode()
    assert "Ohjaajien täytyy olla kaksi eri henkilöä." in html
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
