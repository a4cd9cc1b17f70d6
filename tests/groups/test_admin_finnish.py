"""The admin speaks the user's language: a Finnish coordinator sees no known English strings,
no raw constraint names, RRULEs, usernames, UTC times or None/True on the group screens."""

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.urls import reverse
from wagtail.users.models import UserProfile

from groups.models import Enrolment, Group, OutboxMessage
from groups.selectors.facilitators import FACILITATORS_GROUP
from groups.services.schedule import meetings_schedule
from tests.factories import CoursePageFactory, CrisisCentreFactory, EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db

# English a Finnish coordinator met on these screens before (issue 24).
ENGLISH = [
    "group_min_size_within_capacity",
    "FREQ=WEEKLY",
    "RRULE",
    "Open for enrolment",
    "Risk answer: call needed",
    "Your place in the group is confirmed",
    "Got a place",
    "Schedule starts from",
    "ohjaaja-5",
]


@pytest.fixture
def finnish_coordinator(client):
    user = UserFactory(username="koordinaattori-fi", is_superuser=True, is_staff=True)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fi"
    profile.current_time_zone = "UTC"  # even then, meetings are shown in Helsinki time
    profile.save(update_fields=["preferred_language", "current_time_zone"])
    client.force_login(user)
    return user


def facilitator(username, first, last):
    user = UserFactory(username=username, first_name=first, last_name=last)
    user.groups.add(AuthGroup.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    return user


@pytest.fixture
def group():
    group = Group.objects.create(
        course=CoursePageFactory(),
        centre=CrisisCentreFactory(name="Kallio"),
        name="Tiistait",
        status=Group.Status.OPEN,
        facilitator_1=facilitator("ohjaaja-5", "Aino", "Virtanen"),
        facilitator_2=facilitator("ohjaaja-6", "Eero", "Korhonen"),
        schedule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12\nEXDATE:20261207T220000Z",
        schedule_from=dt.date(2026, 10, 13),
        start_time=dt.time(17, 30),
        enrolment_opens=dt.datetime(2026, 9, 1, 9, 0, tzinfo=ZoneInfo("Europe/Helsinki")),
    )
    meetings_schedule(group=group)
    return group


def values_of(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", value).strip() for value in re.findall(r"<dd>(.*?)</dd>", html, re.S)
    ]


def assert_finnish(html: str) -> None:
    for english in ENGLISH:
        assert english not in html, english


def test_group_inspect_reads_in_finnish_and_helsinki_time(client, finnish_coordinator, group):
    html = client.get(reverse("groups_group:inspect", args=[group.pk])).content.decode()

    assert_finnish(html)
    values = values_of(html)
    assert not {"None", "True", "False", ""} & set(values), values
    assert "Aino Virtanen" in values and "Eero Korhonen" in values
    assert "Ilmoittautuminen auki" in values
    assert any(value.startswith("Viikoittain tiistai klo 17.30: 12 tapaamista") for value in values)
    assert any("8.12.2026" in value for value in values)  # the skipped date, in words
    assert "1.9.2026 9.00" in values  # 9:00 Helsinki time, not 6.00 UTC
    assert "—" in values  # an empty field reads as a dash


def test_group_form_names_facilitators_and_explains_constraints(client, finnish_coordinator, group):
    url = reverse("groups_group:edit", args=[group.pk])
    form = client.get(url).content.decode()
    assert ">Aino Virtanen<" in form
    assert ">ohjaaja-5<" not in form

    response = client.post(
        url,
        {
            "course": group.course.pk,
            "name": "Tiistait",
            "status": "draft",
            "centre": group.centre.pk,
            "mode": "in_person",
            "language": "fi",
            "schedule": "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12",
            "schedule_from": "2026-10-13",
            "start_time": "17:30",
            "duration_minutes": "90",
            "facilitator_1": group.facilitator_1.pk,
            "facilitator_2": group.facilitator_2.pk,
            "capacity": "6",
            "min_size": "8",
        },
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "Vähimmäiskoko ei voi olla suurempi kuin paikkojen määrä." in html
    assert "group_min_size_within_capacity" not in html
    assert "Open for enrolment" not in html


def test_enrolment_inspect_and_outbox_list_read_in_finnish(client, finnish_coordinator, group):
    enrolment = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED, risk_flagged=True)
    OutboxMessage.objects.create(
        recipient=enrolment.email,
        template="confirmed",
        idempotency_key="fi-admin-confirmed",
        enrolment=enrolment,
    )

    inspect = client.get(reverse("enrolments:inspect", args=[enrolment.pk])).content.decode()
    outbox = client.get(reverse("outbox:index")).content.decode()

    assert_finnish(inspect)
    values = values_of(inspect)
    assert not {"None", "True", "False"} & set(values), values
    assert "Kyllä" in values
    assert_finnish(outbox)
    assert "Paikkasi ryhmässä on vahvistettu" in outbox


def test_course_languages_are_checkboxes(client, finnish_coordinator, site_tree):
    course = CoursePageFactory(languages=["fi", "sv"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content.decode()

    assert 'type="checkbox" name="languages" value="sv"' in html
    checked = re.findall(r'<input type="checkbox" name="languages" value="(\w+)"[^>]*checked', html)
    assert checked == ["fi", "sv"]
    assert json.dumps(["fi", "sv"]) not in html


def column_headers(html: str) -> list[str]:
    """The texts of a listing's column headers (its table's head), tags and whitespace dropped."""
    (head,) = re.findall(r"<table[^>]*listing.*?<thead>(.*?)</thead>", html, re.S)
    cells = re.findall(r"<th\b[^>]*>(.*?)</th>", head, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in cells]


def test_the_outbox_and_enrolment_lists_have_no_english_column_header(
    client, finnish_coordinator, group
):
    enrolment = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    OutboxMessage.objects.create(
        recipient=enrolment.email,
        template="confirmed",
        idempotency_key="fi-admin-headers",
        enrolment=enrolment,
    )
    profile = UserProfile.get_for_user(finnish_coordinator)
    headers = {}
    for language in ("fi", "en"):
        profile.preferred_language = language
        profile.save(update_fields=["preferred_language"])
        for listing in ("outbox:index", "enrolments:index"):
            html = client.get(reverse(listing)).content.decode()
            headers[language, listing] = [text for text in column_headers(html) if text]

    for listing in ("outbox:index", "enrolments:index"):
        finnish, english = headers["fi", listing], headers["en", listing]
        assert len(finnish) == len(english) >= 6, (finnish, english)
        # A header the same in both languages was never translated ("Language", "Created at").
        assert not set(finnish) & set(english), set(finnish) & set(english)
