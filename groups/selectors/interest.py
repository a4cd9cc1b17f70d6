"""Reads of the interest list (docs/interest.md): who a group matches, oldest first, and the
demand coordinators see (counts only, by course or topic, town, language and month wanted)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cms.models import CrisisCentre
from cms.towns import town_name
from courses.models import CoursePage, Topic
from groups.models import Group, Interest, InterestTown, PlaceHold
from groups.scope import centre_scope

# Counts below this are shown as "fewer than 3": a row must not single out a person.
SMALL_COUNT = 3


def canonical_town(town: str) -> str:
    """A town as interests store it: its Finnish name ("Åbo" and "Turku" are one town)."""
    return town_name(town.strip(), "fi")


def group_town(group: Group) -> str:
    """The town where a group meets in person ("" for a remote group): its venue's, else its
    crisis centre's."""
    if group.mode == Group.Mode.REMOTE:
        return ""
    city = (group.venue.city if group.venue_id else "") or (
        group.centre.city if group.centre_id else ""
    )
    return canonical_town(city) if city else ""


def group_for_matching() -> QuerySet[Group]:
    """Groups as matching reads them: the course's topic, the venue and centre alongside."""
    return Group.objects.select_related("course__topic", "venue", "centre")


def interests_matching(*, group: Group, now: dt.datetime | None = None) -> QuerySet[Interest]:
    """Waiting interests a group suits, oldest first (the waiting list's rule): its course, or
    its course's topic when the person named only a topic; its town, or online for a remote or
    hybrid group; its language; its start within the person's earliest and latest. Interests
    already offered this group, or holding a place elsewhere, are left out. One query."""
    now = now or timezone.now()
    town = group_town(group)
    where = Q()
    if town:
        where |= Exists(InterestTown.objects.filter(interest_id=OuterRef("pk"), town=town))
    if group.mode in (Group.Mode.REMOTE, Group.Mode.HYBRID):
        where |= Q(online=True)
    if not where:
        return Interest.objects.none()
    course = group.course
    queryset = Interest.objects.filter(
        where,
        Q(course_key__isnull=True) | Q(course_key=course.translation_key),
        language=group.language,
        topic_key=course.topic.translation_key,
        expires_at__gt=now,
    )
    if group.starts_on:
        queryset = queryset.filter(
            Q(earliest_start__isnull=True) | Q(earliest_start__lte=group.starts_on),
            Q(latest_start__isnull=True) | Q(latest_start__gte=group.starts_on),
        )
    return (
        queryset.exclude(
            Exists(PlaceHold.objects.filter(interest_id=OuterRef("pk"), group_id=group.pk))
        )
        .exclude(
            Exists(
                PlaceHold.objects.filter(interest_id=OuterRef("pk"), status=PlaceHold.Status.OPEN)
            )
        )
        .order_by("created_at", "pk")
    )


def interest_for_token(token: str) -> Interest | None:
    if not token:
        return None
    return (
        Interest.objects.filter(manage_token=token, expires_at__gt=timezone.now())
        .prefetch_related("towns")
        .first()
    )


def hold_for_token(token: str) -> PlaceHold | None:
    """An open place hold behind a link, with its group and interest."""
    if not token:
        return None
    return (
        PlaceHold.objects.filter(token=token, status=PlaceHold.Status.OPEN)
        .select_related("interest", "group__course", "group__centre", "group__venue")
        .first()
    )


def interest_towns() -> list[str]:
    """The towns a person may choose: where a crisis centre or a venue is, by Finnish name."""
    from groups.models import Venue

    towns = {
        canonical_town(city)
        for city in [
            *CrisisCentre.objects.exclude(city="").values_list("city", flat=True),
            *Venue.objects.exclude(city="").values_list("city", flat=True),
        ]
    }
    return sorted(towns)


def centres_by_town() -> dict[str, int]:
    """Each town's crisis centre (the first by number when a town has two)."""
    result: dict[str, int] = {}
    for pk, city in CrisisCentre.objects.order_by("-pk").values_list("pk", "city"):
        result[canonical_town(city)] = pk
    return result


@dataclass
class DemandRow:
    course_key: str | None
    topic_key: str
    town: str  # "" = online
    language: str
    month: dt.date | None  # None: any time
    count: int
    title: str = ""

    @property
    def shown_count(self) -> int | None:
        """The count, or None when it is below SMALL_COUNT (shown as "fewer than 3")."""
        return self.count if self.count >= SMALL_COUNT else None


