"""Participants meet the intake in their own language, a crisis response that promises only what
will happen, the group's facts before enrolling and in every e-mail, and a manage page that
tells their place in the queue, where to go and a calendar that learns of cancellations."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import CoursePage, IntakeQuestion
from groups.models import Enrolment, FacilitatorProfile, Meeting
from groups.services.enrolment import enrolment_cancel
from tests.factories import (
    CoursePageFactory,
    CrisisCentreFactory,
    EnrolmentFactory,
    GroupFactory,
    MeetingFactory,
    course_translate,
)

pytestmark = pytest.mark.django_db

RISK_FI = "Onko sinulla viime viikkoina ollut ajatuksia oman elämäsi päättämisestä?"
RISK_SV = "Har du under de senaste veckorna haft tankar på att ta ditt liv?"


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.ENROLMENT_RATE_LIMIT = 0


def _risk_question(course, text):
    return IntakeQuestion.objects.create(
        course=course, text=text, kind="yes_no", is_risk_question=True, risk_answers="yes"
    )


@pytest.fixture
def course(site_tree):
    course = CoursePageFactory(title="Surutyön ryhmä", languages=["fi", "sv"])
    _risk_question(course, RISK_FI)
    swedish = course_translate(course, "sv", title="Sorgegrupp")
    # The translation carries copies of the Finnish questions: the editor translates them.
    swedish_question = IntakeQuestion.objects.get(course=swedish)
    swedish_question.text = RISK_SV
    swedish_question.save()
    return course


def enrol_url(group, language) -> str:
    with translation.override(language):
        return reverse("groups:enrol", kwargs={"group_id": group.pk})


def _form(question, answer="yes", **changes):
    data = {
        "display_name": "Fågel",
        "email": "fagel@example.invalid",
        "phone": "",
        "language": "sv",
        "consent": "on",
        f"intake_{question.pk}": answer,
    }
    data.update(changes)
    return data


def test_a_swedish_visitor_is_asked_the_swedish_questions_and_never_the_finnish(client, course):
    group = GroupFactory(course=course)

    page = client.get(enrol_url(group, "sv")).content.decode()

    assert RISK_SV in page
    assert RISK_FI not in page


def test_a_swedish_risk_answer_with_only_an_email_promises_no_call(client, course):
    group = GroupFactory(course=course)
    swedish_question = IntakeQuestion.objects.get(text=RISK_SV)

    response = client.post(enrol_url(group, "sv"), _form(swedish_question), follow=True)

    enrolment = Enrolment.objects.get()
    assert enrolment.risk_flagged
    assert enrolment.intake_answers == {RISK_SV: "yes"}
    page = response.content.decode()
    with translation.override("sv"):
        from django.utils.translation import gettext

        no_call = gettext(
            "Thank you for telling us. Your enrolment is saved, and a coordinator will contact "
            "you by e-mail. You gave no phone number: if you would like a call, you can add one "
            "on the page for managing your place."
        )
    assert no_call in page
    assert f"/sv/my/{enrolment.manage_token}/#add-phone" in page
    # The Swedish line with its hours, the Finnish line open all the time, and 112.
    assert "09 2525 0112" in page and "mån och ons kl. 16–20" in page  # noqa: RUF001
    assert "09 2525 0111" in page and "24/7" in page
    assert "112" in page


def test_a_risk_answer_with_a_phone_number_promises_a_call(client, course):
    group = GroupFactory(course=course)
    question = IntakeQuestion.objects.get(text=RISK_FI)

    response = client.post(
        enrol_url(group, "en"),
        _form(question, email="", phone="040 123 4567", language="en"),
        follow=True,
    )

    page = response.content.decode()
    assert "a coordinator will call you at the number you gave" in page
    assert "Add a phone number" not in page


def test_a_phone_number_added_on_the_manage_page_is_saved_and_the_form_goes(client, site_tree):
    enrolment = EnrolmentFactory(phone="", risk_flagged=True)
    manage = f"/en/my/{enrolment.manage_token}/"

    assert 'type="tel"' in client.get(manage).content.decode()
    response = client.post(f"{manage}phone/", {"phone": "040 765 4321"}, follow=True)

    enrolment.refresh_from_db()
    assert enrolment.phone
    page = response.content.decode()
    assert "a coordinator will call you at the number you gave" in page
    assert 'id="add-phone"' not in page


def test_an_english_visitor_of_a_course_without_english_sees_finnish_questions_marked(
    client, course
):
    group = GroupFactory(course=course)

    page = client.get(enrol_url(group, "en")).content.decode()

    assert RISK_FI in page
    assert '<div class="intake" lang="fi">' in page
    assert "not available in your language yet" in page


@pytest.fixture
def described_group(site_tree):
    course = CoursePageFactory(title="Surutyön ryhmä", languages=["fi", "en"])
    course_translate(course, "en", title="Grief group")
    centre = CrisisCentreFactory(
        name="Kriisikeskus Tampere", address="Hämeenkatu 1", city="Tampere"
    )
    group = GroupFactory(course=course, centre=centre, start_time=dt.time(17, 30))
    FacilitatorProfile.objects.create(user=group.facilitator_1, profession="Psychiatric nurse")
    first = timezone.localdate() + dt.timedelta(days=14)
    for week in range(3):
        starts = timezone.make_aware(
            dt.datetime.combine(first + dt.timedelta(weeks=week), dt.time(17, 30))
        )
        MeetingFactory(group=group, starts_at=starts, ends_at=starts + dt.timedelta(minutes=90))
    group.ends_on = first + dt.timedelta(weeks=2)
    group.starts_on = first
    group.save()
    return group


def test_the_enrol_page_and_course_page_tell_the_groups_facts(client, described_group):
    group = described_group
    english = CoursePage.objects.get(
        translation_key=group.course.translation_key, locale__language_code="en"
    )
    for url in (enrol_url(group, "en"), english.url):
        page = client.get(url).content.decode()
        assert "3 meetings" in page
        with translation.override("en"):
            assert group.starts_on.strftime("%A") in page
        assert '<span lang="fi">Hämeenkatu 1</span>, Tampere' in page
        assert "Psychiatric nurse" in page
        assert "10 places left" in page
        assert "Last meeting" in page


def test_an_english_participants_email_has_the_english_title_and_the_facts(client, described_group):
    group = described_group
    EnrolmentFactory(group=group, language="en", email="reader@example.invalid")
    from groups.services.outbox import enrolment_message_queue

    enrolment = Enrolment.objects.get()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        enrolment_message_queue(enrolment=enrolment, template="confirmed", key_suffix="t")

    body = mail.outbox[-1].body
    assert "Grief group" in body
    assert "Surutyön ryhmä" not in body
    assert "3 meetings" in body
    assert "Hämeenkatu 1, Tampere" in body
    assert "First meeting" in body and "Last meeting" in body


def test_the_manage_page_tells_the_queue_place_and_offers_no_calendar_while_queued(
    client, site_tree
):
    group = GroupFactory(capacity=1, min_size=1)
    EnrolmentFactory(group=group)
    now = timezone.now()
    EnrolmentFactory(group=group, status="waitlisted", queued_at=now - dt.timedelta(hours=1))
    second = EnrolmentFactory(group=group, status="waitlisted", queued_at=now)

    page = client.get(f"/en/my/{second.manage_token}/").content.decode()

    assert "Number 2 in the waiting list" in page
    assert "calendar.ics" not in page
    assert client.get(f"/en/my/{second.manage_token}/calendar.ics").status_code == 404


def test_the_manage_page_tells_where_the_group_meets(client, described_group):
    enrolment = EnrolmentFactory(group=described_group)

    page = client.get(f"/en/my/{enrolment.manage_token}/").content.decode()

    assert (
        '<span lang="fi">Kriisikeskus Tampere</span>, <span lang="fi">Hämeenkatu 1</span>, Tampere'
        in page
    )


def test_the_manage_calendar_marks_every_meeting_cancelled_once_the_enrolment_is(
    client, described_group
):
    enrolment = EnrolmentFactory(group=described_group, language="en")
    calendar = f"/fi/my/{enrolment.manage_token}/calendar.ics"
    before = client.get(calendar).content.decode()
    assert before.count("STATUS:CONFIRMED") == 3
    assert "SUMMARY:Grief group" in before

    enrolment_cancel(enrolment_id=enrolment.pk)
    after = client.get(calendar).content.decode()

    assert after.count("STATUS:CANCELLED") == 3
    assert "STATUS:CONFIRMED" not in after


def test_the_manage_calendar_marks_a_cancelled_meeting(client, described_group):
    enrolment = EnrolmentFactory(group=described_group)
    meeting = described_group.meetings.order_by("starts_at").first()
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)

    body = client.get(f"/en/my/{enrolment.manage_token}/calendar.ics").content.decode()

    assert body.count("STATUS:CANCELLED") == 1
    assert body.count("STATUS:CONFIRMED") == 2
