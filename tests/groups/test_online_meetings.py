"""Online groups (issue 26, point 5): the video link shows only to people with a confirmed place,
from VIDEO_LINK_SHOWN_HOURS_BEFORE before a meeting until it ends, and in the reminder; never
on public pages, in calendars or in the first confirmation; a changed link is sent once."""

import datetime as dt
import logging
import re
from contextlib import contextmanager
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from cms.sms import sms_fits_one
from groups import tasks
from groups.models import Enrolment, Group, Meeting, OutboxMessage
from groups.selectors.meetings import video_link_shown
from groups.services import outbox
from groups.services.enrolment import enrolment_create
from groups.services.outbox import sms_render
from groups.services.video_links import group_video_link_changed, meeting_video_link_set
from tests.factories import EnrolmentFactory, GroupFactory, MeetingFactory, UserFactory
from tests.groups.test_viewsets import facilitator, group_form

pytestmark = pytest.mark.django_db

GROUP_LINK = "https://teams.example/l/meetup-join/group-room"
OWN_LINK = "https://meet.jit.si/vertaistuki-own-room"
STARTS = dt.datetime(2027, 3, 9, 15, 30, tzinfo=dt.UTC)


@contextmanager
def frozen(instant: dt.datetime):
    """Every `timezone.now()` answers `instant` (the views, services and selectors ask it)."""
    with mock.patch("django.utils.timezone.now", return_value=instant):
        yield


def manage_page(client, enrolment, language="en") -> str:
    with translation.override(language):
        path = reverse("groups:manage", kwargs={"token": enrolment.manage_token})
    return client.get(path).content.decode()


def online_group(**kwargs) -> Group:
    return GroupFactory(mode=Group.Mode.REMOTE, video_link=GROUP_LINK, **kwargs)


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (STARTS - dt.timedelta(hours=24, seconds=1), False),
        (STARTS - dt.timedelta(hours=24), True),
        (STARTS + dt.timedelta(minutes=89, seconds=59), True),
        (STARTS + dt.timedelta(minutes=90), False),
    ],
    ids=["a second before the window", "window opens", "last second", "meeting ended"],
)
def test_video_link_shows_from_a_day_before_the_meeting_until_it_ends(
    client, site_tree, moment, shown
):
    group = online_group(starts_on=STARTS.date())
    MeetingFactory(group=group, starts_at=STARTS)
    MeetingFactory(group=group, starts_at=STARTS + dt.timedelta(days=7))
    enrolment = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)

    with frozen(moment):
        page = manage_page(client, enrolment)

    assert ("group-room" in page) is shown
    assert ('id="video-link"' in page) is shown


def test_the_setting_sets_how_early_the_link_shows(settings):
    settings.VIDEO_LINK_SHOWN_HOURS_BEFORE = 2
    group = online_group()
    meeting = MeetingFactory(group=group, starts_at=STARTS)
    enrolment = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    meetings = [meeting]

    early = STARTS - dt.timedelta(hours=2, seconds=1)
    assert video_link_shown(enrolment=enrolment, meetings=meetings, now=early) is None
    on_time = STARTS - dt.timedelta(hours=2)
    assert video_link_shown(enrolment=enrolment, meetings=meetings, now=on_time) == (
        meeting,
        GROUP_LINK,
    )


def test_a_meetings_own_link_wins_and_a_cancelled_meeting_shows_none():
    group = online_group()
    cancelled = MeetingFactory(
        group=group, starts_at=STARTS - dt.timedelta(hours=3), status=Meeting.Status.CANCELLED
    )
    own = MeetingFactory(group=group, starts_at=STARTS, video_link=OWN_LINK)
    enrolment = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)

    shown = video_link_shown(
        enrolment=enrolment, meetings=[cancelled, own], now=STARTS - dt.timedelta(hours=4)
    )

    assert shown == (own, OWN_LINK)