def _titles(rows: list[DemandRow], *, language: str) -> None:
    """Each row's course title (or topic name) in `language`: two queries for all rows."""
    course_keys = {row.course_key for row in rows if row.course_key}
    topic_keys = {row.topic_key for row in rows}
    courses: dict[str, str] = {}
    for page in CoursePage.objects.filter(translation_key__in=course_keys).select_related("locale"):
        key = str(page.translation_key)
        if key not in courses or page.locale.language_code == language:
            courses[key] = page.title
    topics: dict[str, str] = {}
    for topic in Topic.objects.filter(translation_key__in=topic_keys).select_related("locale"):
        key = str(topic.translation_key)
        if key not in topics or topic.locale.language_code == language:
            topics[key] = str(topic)
    for row in rows:
        row.title = courses.get(row.course_key or "", "") or topics.get(row.topic_key, "")


def interest_demand(
    *, user, language: str = "fi", now: dt.datetime | None = None
) -> list[DemandRow]:
    """Waiting interests counted by course (or topic) x town (and online) x language x month of
    the earliest start, in the user's centres: an interest counts once in each town it names.
    Three queries, whatever the number of interests."""
    now = now or timezone.now()
    keys = ("interest__course_key", "interest__topic_key", "interest__language")
    towns = (
        centre_scope(InterestTown.objects.all(), user=user)
        .filter(interest__expires_at__gt=now)
        .annotate(month=TruncMonth("interest__earliest_start"))
        .values(*keys, "town", "month")
        .annotate(count=Count("interest", distinct=True))
        .order_by()
    )
    online = (
        centre_scope(Interest.objects.filter(online=True, expires_at__gt=now), user=user)
        .annotate(month=TruncMonth("earliest_start"))
        .values("course_key", "topic_key", "language", "month")
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    )
    rows = [
        DemandRow(
            course_key=str(row["interest__course_key"]) if row["interest__course_key"] else None,
            topic_key=str(row["interest__topic_key"]),
            town=row["town"],
            language=row["interest__language"],
            month=_month(row["month"]),
            count=row["count"],
        )
        for row in towns
    ] + [
        DemandRow(
            course_key=str(row["course_key"]) if row["course_key"] else None,
            topic_key=str(row["topic_key"]),
            town="",
            language=row["language"],
            month=_month(row["month"]),
            count=row["count"],
        )
        for row in online
    ]
    _titles(rows, language=language)
    rows.sort(
        key=lambda row: (-row.count, row.title, row.town, row.language, row.month or dt.date.max)
    )
    return rows


def _month(value) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def most_wanted_without_group(
    *, user, language: str = "fi", limit: int = 5, now: dt.datetime | None = None
) -> list[DemandRow]:
    """The demand rows (months added up) with no group open for enrolment of the same course or
    topic, town (or a remote group for online) and language, most wanted first; rows below
    SMALL_COUNT are left out."""
    now = now or timezone.now()
    totals: dict[tuple, DemandRow] = {}
    for row in interest_demand(user=user, language=language, now=now):
        key = (row.course_key, row.topic_key, row.town, row.language)
        if key in totals:
            totals[key].count += row.count
        else:
            totals[key] = DemandRow(**{**row.__dict__, "month": None})
    open_groups = set()
    for group in Group.objects.filter(
        status=Group.Status.OPEN, starts_on__gte=timezone.localdate(now)
    ).select_related("course__topic", "venue", "centre"):
        place = "" if group.mode == Group.Mode.REMOTE else group_town(group)
        topic = str(group.course.topic.translation_key)
        course = str(group.course.translation_key)
        for town in {place, ""} if group.mode == Group.Mode.HYBRID else {place}:
            open_groups.add((course, topic, town, group.language))
            open_groups.add((None, topic, town, group.language))
    wanted = [
        row for key, row in totals.items() if key not in open_groups and row.count >= SMALL_COUNT
    ]
    wanted.sort(key=lambda row: (-row.count, row.title))
    return wanted[:limit]


