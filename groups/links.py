"""Public addresses of a group's pages, in a given language, built in one place so templates
and e-mails never spell them (used by the catalogue's template tags and the outbox)."""

from django.urls import reverse
from django.utils import translation


def enrol_url(*, group_id: int, language: str) -> str:
    with translation.override(language):
        return reverse("groups:enrol", kwargs={"group_id": group_id})


def group_calendar_url(*, group_id: int, language: str) -> str:
    with translation.override(language):
        return reverse("groups:group_calendar", kwargs={"group_id": group_id})


def course_calendar_url(*, course_id: int, language: str) -> str:
    with translation.override(language):
        return reverse("groups:course_calendar", kwargs={"course_id": course_id})