@pytest.mark.parametrize(
    "status",
    [
        Enrolment.Status.PENDING,
        Enrolment.Status.WAITLISTED,
        Enrolment.Status.OFFERED,
        Enrolment.Status.CANCELLED,
        Enrolment.Status.DECLINED,
    ],
)
def test_only_a_confirmed_place_sees_the_link(client, site_tree, status):
    group = online_group()
    MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=2))
    enrolment = EnrolmentFactory(group=group, status=status)

    assert "group-room" not in manage_page(client, enrolment)


def test_public_pages_and_calendar_files_never_carry_the_link(client, site_tree):
    group = online_group()
    meeting = MeetingFactory(
        group=group, starts_at=timezone.now() + dt.timedelta(hours=2), video_link=OWN_LINK
    )
    enrolment = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    with translation.override("fi"):
        public = [
            group.course.url,
            reverse("groups:enrol", kwargs={"group_id": group.pk}),
            reverse("groups:group_calendar", kwargs={"group_id": group.pk}),
            reverse("groups:course_calendar", kwargs={"course_id": group.course.pk}),
            reverse("groups:manage_calendar", kwargs={"token": enrolment.manage_token}),
            reverse("groups:enrol_done", kwargs={"token": enrolment.done_token}),
        ]
    for path in public:
        response = client.get(path)
        body = response.content.decode()
        assert response.status_code == 200, path
        assert "group-room" not in body, path
        assert "own-room" not in body, path
    # The same meeting's link is on the manage page: the window is open.
    assert "own-room" in manage_page(client, enrolment)
    assert meeting.video_link_in_use == OWN_LINK


def test_the_first_confirmation_never_carries_the_link(
    django_capture_on_commit_callbacks, site_tree
):
    group = online_group()
    MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_create(
            group_id=group.pk,
            display_name="Tuuli",
            email="tuuli@example.invalid",
            language="fi",
            consent_text_version="2026-1",
        )

    assert enrolment.status == Enrolment.Status.CONFIRMED
    sent = mail.outbox[0]
    assert "group-room" not in sent.body
    assert "group-room" not in sent.alternatives[0][0]


@pytest.mark.parametrize(
    ("language", "join", "cant_come"),
    [
        ("fi", "Liity tapaamiseen videolla", "En pääse tällä kertaa"),
        ("sv", "Delta i träffen via video", "Jag kan inte komma den här gången"),
        ("en", "Join the meeting by video", "I can't come this time"),
    ],
)
def test_the_reminder_carries_the_link_and_i_cant_come_in_the_persons_language(
    site_tree, language, join, cant_come
):
    group = online_group()
    meeting = MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=20))
    enrolment = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED, language=language)

    assert tasks.meeting_reminders_queue() == 1

    reminder = OutboxMessage.objects.get(template="reminder")
    # The row never holds the link: it is looked up when the message is sent.
    assert "group-room" not in str(reminder.context)
    _subject, text, html = outbox.message_render(reminder)
    apology_path = f"/{language}/my/{enrolment.manage_token}/meetings/{meeting.pk}/cant-come/"
    for body in (text, html):
        assert GROUP_LINK in body
        assert join in body
        assert cant_come in body
        assert apology_path in body


def test_a_reminder_sent_after_the_place_was_cancelled_carries_no_link(site_tree):
    group = online_group()
    MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=20))
    enrolment = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    tasks.meeting_reminders_queue()
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.CANCELLED)

    _subject, text, html = outbox.message_render(OutboxMessage.objects.get(template="reminder"))

    assert "group-room" not in text + html


