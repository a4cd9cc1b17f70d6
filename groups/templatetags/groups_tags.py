"""Template tags of the public pages: how course pages, the catalogue and the crisis-centre
directory show their groups (`courses` never imports `groups`; its templates load these)."""

import json

from django import template
from django.conf import settings
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cms.links import absolute_url, page_absolute_url
from cms.models import CrisisCentre
from courses.models import CourseFormat
from courses.selectors import catalogue_courses, course_titles_in, topics_for
from groups import links
from groups.models import Group, Meeting
from groups.selectors.catalogue import (
    Availability,
    CatalogueFilters,
    catalogue_places,
    course_keys_with_groups,
    groups_by_course,
    upcoming_groups,
    with_facts,
    with_states,
)
from groups.selectors.residential import programme_days

register = template.Library()

CATALOGUE_PAGE_SIZE = 20

# As Django's json_script: no "</script>" or HTML can break out of the data block.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

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
    groups = with_facts(with_states(groups))
    for group in groups:
        group.enrol_url = links.enrol_url(group_id=group.pk, language=language)
        group.calendar_url = links.group_calendar_url(group_id=group.pk, language=language)
    return groups


@register.simple_tag(takes_context=True)
def catalogue(context, index_page):
    """The catalogue's filter form and results, from the request's GET parameters."""
    request = context["request"]
    language = _language()
    topics = list(topics_for(locale=index_page.locale_id))  # the id: no query for the locale
    places = catalogue_places()
    filters = CatalogueFilters.from_query(
        request.GET, topics=[topic.slug for topic in topics], places=places
    )
    courses = catalogue_courses(index_page=index_page, topic=filters.topic, format=filters.format)
    if filters.filters_groups:
        courses = courses.filter(translation_key__in=course_keys_with_groups(filters=filters))
    # A page of courses at a time, and only that page's groups: the page stays the same size
    # (and the same number of queries) with 10 or 10,000 groups in the network.
    page = Paginator(courses, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    groups = _with_links(
        upcoming_groups(
            translation_keys=[course.translation_key for course in page], filters=filters
        ),
        language,
    )
    by_course = groups_by_course(groups)
    topics_by_key = {topic.translation_key: topic for topic in topics}
    entries = [
        {
            "course": course,
            "topic": course.topic_in_page_language(topics_by_key),
            "groups": by_course.get(course.translation_key, []),
        }
        for course in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filters": filters,
        "entries": entries,
        "count": page.paginator.count,
        "page": page,
        "page_query": query.urlencode(),
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


def _with_programme(groups: list[Group]) -> None:
    """A residential course's groups show their programme day by day: one query for all."""
    by_group: dict[int, list[Meeting]] = {}
    for meeting in Meeting.objects.filter(group__in=groups).order_by("starts_at"):
        by_group.setdefault(meeting.group_id, []).append(meeting)
    for group in groups:
        group.programme_days = programme_days(by_group.get(group.pk, []))


@register.simple_tag(takes_context=True)
def course_groups(context, course):
    """A course page's upcoming groups and the crisis centres that run them."""
    language = _language()
    groups = _with_links(upcoming_groups(translation_keys=[course.translation_key]), language)
    if course.format == CourseFormat.RESIDENTIAL:
        _with_programme(groups)
    centres = list({group.centre_id: group.centre for group in groups if group.centre}.values())
    return {
        "groups": groups,
        "centres": centres,
        "calendar_url": links.course_calendar_url(course_id=course.pk, language=language),
    }


@register.inclusion_tag("groups/includes/group_list.html", takes_context=True)
def group_list(context, groups, show_course: bool = False, course=None):
    """`course`: the course page in the visitor's language, whose title names each group's links
    (a group hangs on one language's page, so `group.course` may be in another language)."""
    return {
        "groups": groups,
        "show_course": show_course,
        "course": course,
        "Availability": Availability,
    }


COURSE_MODES = {
    Group.Mode.IN_PERSON: "onsite",
    Group.Mode.REMOTE: "online",
    Group.Mode.HYBRID: "blended",
}


@register.simple_tag(takes_context=True)
def course_json_ld(context, course, groups):
    """schema.org Course with its groups as CourseInstances, as a JSON-LD data block."""
    request = context.get("request")
    url = page_absolute_url(course, request=request)
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "description": course.summary,
        "url": url,
        "inLanguage": course.languages or [course.locale.language_code],
        "isAccessibleForFree": True,
        "provider": {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME},
        "hasCourseInstance": [
            {
                "@type": "CourseInstance",
                "courseMode": COURSE_MODES.get(group.mode, "onsite"),
                "startDate": group.starts_on.isoformat() if group.starts_on else None,
                "endDate": group.ends_on.isoformat() if group.ends_on else None,
                "inLanguage": group.language,
                "location": (
                    {"@type": "VirtualLocation", "url": url}
                    if group.mode == Group.Mode.REMOTE
                    else {
                        "@type": "Place",
                        "name": (group.venue or group.centre).name
                        if (group.venue or group.centre)
                        else group.city,
                        "address": {
                            "@type": "PostalAddress",
                            "addressLocality": group.city or "",
                            "addressCountry": "FI",
                        },
                    }
                ),
                "offers": {
                    "@type": "Offer",
                    "price": "0",
                    "priceCurrency": "EUR",
                    "availability": "https://schema.org/InStock"
                    if group.availability == Availability.PLACES
                    else "https://schema.org/SoldOut",
                    "url": absolute_url(group.enrol_url),
                },
            }
            for group in groups
        ],
    }
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        JSON_SCRIPT_ESCAPES
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.simple_tag(takes_context=True)
def crisis_centres_with_groups(context):
    """Every crisis centre with its upcoming groups, each group titled in the page's language."""
    language = _language()
    centres = list(CrisisCentre.objects.order_by("city", "name"))
    groups = _with_links(upcoming_groups(centres=centres), language)
    titles = course_titles_in(
        translation_keys={group.course.translation_key for group in groups}, language=language
    )
    by_centre: dict[int, list[Group]] = {}
    for group in groups:
        group.course_title, group.course_url = titles.get(
            group.course.translation_key, (group.course.title, group.course.url)
        )
        by_centre.setdefault(group.centre_id, []).append(group)
    for centre in centres:
        centre.upcoming_groups = by_centre.get(centre.pk, [])
    return centres
