"""Read queries for the catalogue's courses (their groups live in `groups.selectors`)."""

from django.db.models import QuerySet
from wagtail.models import Page

from courses.models import CoursePage, Topic


def catalogue_courses(*, index_page: Page, topic: str = "", format: str = "") -> QuerySet:
    courses = CoursePage.objects.live().child_of(index_page).select_related("topic")
    if topic:
        courses = courses.filter(topic__slug=topic)
    if format:
        courses = courses.filter(format=format)
    return courses.order_by("path")


def topics_for(*, locale) -> QuerySet[Topic]:
    return Topic.objects.filter(locale=locale).order_by("name")


def course_titles_in(*, translation_keys, language: str) -> dict:
    """Title and URL of each course in the given language, keyed by translation key."""
    pages = CoursePage.objects.live().filter(
        translation_key__in=list(translation_keys), locale__language_code=language
    )
    return {page.translation_key: (page.title, page.url) for page in pages}
