"""Template tags of the public pages: how course pages, the catalogue and the crisis-centre
directory show their groups (`courses` never imports `groups`; its templates load these)."""

import json
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cms.links import absolute_url, page_absolute_url
from cms.models import CrisisCentre, text_in_language
from cms.templatetags.cms_tags import in_language
from cms.towns import town_name, towns_named
from courses.models import CourseFormat, CourseIndexPage, CoursePage
from courses.selectors import catalogue_courses, course_titles_in, topics_for
from groups import links
from groups.models import Group, Meeting
from groups.selectors.catalogue import (
    CATALOGUE_STATUSES,
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


def _json_ld(data) -> str:
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        JSON_SCRIPT_ESCAPES
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.simple_tag(takes_context=True)
def crisis_centres_with_groups(context):
    """Every crisis centre with its remote points and upcoming groups, named in the page's
    language, with a link to its groups in the catalogue."""
    language = _language()
    centres = list(CrisisCentre.objects.prefetch_related("remote_points").order_by("city", "name"))
    groups = _with_links(upcoming_groups(centres=centres), language)
    titles = course_titles_in(
        translation_keys={group.course.translation_key for group in groups}, language=language
    )
    catalogue_page = CourseIndexPage.objects.live().filter(locale__language_code=language).first()
    by_centre: dict[int, list[Group]] = {}
    for group in groups:
        # A course not translated into the page's language is named by its own page's title,
        # marked with that page's language.
        group.course_title, group.course_url = titles.get(
            group.course.translation_key, (group.course.title, group.course.url)
        )
        group.course_title_lang = (
            "" if group.course.translation_key in titles else settings.LANGUAGE_CODE[:2]
        )
        by_centre.setdefault(group.centre_id, []).append(group)
    for centre in centres:
        centre.upcoming_groups = by_centre.get(centre.pk, [])
        centre.display_name = text_in_language(centre, "name", language)
        centre.display_city = centre.city_in(language)
        centre.points = [
            {"town": point.town_in(language), "point": point}
            for point in centre.remote_points.all()
        ]
        centre.catalogue_url = (
            f"{catalogue_page.url}?{urlencode({'place': centre.city})}" if catalogue_page else ""
        )
    return centres


@register.simple_tag(takes_context=True)
def centres_json_ld(context, centres):
    """schema.org Organization of every centre (and its remote points as further locations),
    as one JSON-LD data block: data, not script, so the CSP's script-src does not apply."""
    request = context.get("request")
    page_url = request.build_absolute_uri(request.path) if request else ""
    organisations = []
    for centre in centres:
        places = [
            {
                "@type": "Place",
                "name": centre.display_name,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": centre.address,
                    "postalCode": centre.postcode,
                    "addressLocality": centre.display_city,
                    "addressRegion": centre.region,
                    "addressCountry": "FI",
                },
            },
            *(
                {
                    "@type": "Place",
                    "name": point["town"],
                    "address": {
                        "@type": "PostalAddress",
                        "streetAddress": point["point"].address,
                        "addressLocality": point["town"],
                        "addressCountry": "FI",
                    },
                }
                for point in centre.points
            ),
        ]
        organisation = {
            "@type": "Organization",
            "@id": f"{page_url}#centre-{centre.pk}",
            "name": centre.display_name,
            "url": centre.website or f"{page_url}#centre-{centre.pk}",
            "address": places[0]["address"],
            "location": places,
        }
        if centre.phone:
            organisation["telephone"] = centre.phone
        if centre.email:
            organisation["email"] = centre.email
        organisations.append(organisation)
    return _json_ld({"@context": "https://schema.org", "@graph": organisations})


# --- Site search -------------------------------------------------------------------------------


