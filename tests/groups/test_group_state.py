"""A group's state is one rule: the catalogue, the course page, the enrolment form and the
calendars agree, in the same words; groups of draft, unpublished or private courses do not exist
for visitors."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction

from groups.models import Enrolment, Group
from groups.selectors.availability import GroupState, group_state
from tests.factories import CoursePageFactory, EnrolmentFactory, GroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.ENROLMENT_RATE_LIMIT = 0


def enrol_url(group, language="en") -> str:
    with translation.override(language):
        return reverse("groups:enrol", kwargs={"group_id": group.pk})


FORM = {
    "display_name": "Sininen lintu",
    "email": "lintu@example.invalid",
    "language": "en",
    "consent": "on",
}
HOUR = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"status": Group.Status.FULL}, "Full, enrolment closed"),
        ({"enrolment_closes": "past"}, "Enrolment closed"),
        ({"enrolment_opens": "future"}, "Enrolment has not opened yet"),
        ({"status": Group.Status.CANCELLED}, "This group is cancelled"),
        ({"status": Group.Status.COMPLETED}, "This group has ended"),
        ({"status": Group.Status.RUNNING}, "Enrolment closed"),
    ],
)
def test_a_group_that_takes_no_enrolment_refuses_in_the_catalogues_words(
    client, site_tree, changes, words
):
    now = timezone.now()
    values = {
        key: (now - HOUR if value == "past" else now + HOUR if value == "future" else value)
        for key, value in changes.items()
    }
    if "enrolment_opens" in values:
        values["enrolment_closes"] = now + 2 * HOUR
    group = GroupFactory(**values)

    page = client.get(enrol_url(group)).content.decode()
    posted = client.post(enrol_url(group), FORM).content.decode()

    assert words in page
    assert words in posted
    assert 'name="display_name"' not in page
    assert not Enrolment.objects.exists()


def test_the_catalogue_and_the_form_say_the_same_of_a_group_closed_by_hand(client, site_tree):
    group = GroupFactory(status=Group.Status.FULL)

    course_page = client.get(group.course.url).content.decode()
    form = client.get(enrol_url(group, "fi")).content.decode()

    with translation.override("fi"):
        words = str(GroupState.FULL.label)
    assert words in course_page
    assert words in form
    assert f'href="/fi/enrol/{group.pk}/"' not in course_page


def test_an_open_group_with_a_queue_takes_an_enrolment_into_the_queue(client, site_tree):
    group = GroupFactory(capacity=1, min_size=1)
    EnrolmentFactory(group=group)

    page = client.get(enrol_url(group)).content.decode()
    client.post(enrol_url(group), FORM)

    assert "Full: you can join the waiting list" in page
    assert Enrolment.objects.get(display_name="Sininen lintu").status == "waitlisted"


def _private(course):
    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="salainen"
    )


def _unpublished(course):
    course.unpublish()


@pytest.mark.parametrize(
    "hide", [_private, _unpublished, "draft"], ids=["private", "unpublished", "draft"]
)
def test_a_hidden_groups_form_and_calendars_do_not_exist_and_it_has_no_catalogue_row(
    client, site_tree, hide
):
    course = CoursePageFactory()
    group = GroupFactory(course=course)
    MeetingFactory(group=group)
    if hide == "draft":
        Group.objects.filter(pk=group.pk).update(status=Group.Status.DRAFT)
    else:
        hide(course)

    assert client.get(enrol_url(group)).status_code == 404
    assert client.post(enrol_url(group), FORM).status_code == 404
    assert client.get(f"/fi/calendar/group/{group.pk}.ics").status_code == 404
    if hide != "draft":
        assert client.get(f"/fi/calendar/course/{course.pk}.ics").status_code == 404
    from groups.selectors.catalogue import upcoming_groups

    assert group.pk not in {row.pk for row in upcoming_groups()}
    assert not Enrolment.objects.exists()


def test_the_service_refuses_a_group_of_an_unpublished_course(site_tree):
    from groups.exceptions import EnrolmentError
    from groups.services.enrolment import enrolment_create

    group = GroupFactory()
    group.course.unpublish()

    with pytest.raises(EnrolmentError):
        enrolment_create(
            group_id=group.pk, display_name="A", email="a@example.invalid", consent_text_version="1"
        )


def test_the_rule_in_order_of_precedence():
    group = Group(status=Group.Status.OPEN)
    assert group_state(group=group, places_left=3, course_public=True) == GroupState.PLACES
    assert group_state(group=group, places_left=0, course_public=True) == GroupState.WAITLIST
    assert group_state(group=group, places_left=3, course_public=False) == GroupState.HIDDEN
    group.ends_on = timezone.localdate() - dt.timedelta(days=1)
    assert group_state(group=group, places_left=3, course_public=True) == GroupState.ENDED