def test_a_changed_meeting_link_is_sent_once_to_each_confirmed_person(site_tree, caplog):
    group = online_group()
    meeting = MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=5))
    confirmed = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    by_text = EnrolmentFactory(
        group=group, status=Enrolment.Status.CONFIRMED, email="", phone="+358401234567"
    )
    for status in (Enrolment.Status.OFFERED, Enrolment.Status.WAITLISTED):
        EnrolmentFactory(group=group, status=status)
    coordinator = UserFactory()

    with caplog.at_level(logging.DEBUG):
        meeting_video_link_set(meeting=meeting, video_link=OWN_LINK, user=coordinator)
        meeting_video_link_set(meeting=meeting, video_link=OWN_LINK, user=coordinator)

    messages = OutboxMessage.objects.filter(template="video_link_changed")
    sent = {(message.enrolment, message.channel) for message in messages}
    assert sent == {(confirmed, "email"), (by_text, "sms")}
    email = messages.get(channel="email")
    _subject, text, html = outbox.message_render(email)
    assert OWN_LINK in text and OWN_LINK in html
    # Never in a log line, an audit entry or a stored message.
    assert "own-room" not in caplog.text
    entry = ModelLogEntry.objects.get(action="groups.meeting.video_link_changed")
    assert "own-room" not in str(entry.data) + entry.label
    assert all("own-room" not in str(message.context) for message in messages)


def test_a_text_message_of_a_changed_link_leads_to_the_manage_page_showing_it(client, site_tree):
    group = online_group()
    meeting = MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=5))
    EnrolmentFactory(
        group=group,
        status=Enrolment.Status.CONFIRMED,
        email="",
        phone="+358401234567",
        language="sv",
    )

    meeting_video_link_set(meeting=meeting, video_link=OWN_LINK)

    message = OutboxMessage.objects.get(template="video_link_changed", channel="sms")
    body = sms_render(template=message.template, language="sv", context=message.context)
    assert "videolänken" in body and "own-room" not in body
    assert sms_fits_one(body)
    short = re.search(r"https?://\S+/s/\w+", body).group(0)
    page = client.get(urlsplit(short).path, follow=True).content.decode()
    assert OWN_LINK in page


def test_a_link_changed_again_is_sent_again_and_a_far_meeting_waits_for_its_reminder(site_tree):
    group = online_group()
    soon = MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=5))
    MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(days=7))
    EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)

    group.video_link = "https://zoom.example/j/1"
    group.save(update_fields=["video_link"])
    assert group_video_link_changed(group=group, previous=GROUP_LINK) == 1
    group.video_link = "https://zoom.example/j/2"
    group.save(update_fields=["video_link"])
    assert group_video_link_changed(group=group, previous="https://zoom.example/j/1") == 1
    # Saved again without a change: nothing more.
    assert group_video_link_changed(group=group, previous="https://zoom.example/j/2") == 0

    sent = OutboxMessage.objects.filter(template="video_link_changed")
    assert sent.count() == 2
    assert {message.context["meeting_id"] for message in sent} == {soon.pk}


def test_a_meeting_with_its_own_link_is_not_told_of_the_groups_new_link(site_tree):
    group = online_group()
    MeetingFactory(
        group=group, starts_at=timezone.now() + dt.timedelta(hours=5), video_link=OWN_LINK
    )
    EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    group.video_link = "https://zoom.example/j/3"
    group.save(update_fields=["video_link"])

    assert group_video_link_changed(group=group, previous=GROUP_LINK) == 0


def test_only_an_https_address_is_a_video_link():
    meeting = MeetingFactory(group=online_group())
    for bad in ("http://meet.example/room", "javascript:alert(1)", "ftp://meet.example/"):
        meeting.video_link = bad
        with pytest.raises(ValidationError):
            meeting.full_clean()
    meeting.video_link = OWN_LINK
    meeting.full_clean()


def test_coordinator_gives_a_meeting_its_own_link_in_the_admin(client, site_tree, admin_user):
    group = online_group()
    meeting = MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=5))
    EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    client.force_login(admin_user)
    path = reverse("groups_meeting_video_link", args=[meeting.pk])

    form = client.get(path)
    assert form.status_code == 200
    refused = client.post(path, {"video_link": "http://meet.example/room"})
    assert refused.status_code == 200
    meeting.refresh_from_db()
    assert meeting.video_link == ""

    response = client.post(path, {"video_link": OWN_LINK})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.video_link == OWN_LINK
    assert OutboxMessage.objects.filter(template="video_link_changed").count() == 1
    edit = client.get(reverse("groups_group:edit", args=[group.pk])).content.decode()
    assert path in edit


