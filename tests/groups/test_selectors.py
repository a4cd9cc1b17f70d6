import pytest

from groups.capacity import groups_with_places
from groups.models import Enrolment
from tests.factories import EnrolmentFactory, GroupFactory

pytestmark = pytest.mark.django_db


def test_places_left_counts_confirmed_and_offered_but_not_waiting_or_cancelled():
    group = GroupFactory(capacity=5)
    for status in ["confirmed", "confirmed", "offered", "waitlisted", "cancelled", "pending"]:
        EnrolmentFactory(group=group, status=status)

    annotated = groups_with_places().get(pk=group.pk)

    assert annotated.places_taken == 3
    assert annotated.places_left == 2
    assert annotated.waitlist_length == 1


def test_places_left_never_goes_below_zero():
    group = GroupFactory(capacity=1, min_size=1)
    EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)

    assert groups_with_places().get(pk=group.pk).places_left == 0


def test_a_posted_group_comes_with_its_questions_in_their_order(django_assert_num_queries):
    from courses.models import IntakeQuestion
    from groups.selectors.enrolment import group_and_questions_for_post
    from tests.factories import CoursePageFactory

    course = CoursePageFactory(title="Itsemurhan kautta läheisensä menettäneiden ryhmä")
    second = IntakeQuestion.objects.create(course=course, text="Toinen?", sort_order=2)
    first = IntakeQuestion.objects.create(course=course, text="Ensimmäinen?", sort_order=1)
    group = GroupFactory(course=course)

    # The group with its course, then the questions: two ORM queries.
    with django_assert_num_queries(2):
        posted, questions = group_and_questions_for_post(group.pk)
        assert posted.course.title == course.title
        assert posted.capacity == group.capacity

    assert [question.pk for question in questions] == [first.pk, second.pk]
    assert questions[0].text == "Ensimmäinen?"


def test_a_posted_group_without_questions_and_a_missing_group():
    from groups.selectors.enrolment import group_and_questions_for_post

    group = GroupFactory()

    assert group_and_questions_for_post(group.pk)[0].pk == group.pk
    assert group_and_questions_for_post(group.pk)[1] == []
    assert group_and_questions_for_post(group.pk + 1000) == (None, [])
