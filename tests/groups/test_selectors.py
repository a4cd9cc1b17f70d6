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


def test_the_enrolment_form_asks_the_questions_of_the_course_in_its_order():
    from courses.models import IntakeQuestion
    from groups.selectors.enrolment import course_in_language
    from tests.factories import CoursePageFactory

    course = CoursePageFactory(title="Itsemurhan kautta läheisensä menettäneiden ryhmä")
    second = IntakeQuestion.objects.create(course=course, text="Toinen?", sort_order=2)
    first = IntakeQuestion.objects.create(course=course, text="Ensimmäinen?", sort_order=1)
    group = GroupFactory(course=course)

    asked = course_in_language(group=group, language="fi")

    assert [question.pk for question in asked.questions] == [first.pk, second.pk]
    assert asked.fallback_language is None


def test_a_group_for_the_form_comes_in_one_query_and_a_missing_one_is_none(
    django_assert_num_queries,
):
    from groups.selectors.enrolment import group_for_enrolment

    group = GroupFactory()

    with django_assert_num_queries(1):
        found = group_for_enrolment(group.pk)
        assert (found.course.title, found.places_left, found.meeting_count) == (
            group.course.title,
            10,
            None,
        )
    assert group_for_enrolment(group.pk + 1000) is None