def test_saving_the_group_form_with_a_new_link_tells_people(client, site_tree, admin_user):
    group = online_group(facilitator_1=facilitator("ohjaaja_a"), facilitator_2=facilitator("b"))
    # An extra meeting: saving the schedule leaves it where it is.
    MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=5), is_extra=True)
    EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    client.force_login(admin_user)
    data = group_form(
        group.course, group.centre, group.facilitator_1, group.facilitator_2, video_link=OWN_LINK
    )

    response = client.post(reverse("groups_group:edit", args=[group.pk]), data)

    assert response.status_code == 302
    group.refresh_from_db()
    assert group.video_link == OWN_LINK
    assert OutboxMessage.objects.filter(template="video_link_changed").count() == 1
    client.post(reverse("groups_group:edit", args=[group.pk]), data)
    assert OutboxMessage.objects.filter(template="video_link_changed").count() == 1


def test_the_groups_spreadsheet_export_leaves_the_link_out(client, site_tree, admin_user):
    group = online_group(name="Etäryhmä torstaisin")
    client.force_login(admin_user)
    response = client.get(reverse("groups_group:index") + "?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert group.name.encode() in body
    assert b"group-room" not in body


LONG_CENTRE = "Etelä-Pohjanmaan kriisikeskus"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("online", [True, False])
def test_the_text_reminder_carries_i_cant_come_in_one_message(
    client, site_tree, settings, language, online
):
    # A 40-character short link: more than the 35 docs/messages.md plans for.
    settings.BASE_URL = "https://vertaistuki.example"
    group = online_group() if online else GroupFactory()
    group.centre.name = group.centre.name_sv = group.centre.name_en = LONG_CENTRE
    group.centre.save()
    meeting = MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=20))
    enrolment = EnrolmentFactory(
        group=group,
        status=Enrolment.Status.CONFIRMED,
        email="",
        phone="+358401234567",
        language=language,
    )

    tasks.meeting_reminders_queue()

    message = OutboxMessage.objects.get(template="reminder", channel="sms")
    assert "group-room" not in str(message.context)
    body = sms_render(template="reminder", language=language, context=message.context)
    assert sms_fits_one(body), (len(body), body)
    assert "group-room" not in body
    (link,) = re.findall(r"https://vertaistuki\.example/s/\w+", body)
    assert len(link) == 40
    # It opens the meeting's page: "I can't come" (opening it changes nothing) and, for an
    # online meeting, the video link (the window is open: the meeting is within a day).
    page = client.get(urlsplit(link).path, follow=True)
    assert page.redirect_chain[-1][0].endswith(
        f"/my/{enrolment.manage_token}/meetings/{meeting.pk}/cant-come/"
    )
    assert page.status_code == 200
    assert ("group-room" in page.content.decode()) is online
    assert not enrolment.apologies.exists()


def test_the_meeting_page_shows_the_video_link_until_the_end_but_no_buttons_after_the_start(
    client, site_tree
):
    group = online_group()
    meeting = MeetingFactory(group=group, starts_at=STARTS)
    enrolment = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    with translation.override("en"):
        path = reverse(
            "groups:apology", kwargs={"token": enrolment.manage_token, "meeting_id": meeting.pk}
        )

    with frozen(STARTS + dt.timedelta(minutes=10)):
        late = client.get(path)
    with frozen(meeting.ends_at):
        ended = client.get(path)
    with frozen(STARTS - dt.timedelta(days=2)):
        early = client.get(path)

    assert late.status_code == 200
    assert "group-room" in late.content.decode()
    assert 'name="answer"' not in late.content.decode()
    assert ended.status_code == 410
    assert "group-room" not in ended.content.decode()
    assert early.status_code == 200
    assert "group-room" not in early.content.decode()