def groups_with_places_for_interests(now: dt.datetime | None = None) -> list[int]:
    """Open groups taking enrolments with a free place nobody waits for, while any interest of
    their language and topic waits: the periodic task gives them their holds (a group whose
    enrolment opened by the clock, a kept place that came back)."""
    from groups.capacity import groups_with_places

    now = now or timezone.now()
    waiting = Interest.objects.filter(
        language=OuterRef("language"),
        topic_key=OuterRef("course__topic__translation_key"),
        expires_at__gt=now,
    )
    return list(
        groups_with_places(
            Group.objects.filter(status=Group.Status.OPEN)
            .filter(Q(enrolment_opens__isnull=True) | Q(enrolment_opens__lte=now))
            .filter(Q(enrolment_closes__isnull=True) | Q(enrolment_closes__gt=now))
        )
        .filter(places_left__gt=0, waitlist_length=0)
        .filter(Exists(waiting))
        .values_list("pk", flat=True)
    )


def interest_topics(*, language: str) -> list[tuple[str, str]]:
    """Topics a person may name, as (translation key, name in `language`, else Finnish)."""
    names: dict[str, str] = {}
    for topic in Topic.objects.select_related("locale").order_by("name"):
        key = str(topic.translation_key)
        if key not in names or topic.locale.language_code == language:
            names[key] = topic.name
    return sorted(names.items(), key=lambda item: item[1])


def course_for_interest(page_id) -> CoursePage | None:
    """A live course page an interest is left from (its topic read alongside)."""
    try:
        page_id = int(page_id)
    except (TypeError, ValueError):
        return None
    return CoursePage.objects.live().select_related("topic").filter(pk=page_id).first()


def interest_summary(interest: Interest, *, language: str) -> dict:
    """What the person's own page shows of their interest: the course or topic in their
    language, towns in their language, online, dates."""
    row = DemandRow(
        course_key=str(interest.course_key) if interest.course_key else None,
        topic_key=str(interest.topic_key),
        town="",
        language=interest.language,
        month=None,
        count=0,
    )
    _titles([row], language=language)
    return {
        "title": row.title,
        "towns": [town_name(town.town, language) for town in interest.towns.all()],
    }


def open_hold_of(interest: Interest) -> PlaceHold | None:
    return (
        interest.holds.filter(status=PlaceHold.Status.OPEN).select_related("group__course").first()
    )


def group_prefill(*, params, user) -> dict:
    """The fields a new group takes from a row of the interest report: its course page (the
    row's course, else left to choose), language, mode, and the crisis centre of the row's town
    when it is one of the user's centres. Unknown or foreign values are ignored."""
    prefill: dict = {}
    course = course_for_interest(params.get("course"))
    if course is not None:
        prefill["course"] = course
    if params.get("language") in {code for code, _name in settings.LANGUAGES}:
        prefill["language"] = params["language"]
    if params.get("mode") in Group.Mode.values:
        prefill["mode"] = params["mode"]
    centre_id = params.get("centre")
    if centre_id and str(centre_id).isdigit():
        centre = centre_scope(CrisisCentre.objects.all(), user=user).filter(pk=centre_id).first()
        if centre is not None:
            prefill["centre"] = centre
    return prefill


def demand_row_prefill(row: DemandRow, *, courses: dict, centres: dict) -> dict:
    """The query of "create a group" for a report row: course page id, language, mode and the
    town's crisis centre."""
    params = {"language": row.language}
    page_id = courses.get(row.course_key) if row.course_key else None
    if page_id:
        params["course"] = page_id
    if row.town:
        params["mode"] = Group.Mode.IN_PERSON
        if row.town in centres:
            params["centre"] = centres[row.town]
    else:
        params["mode"] = Group.Mode.REMOTE
    return params


def course_pages_by_key(keys: set, *, language: str) -> dict[str, int]:
    """The course page each translation key stands for, in `language` when it has one."""
    pages: dict[str, tuple[int, bool]] = {}
    for page in CoursePage.objects.filter(translation_key__in=keys).select_related("locale"):
        key = str(page.translation_key)
        preferred = page.locale.language_code == language
        if key not in pages or (preferred and not pages[key][1]):
            pages[key] = (page.pk, preferred)
    return {key: pk for key, (pk, _preferred) in pages.items()}


def interest_initial(query, *, language: str) -> dict:
    """The interest form's first values from the catalogue's filters in the link: the topic (by
    its slug), the town (a place that is a town of the list) and the group's language."""
    initial: dict = {"language": language}
    if query.get("language") in {code for code, _name in settings.LANGUAGES}:
        initial["language"] = query["language"]
    slug = query.get("topic", "")
    if slug:
        topic = Topic.objects.filter(slug=slug).first()
        if topic is not None:
            initial["topic"] = str(topic.translation_key)
    towns = [canonical_town(town) for town in query.getlist("town") if town]
    if towns:
        initial["towns"] = towns
    return initial
