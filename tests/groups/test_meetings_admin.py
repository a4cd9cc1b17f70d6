"""A group's meetings in the admin: listed on its edit and inspect pages (Helsinki time),
cancelled, moved or added one at a time with a reason, each change mailed once to the people
holding a place in their language; a schedule change that moves meetings is mailed too."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.urls import reverse
from django.utils import timezone

from groups.models import Group, Meeting, OutboxMessage
from groups.selectors.facilitators import FACILITATORS_GROUP
from groups.services.outbox import message_render
from groups.services.schedule import meetings_schedule
from tests.factories import (
    CoursePageFactory,
    CrisisCentreFactory,
    EnrolmentFactory,
    GroupFactory,
    MeetingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def coordinator(client):
    user = UserFactory(username="koordinaattori-m", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def group():
    group = GroupFactory(status=Group.Status.OPEN, centre=CrisisCentreFactory(name="Kallio"))
    EnrolmentFactory(group=group, status="confirmed", language="fi", email="aino@example.org")
    EnrolmentFactory(group=group, status="confirmed", language="sv", email="bo@example.org")
    EnrolmentFactory(group=group, status="waitlisted", email="odottaa@example.org")
    return group


def meeting_at(group, day: dt.date, hour=17, minute=30):
    start = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HELSINKI)
    return MeetingFactory(group=group, starts_at=start, ends_at=start + dt.timedelta(minutes=90))


def coming(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def test_edit_and_inspect_pages_list_meetings_in_helsinki_time(client, coordinator, group):
    meeting_at(group, coming(10))
    cancelled = meeting_at(group, coming(17))
    Meeting.objects.filter(pk=cancelled.pk).update(status="cancelled", note="Pyhäpäivä")

    for name in ("groups_group:edit", "groups_group:inspect"):
        html = client.get(reverse(name, args=[group.pk])).content.decode()
        assert html.count("data-meeting-row") == 2, name
        assert "17.30\N{EN DASH}19.00" in html  # Helsinki wall clock, not UTC (15.30)
        assert "15.30" not in html
        assert "Kallio" in html
        assert "Peruttu" in html and "Pyhäpäivä" in html
        assert reverse("groups_meeting_add", args=[group.pk]) in html
        assert reverse("groups_meeting_cancel", args=[cancelled.pk]) not in html


def test_cancelling_one_meeting_says_who_is_told_then_mails_them_once(
    client, coordinator, group, django_capture_on_commit_callbacks
):
    meeting = meeting_at(group, coming(10))
    url = reverse("groups_meeting_cancel", args=[meeting.pk])

    page = client.get(url).content.decode()
    assert "2 paikan saanutta henkilöä saa tiedon sähköpostilla tai tekstiviestillä" in page
    assert not OutboxMessage.objects.exists()

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Ohjaaja sairastui"})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED and meeting.note == "Ohjaaja sairastui"
    mails = OutboxMessage.objects.filter(template="meeting_changed").order_by("recipient")
    assert [(mail.recipient, mail.language) for mail in mails] == [
        ("aino@example.org", "fi"),
        ("bo@example.org", "sv"),
    ]
    _subject, text, _html = message_render(mails[1])
    assert "har ställts in" in text, text
    assert "Ohjaaja sairastui" in text
    # Cancelling again changes nothing and sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Ohjaaja sairastui"})
    assert OutboxMessage.objects.filter(template="meeting_changed").count() == 2


def test_moving_one_meeting_keeps_it_off_the_schedule_rewrite(
    client, coordinator, group, django_capture_on_commit_callbacks
):
    meeting = meeting_at(group, coming(10))
    new_day = coming(11)
    url = reverse("groups_meeting_move", args=[meeting.pk])
    assert 'value="17:30"' in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "day": new_day.isoformat(),
                "start_time": "18:00",
                "duration_minutes": "120",
                "reason": "Sali varattu",
            },
        )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MOVED
    assert meeting.starts_at == dt.datetime.combine(new_day, dt.time(18), tzinfo=HELSINKI)
    assert meeting.ends_at - meeting.starts_at == dt.timedelta(minutes=120)
    assert OutboxMessage.objects.filter(template="meeting_changed").count() == 2


def test_adding_a_meeting_tells_everyone_with_a_place(
    client, coordinator, group, django_capture_on_commit_callbacks
):
    day = coming(30)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups_meeting_add", args=[group.pk]),
            {
                "day": day.isoformat(),
                "start_time": "17:30",
                "duration_minutes": "90",
                "title": "Jälkitapaaminen",
                "reason": "Toivottiin yhteistä jatkoa",
            },
        )

    assert response.status_code == 302
    extra = group.meetings.get(is_extra=True)
    assert extra.title == "Jälkitapaaminen"
    mail = OutboxMessage.objects.get(template="meeting_changed", recipient="aino@example.org")
    _subject, text, _html = message_render(mail)
    assert "lisätty" in text, text


def test_another_centres_meeting_is_not_found(client, group):
    centre_coordinator = UserFactory(username="tampere-m")
    centre_coordinator.groups.add(AuthGroup.objects.get(name="Coordinators"))
    from groups.models import CoordinatorProfile

    profile = CoordinatorProfile.objects.create(user=centre_coordinator)
    profile.centres.add(CrisisCentreFactory(name="Tampere"))
    meeting = meeting_at(group, coming(10))
    client.force_login(centre_coordinator)

    assert client.get(reverse("groups_meeting_cancel", args=[meeting.pk])).status_code == 404
    client.post(reverse("groups_meeting_cancel", args=[meeting.pk]), {"reason": "x"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


RULE = "RRULE:FREQ=WEEKLY;COUNT=10"


def scheduled_group(**overrides):
    group = GroupFactory(
        status=Group.Status.OPEN,
        schedule=RULE,
        schedule_from=coming(7),
        start_time=dt.time(17, 30),
        **overrides,
    )
    meetings_schedule(group=group)
    return group


def test_a_schedule_change_that_moves_meetings_mails_each_person_once(
    django_capture_on_commit_callbacks,
):
    group = scheduled_group()
    EnrolmentFactory(group=group, status="confirmed", language="en", email="ann@example.org")
    EnrolmentFactory(group=group, status="pending", email="pending@example.org")
    attended = group.meetings.order_by("starts_at").first()

    with django_capture_on_commit_callbacks(execute=True):
        meetings_schedule(group=group)  # nothing changed: nobody is told
    assert not OutboxMessage.objects.filter(template="schedule_changed").exists()

    Group.objects.filter(pk=group.pk).update(start_time=dt.time(18, 0))
    group.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        meetings_schedule(group=group)
    with django_capture_on_commit_callbacks(execute=True):
        meetings_schedule(group=group)  # saved again unchanged: no second e-mail

    mails = OutboxMessage.objects.filter(template="schedule_changed")
    assert [mail.recipient for mail in mails] == ["ann@example.org"]
    _subject, text, _html = message_render(mails[0])
    listed = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(listed) == 10 and all("6:00 pm" in line for line in listed), text
    assert group.meetings.filter(pk=attended.pk).exists()


def test_saving_the_form_with_a_new_time_keeps_attendance_and_tells_people(
    client, coordinator, django_capture_on_commit_callbacks
):
    group = scheduled_group(name="Keskiviikot")
    person = EnrolmentFactory(group=group, status="confirmed", email="aino@example.org")
    first = group.meetings.order_by("starts_at").first()
    Meeting.objects.filter(pk=first.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=1),
        ends_at=timezone.now() - dt.timedelta(days=1) + dt.timedelta(minutes=90),
    )
    from groups.models import Attendance

    Attendance.objects.create(meeting=first, enrolment=person, status="present")
    preview = client.post(
        reverse("groups_schedule_preview"),
        {
            "group": group.pk,
            "schedule": RULE,
            "schedule_from": group.schedule_from.isoformat(),
            "start_time": "18:15",
            "duration_minutes": "90",
            "course": group.course.pk,
        },
    ).content.decode()
    assert "1 paikan saanut henkilö saa uudet ajat sähköpostilla tai tekstiviestillä" in preview

    group.start_time = dt.time(18, 15)
    group.save(update_fields=["start_time"])
    with django_capture_on_commit_callbacks(execute=True):
        meetings_schedule(group=group)

    assert Attendance.objects.filter(meeting=first, enrolment=person).exists()
    assert (
        OutboxMessage.objects.filter(
            template="schedule_changed", recipient="aino@example.org"
        ).count()
        == 1
    )


def test_preview_of_an_unchanged_schedule_tells_nobody(client, coordinator):
    group = scheduled_group()
    EnrolmentFactory(group=group, status="confirmed")
    preview = client.post(
        reverse("groups_schedule_preview"),
        {
            "group": group.pk,
            "schedule": RULE,
            "schedule_from": group.schedule_from.isoformat(),
            "start_time": "17:30",
            "duration_minutes": "90",
            "course": group.course.pk,
        },
    ).content.decode()
    assert "sähköpostin" not in preview


# --- A group open for enrolment has two facilitators -------------------------------------


def _facilitator(username):
    user = UserFactory(username=username)
    user.groups.add(AuthGroup.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    return user


def _form(course, centre, **overrides):
    data = {
        "course": course.pk,
        "name": "Yksi ohjaaja",
        "status": "open",
        "centre": centre.pk,
        "mode": "in_person",
        "language": "fi",
        "schedule": "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12",
        "schedule_from": "2026-10-13",
        "start_time": "17:30",
        "duration_minutes": "90",
        "facilitator_1": _facilitator("vain-yksi").pk,
        "facilitator_2": "",
        "capacity": "10",
        "min_size": "5",
    }
    data.update(overrides)
    return data


def test_a_group_cannot_open_with_one_facilitator_but_a_draft_can(client, coordinator, site_tree):
    course, centre = CoursePageFactory(), CrisisCentreFactory()

    refused = client.post(reverse("groups_group:add"), _form(course, centre))
    assert refused.status_code == 200
    assert "Ilmoittautumiselle avoimella ryhmällä on oltava kaksi ohjaajaa" in (
        refused.content.decode()
    )
    assert not Group.objects.exists()

    draft = client.post(reverse("groups_group:add"), _form(course, centre, status="draft"))
    assert draft.status_code == 302
    assert Group.objects.get().status == Group.Status.DRAFT


def test_model_validation_names_the_missing_facilitator():
    from django.core.exceptions import ValidationError

    group = GroupFactory.build(status=Group.Status.OPEN, facilitator_2=None)
    with pytest.raises(ValidationError) as error:
        group.clean()
    assert "status" in error.value.message_dict
    group.status = Group.Status.DRAFT
    group.clean()
