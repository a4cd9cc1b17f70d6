"""How course pages and the catalogue show their groups (`courses` never imports `groups`)."""

from django import template
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from courses.models import CourseFormat
from courses.selectors import catalogue_courses, topics_for
from groups import links
from groups.models import Group
from groups.selectors import (
    Availability,
    CatalogueFilters,
    catalogue_places,
    groups_by_course,
    upcoming_groups,
)

register = template.Library()

WEEKS_CHOICES = [
    (2, _("within 2 weeks")),
    (4, _("within a month")),
    (9, _("within 2 months")),
    (13, _("within 3 months")),
    (26, _("within 6 months")),
]
MODE_CHOICES = [
    (Group.Mode.IN_PERSON, _("In person")),
    (Group.Mode.REMOTE, _("Remote")),
]


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _with_links(groups, language: str) -> list[Group]:
    groups = list(groups)
    for group in groups:
        group.enrol_url = links.enrol_url(group_id=group.pk, language=language)
        group.calendar_url = links.group_calendar_url(group_id=group.pk, language=language)
    return groups


@register.simple_tag(takes_context=True)
def catalogue(context, index_page):
    """The catalogue's filter form and results, from the request's GET parameters."""
    request = context["request"]
    language = _language()
    topics = list(topics_for(locale=index_page.locale))
    places = catalogue_places()
    filters = CatalogueFilters.from_query(
        request.GET, topics=[topic.slug for topic in topics], places=places
    )
    courses = list(
        catalogue_courses(index_page=index_page, topic=filters.topic, format=filters.format)
    )
    groups = _with_links(
        upcoming_groups(
            translation_keys=[course.translation_key for course in courses], filters=filters
        ),
        language,
    )
    by_course = groups_by_course(groups)
    entries = [
        {"course": course, "groups": by_course.get(course.translation_key, [])}
        for course in courses
        if not filters.filters_groups or course.translation_key in by_course
    ]
    return {
        "filters": filters,
        "entries": entries,
        "group_count": len(groups),
        "options": {
            "topics": [(topic.slug, topic.name) for topic in topics],
            "formats": CourseFormat.choices,
            "places": places,
            "modes": MODE_CHOICES,
            "languages": settings.LANGUAGES,
            "weeks": WEEKS_CHOICES,
        },
    }


@register.simple_tag(takes_context=True)
def course_groups(context, course):
    """A course page's upcoming groups and the crisis centres that run them."""
    language = _language()
    groups = _with_links(upcoming_groups(translation_keys=[course.translation_key]), language)
    centres = list({group.centre_id: group.centre for group in groups if group.centre}.values())
    return {
        "groups": groups,
        "centres": centres,
        "calendar_url": links.course_calendar_url(course_id=course.pk, language=language),
    }


@register.inclusion_tag("groups/includes/group_list.html", takes_context=True)
def group_list(context, groups, show_course: bool = False):
    return {"groups": groups, "show_course": show_course, "Availability": Availability}
