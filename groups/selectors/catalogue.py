"""The public catalogue and calendars: the groups visitors may find, filter and subscribe to."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone

from cms.models import CrisisCentre
from courses.models import CourseFormat
from groups.capacity import groups_with_places
from groups.models import Group, Meeting, Venue
from groups.selectors.availability import ENROLLING, GroupState, group_state, public_course_q

CATALOGUE_STATUSES = (Group.Status.OPEN, Group.Status.FULL)


MAX_WEEKS = 104


# The states a catalogue row shows (the codes of `GroupState`).
Availability = GroupState


def meeting_count_subquery() -> Subquery:
    """The number of a group's meetings that will be held (cancelled ones left out)."""
    return Subquery(
        Meeting.objects.filter(group_id=OuterRef("pk"))
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by()
        .values("group_id")
        .annotate(total=Count("pk"))
        .values("total")[:1],
        output_field=IntegerField(),
    )


def with_states(groups: Iterable[Group], *, now: dt.datetime | None = None) -> list[Group]:
    """Rows of `upcoming_groups` with `availability`, their state by the one rule, and
    `enrolment_open` (the form takes an enrolment). Their courses are public (the query says)."""
    groups = list(groups)
    now = now or timezone.now()
    for group in groups:
        group.availability = group_state(
            group=group, places_left=group.places_left, course_public=True, now=now
        )
        group.enrolment_open = group.availability in ENROLLING
    return groups


@dataclass(frozen=True)
class CatalogueFilters:
    """What the visitor asked for; a value that is not one of the known ones is dropped, so a
    hand-edited or stale link still shows a catalogue instead of an error."""

    topic: str = ""
    format: str = ""
    place: str = ""
    mode: str = ""
    language: str = ""
    weeks: int | None = None
    has_places: bool = False

    @classmethod
    def from_query(
        cls, query: QueryDict | dict, *, topics: Iterable[str], places: Iterable[str]
    ) -> "CatalogueFilters":
        def pick(name: str, allowed: Iterable[str]) -> str:
            value = (query.get(name) or "").strip()
            return value if value in set(allowed) else ""

        try:
            weeks = int(query.get("weeks") or "")
        except (TypeError, ValueError):
            weeks = None
        if weeks is not None and not 1 <= weeks <= MAX_WEEKS:
            weeks = None
        return cls(
            topic=pick("topic", topics),
            format=pick("format", CourseFormat.values),
            place=pick("place", places),
            mode=pick("mode", [Group.Mode.IN_PERSON, Group.Mode.REMOTE]),
            language=pick("language", [code for code, _name in settings.LANGUAGES]),
            weeks=weeks,
            has_places=query.get("places") == "1",
        )

    @property
    def filters_groups(self) -> bool:
        return bool(self.place or self.mode or self.language or self.weeks or self.has_places)

    @property
    def is_empty(self) -> bool:
        return not (self.topic or self.format or self.filters_groups)


def upcoming_groups(
    *,
    translation_keys: Iterable | None = None,
    centres: Iterable[CrisisCentre] | None = None,
    filters: CatalogueFilters | None = None,
) -> QuerySet[Group]:
    """Groups of the given courses (in any language version) or centres that visitors may look
    at: open or full, starting today or later, with places, availability and where they meet."""
    filters = filters or CatalogueFilters()
    today = timezone.localdate()
    now = timezone.now()
    queryset = Group.objects.filter(status__in=CATALOGUE_STATUSES, starts_on__gte=today)
    if translation_keys is not None:
        queryset = queryset.filter(course__translation_key__in=list(translation_keys))
    if centres is not None:
        queryset = queryset.filter(centre__in=list(centres))
    if filters.place:
        queryset = queryset.filter(
            Q(venue__city=filters.place)
            | Q(venue__region=filters.place)
            | Q(venue__isnull=True, centre__city=filters.place)
            | Q(venue__isnull=True, centre__region=filters.place)
        )
    if filters.mode == Group.Mode.REMOTE:
        queryset = queryset.filter(mode__in=[Group.Mode.REMOTE, Group.Mode.HYBRID])
    elif filters.mode == Group.Mode.IN_PERSON:
        queryset = queryset.filter(mode__in=[Group.Mode.IN_PERSON, Group.Mode.HYBRID])
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.weeks:
        queryset = queryset.filter(starts_on__lte=today + dt.timedelta(weeks=filters.weeks))
    # The "has places" filter in SQL (it pages the catalogue); each row's state for the
    # visitor is `groups.selectors.availability.group_state` (`with_states`).
    enrolment_open = (
        Q(status=Group.Status.OPEN)
        & (Q(enrolment_opens__isnull=True) | Q(enrolment_opens__lte=now))
        & (Q(enrolment_closes__isnull=True) | Q(enrolment_closes__gt=now))
    )
    queryset = (
        groups_with_places(
            queryset.filter(public_course_q()).select_related(
                "centre",
                "venue",
                "course",
                "facilitator_1__facilitator_profile",
                "facilitator_2__facilitator_profile",
            )
        )
        .annotate(
            enrolment_open=ExpressionWrapper(enrolment_open, output_field=BooleanField()),
            city=Coalesce("venue__city", "centre__city"),
            meeting_count=meeting_count_subquery(),
        )
        .order_by("starts_on", "start_time", "pk")
    )
    if filters.has_places:
        queryset = queryset.filter(enrolment_open=True, places_left__gt=0)
    return queryset


