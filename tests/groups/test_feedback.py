"""Anonymous end-of-group feedback: one-time links that lead back to nobody."""

import datetime as dt
import uuid

import pytest
from django.db import models
from django.test import override_settings
from django.utils import timezone

from groups.exceptions import FeedbackError
from groups.models import FeedbackAnswer, FeedbackToken
from groups.services.feedback import feedback_links_issue
from tests.factories import EnrolmentFactory, GroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended_group():
    group = GroupFactory(status="completed")
    MeetingFactory(group=group, starts_at=timezone.now() - dt.timedelta(days=2))
    for _ in range(3):
        EnrolmentFactory(group=group)
    EnrolmentFactory(group=group, status="cancelled")
    return group


def answer(client, link, **data):
    return client.post(link, {"helped": 4, "recommend": "yes", "comment": "Hyvä ryhmä", **data})


def test_one_link_per_participant_after_the_last_meeting(ended_group):
    links = feedback_links_issue(group=ended_group)

    assert len(links) == 3
    assert len(set(links)) == 3
    with pytest.raises(FeedbackError):
        feedback_links_issue(group=ended_group)


def test_no_links_before_the_last_meeting():
    group = GroupFactory()
    MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(days=1))
    EnrolmentFactory(group=group)
    with pytest.raises(FeedbackError):
        feedback_links_issue(group=group)


def test_a_link_takes_one_answer_only(client, ended_group):
    link = feedback_links_issue(group=ended_group)[0]

    page = client.get(link).content.decode()
    assert link.startswith("/fi/feedback/")  # the group's language
    assert "anonymous" in page or "anonyymi" in page
    assert "Hyvä ryhmä" not in page
    assert answer(client, link).status_code == 200
    assert answer(client, link, comment="Toinen kerta").status_code == 404
    assert FeedbackAnswer.objects.count() == 1


def test_answers_cannot_be_linked_to_a_person(client, ended_group):
    links = feedback_links_issue(group=ended_group)
    answer(client, links[0], comment="Ensimmäinen")

    stored_tokens = set(FeedbackToken.objects.values_list("token_hash", flat=True))
    for link in links:
        raw = link.rstrip("/").rsplit("/", 1)[1]
        assert raw not in stored_tokens  # only hashes are kept
    # Nothing in a token or an answer points at an enrolment, a person or a time.
    for model in (FeedbackToken, FeedbackAnswer):
        names = {field.name for field in model._meta.get_fields()}
        assert not names & {"enrolment", "email", "phone", "display_name", "created_at"}
    # The enrolments keep nothing of the links either.
    for enrolment in ended_group.enrolments.all():
        assert all(
            link.rstrip("/").rsplit("/", 1)[1] not in str(value)
            for value in enrolment.__dict__.values()
            for link in links
        )


@pytest.fixture
def coordinator(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser("koordinaattori", "k@example.invalid", "x")
    )
    return client


def test_coordinator_sees_results_per_course_with_charts(client, coordinator):
    group = ended_group_of(5)
    links = feedback_links_issue(group=group)
    answer(client, links[0], helped=5, comment="Tosi hyvä")
    for link in links[1:]:
        answer(client, link, helped=4, recommend="maybe", comment="")

    page = coordinator.get("/admin/reports/feedback/").content.decode()

    assert group.course.title in page
    assert "Tosi hyvä" in page
    assert "<svg" in page
    assert "4,2 / 5" in page or "4.2 / 5" in page


def ended_group_of(participants: int):
    group = GroupFactory(status="completed")
    MeetingFactory(group=group, starts_at=timezone.now() - dt.timedelta(days=2))
    for _ in range(participants):
        EnrolmentFactory(group=group)
    return group


def test_a_group_with_fewer_than_five_answers_shows_no_results_or_comments(client, coordinator):
    small = ended_group_of(4)
    for link in feedback_links_issue(group=small):
        answer(client, link, helped=1, comment="Vetäjä ei kuunnellut minua")

    page = coordinator.get("/admin/reports/feedback/").content.decode()

    assert "Vetäjä ei kuunnellut minua" not in page
    assert small.course.title not in page
    assert "fewer than 5 answers" in page or "alle 5 vastausta" in page


@override_settings(FEEDBACK_MIN_ANSWERS=3)
def test_the_minimum_is_a_setting(client, coordinator, ended_group):
    for link in feedback_links_issue(group=ended_group):
        answer(client, link, comment="Kolme riittää")

    page = coordinator.get("/admin/reports/feedback/").content.decode()

    assert "Kolme riittää" in page


def test_answers_have_random_ids_and_no_time(client, ended_group):
    links = feedback_links_issue(group=ended_group)
    for link in links:
        answer(client, link)

    ids = list(FeedbackAnswer.objects.values_list("pk", flat=True))
    assert all(isinstance(pk, uuid.UUID) and pk.version == 4 for pk in ids)
    assert not [
        field.name
        for field in FeedbackAnswer._meta.get_fields()
        if isinstance(field, (models.DateTimeField, models.DateField))
    ]


def test_unknown_link_is_404(client, ended_group):
    assert client.get("/fi/feedback/not-a-real-token/").status_code == 404
