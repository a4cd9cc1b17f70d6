"""Public addresses of a group's pages, built in one place so templates never spell them."""

from django.urls import NoReverseMatch, reverse
from django.utils import translation


def enrol_url(*, group_id: int, language: str) -> str:
    """The enrolment form of a group. The form is built in its own branch; until its URL name
    exists, the agreed path is used so that the links already work when it lands."""
    with translation.override(language):
        try:
            return reverse("groups:enrol", kwargs={"group_id": group_id})
        except NoReverseMatch:
            return f"/{language}/enrol/{group_id}/"


def group_calendar_url(*, group_id: int, language: str) -> str:
    with translation.override(language):
        return reverse("groups:group_calendar", kwargs={"group_id": group_id})


def course_calendar_url(*, course_id: int, language: str) -> str:
    with translation.override(language):
        return reverse("groups:course_calendar", kwargs={"course_id": course_id})