def _next_group_ids(parents, *, key: str, lookup: str, towns: list[str]) -> dict:
    """The first upcoming catalogue group of each parent row (a course page or a centre), keyed
    by the parent's `key`: one query, however many results. With `towns` (named by the query),
    the first group meeting in one of them comes first, else the first anywhere."""
    upcoming = Group.objects.filter(
        **{lookup: OuterRef(key)},
        status__in=CATALOGUE_STATUSES,
        starts_on__gte=timezone.localdate(),
    ).order_by("starts_on", "start_time", "pk")
    parents = parents.annotate(first=Subquery(upcoming.values("pk")[:1]))
    if not towns:
        return dict(parents.values_list(key, "first"))
    in_town = upcoming.exclude(mode=Group.Mode.REMOTE).filter(
        Q(venue__city__in=towns) | Q(venue__isnull=True, centre__city__in=towns)
    )
    parents = parents.annotate(first_in_town=Subquery(in_town.values("pk")[:1]))
    return {
        row: in_town_pk or first_pk
        for row, first_pk, in_town_pk in parents.values_list(key, "first", "first_in_town")
    }


@register.simple_tag(takes_context=True)
def search_next_groups(context, results):
    """Give each course and centre result of the site search its next open group (`next_group`,
    with `town` in the reader's language): in the town the query names, if it names one and the
    result has a group there; a fixed number of queries for any number of results."""
    language = _language()
    towns = towns_named(context.get("query", ""), language, catalogue_places())
    courses = [result for result in results if getattr(result, "translation_key", None)]
    centres = {}
    for result in results:
        if getattr(result, "source", "").startswith("cms.crisiscentre:"):
            centres.setdefault(int(result.source.partition(":")[2]), []).append(result)
    by_key = _next_group_ids(
        CoursePage.objects.filter(translation_key__in={r.translation_key for r in courses}),
        key="translation_key",
        lookup="course__translation_key",
        towns=towns,
    )
    by_centre = _next_group_ids(
        CrisisCentre.objects.filter(pk__in=list(centres)), key="pk", lookup="centre", towns=towns
    )
    wanted = {pk for pk in [*by_key.values(), *by_centre.values()] if pk}
    groups = Group.objects.select_related("centre", "venue").in_bulk(wanted) if wanted else {}
    for group in groups.values():
        if group.mode == Group.Mode.REMOTE:
            group.town = _("Remote")
        else:
            group.town = town_name(group.venue.city if group.venue else group.centre.city, language)
    for result in courses:
        result.next_group = groups.get(by_key.get(result.translation_key))
    for centre_id, centre_results in centres.items():
        for result in centre_results:
            result.next_group = groups.get(by_centre.get(centre_id))
    return ""


@register.inclusion_tag("groups/includes/catalogue_hint.html")
def catalogue_hint():
    """Where to go when the search found nothing: the catalogue and its filters by topic and
    town, in the reader's language."""
    language = _language()
    catalogue_page = CourseIndexPage.objects.live().filter(locale__language_code=language).first()
    if catalogue_page is None:
        return {}
    url = catalogue_page.url
    return {
        "catalogue_url": url,
        "topics": [
            (f"{url}?{urlencode({'topic': topic.slug})}", topic.name)
            for topic in topics_for(locale=catalogue_page.locale_id)
        ],
        "places": [
            (f"{url}?{urlencode({'place': place})}", town_name(place, language))
            for place in catalogue_places()
        ],
    }


@register.filter
def group_title(group: Group):
    """`Group.localized_title` as the page shows it: the course's title in the page's language
    and the group's own name (or first date), each marked lang="fi" where a Swedish or English
    page can only show it in Finnish. For pages of one group (it reads the course's
    translation)."""
    course = group.course.localized
    title = course.title
    if course.locale.language_code != _language():
        title = format_html('<span lang="{}">{}</span>', course.locale.language_code, title)
    if group.name:
        return format_html("{}: {}", title, in_language(group, "name"))
    if group.starts_on:
        return format_html("{}: {}", title, date_format(group.starts_on, "SHORT_DATE_FORMAT"))
    return title
