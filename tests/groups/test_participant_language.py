"""What a participant takes away (calendar files, e-mails, certificates) speaks their language,
with dates and numbers written the way that language writes them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from cms.formats import meeting_format
from courses.models import CourseFormat
from groups.models import Enrolment, Group, OutboxMessage
from groups.services import outbox
from tests.factories import (
    AttendanceFactory,
    CoursePageFactory,
    EnrolmentFactory,
    GroupFactory,
    MeetingFactory,
    course_translate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(site_tree):
    course = CoursePageFactory(title="Surutyön ryhmä", languages=["fi", "sv", "en"])
    course_translate(course, "sv", title="Sorgegrupp")
    course_translate(course, "en", title="Grief group")
    return course


def test_calendar_file_of_a_swedish_participant_names_the_course_in_swedish(client, course):
    group = GroupFactory(course=course)
    MeetingFactory(group=group)
    enrolment = EnrolmentFactory(group=group, language="sv")

    # Opened from a Finnish page, the file is still the participant's own.
    body = client.get(f"/fi/my/{enrolment.manage_token}/calendar.ics").content.decode()

    assert "SUMMARY:Sorgegrupp" in body


def test_public_group_feed_speaks_the_language_of_its_url(client, course):
    group = GroupFactory(course=course, mode=Group.Mode.REMOTE)
    MeetingFactory(group=group)

    swedish = client.get(f"/sv/calendar/group/{group.pk}.ics").content.decode()
    english = client.get(f"/en/calendar/group/{group.pk}.ics").content.decode()

    assert "SUMMARY:Sorgegrupp" in swedish
    assert "X-WR-CALNAME:Sorgegrupp" in swedish
    assert "LOCATION:Distansträff (länken skickas till deltagarna)" in swedish
    assert "SUMMARY:Grief group" in english


def test_reminder_to_a_swedish_participant_is_swedish_with_a_swedish_meeting_time(course):
    group = GroupFactory(course=course)
    starts = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(hours=3)
    meeting = MeetingFactory(group=group, starts_at=starts)
    EnrolmentFactory(group=group, language="sv")

    assert outbox.meeting_reminders_queue() == 1
    _subject, text, html = outbox.message_render(OutboxMessage.objects.get(template="reminder"))

    with translation.override("sv"):
        when = meeting_format(meeting.starts_at, "MEETING_DATETIME_FORMAT")
    assert " kl. " in when
    assert f"En påminnelse: din grupp träffas {when}." in text
    assert when in html


def test_certificate_names_the_training_and_writes_hours_and_dates_in_the_readers_language(
    client, site_tree
):
    training = CoursePageFactory(
        title="Itsemurhien ehkäisyn koulutus",
        format=CourseFormat.TRAINING,
        training_hours=Decimal("7.5"),
    )
    course_translate(training, "sv", title="Utbildning i självmordsprevention")
    course_translate(training, "en", title="Suicide-prevention training")
    group = GroupFactory(course=training, status="completed")
    day = timezone.now() - dt.timedelta(days=8)
    meeting = MeetingFactory(group=group, starts_at=day)
    enrolment = EnrolmentFactory(group=group, language="sv")
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=day - dt.timedelta(days=1))
    AttendanceFactory(meeting=meeting, enrolment=enrolment)

    swedish = client.get(f"/sv/certificate/{enrolment.certificate_token}/").content.decode()
    english = client.get(f"/en/certificate/{enrolment.certificate_token}/").content.decode()

    local_day = timezone.localdate(day)
    assert "Deltagarintyg" in swedish
    assert "har deltagit i utbildningen ”Utbildning i självmordsprevention”" in swedish
    assert "<dd>7,5</dd>" in swedish
    assert f"{local_day.day}.{local_day.month}.{local_day.year}" in swedish
    assert "Suicide-prevention training" in english
    assert "<dd>7.5</dd>" in english
    assert local_day.strftime("%-d %b %Y") in english
