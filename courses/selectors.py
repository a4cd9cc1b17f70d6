"""Read queries for the catalogue's courses (their groups live in `groups.selectors`)."""

from django.db.models import Q, QuerySet
from wagtail.models import Locale, Page

from courses.models import CoursePage, Topic


def catalogue_courses(*, index_page: Page, topic: str = "", format: str = "") -> QuerySet:
    courses = CoursePage.objects.live().child_of(index_page).select_related("topic__locale")
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


def course_by_name(name: str) -> CoursePage:
    """The course a coordinator means by a title in any language or a slug.

    A course is one translation set: the sv and en pages of a Finnish course are the same
    course, so a name matching several of them is one match, and the page returned is the
    default-locale one. Raises `CoursePage.DoesNotExist` or, when the name fits two different
    courses, `CoursePage.MultipleObjectsReturned`.
    """
    text = " ".join(str(name).split())
    keys = set(
        CoursePage.objects.filter(Q(title__iexact=text) | Q(slug__iexact=text)).values_list(
            "translation_key", flat=True
        )
    )
    if not keys:
        raise CoursePage.DoesNotExist
    if len(keys) > 1:
        raise CoursePage.MultipleObjectsReturned
    pages = CoursePage.objects.filter(translation_key=keys.pop())
    default = pages.filter(locale=Locale.get_default()).first()
    return default or pages.order_by("pk").first()


def course_names(*, limit: int = 200) -> list[str]:
    """The titles of live courses in the default language, for an import template."""
    return list(
        CoursePage.objects.live()
        .filter(locale=Locale.get_default())
        .order_by("title")
        .values_list("title", flat=True)[:limit]
    )
