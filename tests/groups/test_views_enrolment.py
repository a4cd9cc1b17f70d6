import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import IntakeQuestion
from groups.models import Enrolment, Group, OutboxMessage
from tests.factories import CoursePageFactory, EnrolmentFactory, GroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.ENROLMENT_RATE_LIMIT = 0


def form_data(**overrides) -> dict:
    data = {
        "display_name": "Sininen lintu",
        "email": "",
        "phone": "040 123 4567",
        "language": "fi",
        "interpreter_language": "",
        "accessibility_needs": "",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def enrol_url(group, language="en") -> str:
    with translation.override(language):
        return reverse("groups:enrol", kwargs={"group_id": group.pk})


def test_enrolment_form_lives_under_the_language_prefix(client, site_tree):
    group = GroupFactory()
    assert enrol_url(group, "sv") == f"/sv/enrol/{group.pk}/"
    response = client.get(enrol_url(group))
    assert response.status_code == 200
    content = response.content.decode()
    assert "pseudonym" in content
    assert "09 2525 0116" in content  # helplines on the page
    assert 'name="csrfmiddlewaretoken"' in content


def test_pseudonym_with_only_a_phone_number_gets_a_place_and_a_manage_link(client, site_tree):
    group = GroupFactory()

    response = client.post(enrol_url(group), form_data(), follow=True)

    enrolment = Enrolment.objects.get()
    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert enrolment.display_name == "Sininen lintu"
    assert enrolment.consent_text_version == "2026-1"
    assert enrolment.consented_at is not None
    content = response.content.decode()
    assert "Your place is confirmed" in content
    assert f"/en/my/{enrolment.manage_token}/" in content


def test_full_group_puts_the_person_on_the_waiting_list(client, site_tree):
    group = GroupFactory(capacity=1, min_size=1)
    EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    response = client.post(enrol_url(group), form_data(), follow=True)
    assert "waiting list" in response.content.decode()


def test_course_needing_approval_says_so(client, site_tree):
    group = GroupFactory(course=CoursePageFactory(requires_approval=True))
    response = client.post(enrol_url(group), form_data(), follow=True)
    assert "awaiting approval" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"phone": "", "email": ""}, "Give an e-mail address or a phone number"),
        ({"display_name": "x" * 10_000}, "at most 80 characters"),
        ({"email": "not-an-address"}, "valid email"),
        ({"consent": None}, "This field is required"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(
    client, site_tree, changes, field_message
):
    group = GroupFactory()
    response = client.post(enrol_url(group), form_data(**changes))
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert 'aria-describedby="' in response.content.decode()
    assert not Enrolment.objects.exists()


def test_closed_group_says_so_and_saves_nothing(client, site_tree):
    group = GroupFactory(status=Group.Status.COMPLETED)
    response = client.post(enrol_url(group), form_data())
    assert "This group has ended" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_second_enrolment_with_the_same_phone_is_refused_kindly(client, site_tree):
    group = GroupFactory()
    client.post(enrol_url(group), form_data())
    response = client.post(enrol_url(group), form_data(display_name="Toinen"))
    assert response.status_code == 400
    assert "already enrolled" in response.content.decode()
    assert Enrolment.objects.count() == 1


def test_honeypot_looks_like_success_but_saves_nothing(client, site_tree):
    group = GroupFactory()
    response = client.post(enrol_url(group), form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert not Enrolment.objects.exists()


def test_rate_limit_per_address(client, site_tree, settings):
    settings.ENROLMENT_RATE_LIMIT = 2
    group = GroupFactory()
    for n in range(2):
        client.post(enrol_url(group), form_data(phone=f"040 000 000{n}"))
    response = client.post(enrol_url(group), form_data(phone="040 000 0009"))
    assert response.status_code == 429
    assert Enrolment.objects.count() == 2


def test_csrf_is_required(site_tree):
    from django.test import Client

    group = GroupFactory()
    response = Client(enforce_csrf_checks=True).post(enrol_url(group), form_data())
    assert response.status_code == 403


def test_risk_answer_never_blocks_shows_helplines_and_flags(client, site_tree):
    course = CoursePageFactory()
    IntakeQuestion.objects.create(
        course=course,
        text="Have you had thoughts of ending your life lately?",
        kind=IntakeQuestion.Kind.YES_NO,
        is_risk_question=True,
        risk_answers="yes",
        required=True,
    )
    question = course.intake_questions.get()
    group = GroupFactory(course=course)

    response = client.post(
        enrol_url(group), form_data(**{f"intake_{question.pk}": "yes"}), follow=True
    )

    enrolment = Enrolment.objects.get()
    assert enrolment.risk_flagged
    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert enrolment.intake_answers == {question.text: "yes"}
    content = response.content.decode()
    assert 'class="crisis-notice"' in content
    assert "112" in content
    assert "09 2525 0116" in content


def test_no_risk_answer_shows_no_crisis_notice(client, site_tree):
    group = GroupFactory()
    response = client.post(enrol_url(group), form_data(), follow=True)
    assert 'class="crisis-notice"' not in response.content.decode()


def manage_url(enrolment, name="groups:manage", language="en") -> str:
    with translation.override(language):
        return reverse(name, kwargs={"token": enrolment.manage_token})


def test_manage_page_shows_status_meetings_and_video_link_only_once_confirmed(
    client, site_tree, django_assert_max_num_queries
):
    group = GroupFactory(video_link="https://meet.example/secret-room")
    # The first meeting is in two hours: its video link shows (docs/features.md).
    for day in range(5):
        MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=2, days=day * 7))
    confirmed = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    waiting = EnrolmentFactory(group=group, status=Enrolment.Status.WAITLISTED)

    with django_assert_max_num_queries(12):
        response = client.get(manage_url(confirmed))
    content = response.content.decode()
    assert "Confirmed" in content
    assert "secret-room" in content
    assert content.count("<li>") >= 5
    assert "calendar.ics" in content

    assert "secret-room" not in client.get(manage_url(waiting)).content.decode()