def course_keys_with_groups(*, filters: CatalogueFilters) -> QuerySet[Group]:
    """Translation keys of the courses that have a group matching the filters, as a subquery
    (no query of its own). The inner one selects groups by pk, so places are counted per group."""
    matching = upcoming_groups(filters=filters).order_by().values("pk")
    return Group.objects.filter(pk__in=matching).values("course__translation_key")


def catalogue_places() -> list[str]:
    """Cities and regions where groups meet, for the place filter: one query."""
    centres = CrisisCentre.objects.order_by().values_list("city", "region")
    venues = Venue.objects.order_by().values_list("city", "region")
    names = {name for pair in centres.union(venues) for name in pair if name}
    return sorted(names)


def groups_by_course(groups: Iterable[Group]) -> dict:
    """Groups keyed by their course's translation key, so every language version of a course
    finds its groups."""
    by_course: dict = {}
    for group in groups:
        by_course.setdefault(group.course.translation_key, []).append(group)
    return by_course


PUBLIC_STATUSES = (
    Group.Status.OPEN,
    Group.Status.FULL,
    Group.Status.RUNNING,
    Group.Status.COMPLETED,
    Group.Status.CANCELLED,
)


def public_group(*, group_id: int) -> Group | None:
    """A group whose calendar anyone may subscribe to: not a draft, its course page public
    (the rule of `groups.selectors.availability`)."""
    return (
        Group.objects.filter(public_course_q(), pk=group_id, status__in=PUBLIC_STATUSES)
        .select_related("course", "centre", "venue")
        .first()
    )


def calendar_meetings(*, groups) -> QuerySet[Meeting]:
    """Every meeting of the groups, cancelled ones included (a calendar must learn of them)."""
    return (
        Meeting.objects.filter(group__in=groups)
        .select_related("group__course", "group__centre", "group__venue")
        .order_by("starts_at", "pk")
    )


def course_public_groups(*, translation_key) -> QuerySet[Group]:
    return Group.objects.filter(
        public_course_q(),
        course__translation_key=translation_key,
        status__in=[Group.Status.OPEN, Group.Status.FULL, Group.Status.RUNNING],
    )


def groups_same_course_open(*, group: Group) -> QuerySet[Group]:
    """The other groups of the same course that still take enrolments, soonest first."""
    return (
        Group.objects.filter(public_course_q(), course_id=group.course_id, status=Group.Status.OPEN)
        .exclude(pk=group.pk)
        .select_related("course", "centre", "venue")
        .order_by("starts_on", "pk")
    )


def facilitator_roles(group: Group) -> list[str]:
    """The facilitators' professions (never their names), from the profiles read with the
    group (`select_related("facilitator_1__facilitator_profile", ...)`)."""
    roles = []
    for user in (group.facilitator_1, group.facilitator_2):
        profile = getattr(user, "facilitator_profile", None) if user is not None else None
        if profile is not None and profile.profession:
            roles.append(profile.profession)
    return roles


def with_facts(groups: Iterable[Group]) -> list[Group]:
    """What a visitor needs to know before enrolling, on each group read with its facilitators'
    profiles and `meeting_count`: `facilitator_roles` and `end_time` (wall-clock)."""
    groups = list(groups)
    for group in groups:
        group.facilitator_roles = facilitator_roles(group)
        group.end_time = (
            (
                dt.datetime.combine(dt.date(2000, 1, 1), group.start_time)
                + dt.timedelta(minutes=group.duration_minutes)
            ).time()
            if group.start_time
            else None
        )
    return groups