def test_manage_page_unknown_token_is_not_found(client, site_tree):
    assert client.get("/en/my/not-a-real-token/").status_code == 404


def test_manage_link_expires_after_the_group_ended(client, site_tree):
    group = GroupFactory(ends_on=timezone.localdate() - dt.timedelta(days=60))
    enrolment = EnrolmentFactory(group=group)
    response = client.get(manage_url(enrolment))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert client.post(manage_url(enrolment, "groups:manage_cancel")).status_code == 410
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CONFIRMED


def test_calendar_file_lists_the_meetings(client, site_tree):
    meeting = MeetingFactory()
    enrolment = EnrolmentFactory(group=meeting.group)
    response = client.get(manage_url(enrolment, "groups:manage_calendar"))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body
    assert f"meeting-{meeting.pk}@vertaistuki" in body


def test_calendar_file_never_carries_the_video_link_even_for_a_confirmed_place(client, site_tree):
    meeting = MeetingFactory(
        group=GroupFactory(video_link="https://meet.example/secret-room"),
        starts_at=timezone.now() + dt.timedelta(hours=2),
        video_link="https://meet.example/own-room",
    )
    enrolment = EnrolmentFactory(group=meeting.group, status=Enrolment.Status.CONFIRMED)
    body = client.get(manage_url(enrolment, "groups:manage_calendar")).content.decode()
    assert "own-room" not in body
    assert f"meeting-{meeting.pk}@vertaistuki" in body
    assert "secret-room" not in body
    assert "own-room" in client.get(manage_url(enrolment)).content.decode()


def test_cancel_needs_a_confirmation_step_then_offers_the_place_on(
    client, site_tree, django_capture_on_commit_callbacks
):
    group = GroupFactory(capacity=1, min_size=1)
    holder = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    waiting = EnrolmentFactory(group=group, status=Enrolment.Status.WAITLISTED)

    confirm_page = client.get(manage_url(holder, "groups:manage_cancel"))
    assert "Yes, cancel my enrolment" in confirm_page.content.decode()
    holder.refresh_from_db()
    assert holder.status == Enrolment.Status.CONFIRMED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage_url(holder, "groups:manage_cancel"), follow=True)

    assert "Your enrolment has been cancelled" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.OFFERED
    offer = OutboxMessage.objects.get(enrolment=waiting, template="offer")
    assert offer.status == OutboxMessage.Status.SENT
    assert any(waiting.manage_token in message.body for message in mail.outbox)


def test_offer_can_be_accepted_from_the_link(client, site_tree):
    enrolment = EnrolmentFactory(
        status=Enrolment.Status.OFFERED, offer_expires_at=timezone.now() + dt.timedelta(1)
    )
    page = client.get(manage_url(enrolment, "groups:offer"))
    assert "Yes, I take the place" in page.content.decode()
    client.post(manage_url(enrolment, "groups:offer"), {"answer": "accept"})
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CONFIRMED


def test_offer_can_be_declined_from_the_link(client, site_tree):
    enrolment = EnrolmentFactory(
        status=Enrolment.Status.OFFERED, offer_expires_at=timezone.now() + dt.timedelta(1)
    )
    client.post(manage_url(enrolment, "groups:offer"), {"answer": "decline"})
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED


def test_needs_can_be_updated(client, site_tree):
    enrolment = EnrolmentFactory()
    client.post(
        manage_url(enrolment, "groups:manage_needs"),
        {"interpreter_language": "arabia", "accessibility_needs": "Pyörätuoli"},
    )
    enrolment.refresh_from_db()
    assert enrolment.interpreter_language == "arabia"
    assert enrolment.accessibility_needs == "Pyörätuoli"


def test_private_pages_are_never_cached(client, site_tree):
    enrolment = EnrolmentFactory()
    response = client.get(manage_url(enrolment))
    assert "no-store" in response["Cache-Control"]


def test_crisis_notice_does_not_repeat_the_footers_heading_id(client, site_tree):
    course = CoursePageFactory()
    question = IntakeQuestion.objects.create(
        course=course,
        text="Have you had thoughts of ending your life lately?",
        kind=IntakeQuestion.Kind.YES_NO,
        is_risk_question=True,
        risk_answers="yes",
    )
    group = GroupFactory(course=course)
    response = client.post(
        enrol_url(group), form_data(**{f"intake_{question.pk}": "yes"}), follow=True
    )
    content = response.content.decode()
    assert 'class="crisis-notice"' in content
    assert content.count('id="helplines-heading"') == 1


def test_draft_group_has_no_public_form(client, site_tree):
    group = GroupFactory(status=Group.Status.DRAFT)
    assert client.get(enrol_url(group)).status_code == 404


def test_enrolment_form_shows_the_course_title_in_the_visitors_language(client, site_tree):
    from tests.factories import CoursePageFactory, GroupFactory

    course = CoursePageFactory(title="Sururyhmä", slug="sururyhma")
    swedish = course.copy_for_translation(site_tree["sv"].locale, copy_parents=True, alias=False)
    swedish.title = "Sorgegrupp"
    swedish.save_revision().publish()
    group = GroupFactory(course=course, name="Tisdagar")

    html = client.get(f"/sv/enrol/{group.pk}/").content.decode()

    assert '<h1>Anmäl dig: Sorgegrupp: <span lang="fi">Tisdagar</span></h1>' in html
