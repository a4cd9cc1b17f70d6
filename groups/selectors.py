"""Read queries for groups: one place computes how many places a group has left."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.http import QueryDict
from django.utils import timezone

from cms.models import CrisisCentre
from courses.models import CourseFormat, CoursePage, IntakeQuestion
from groups.models import Attendance, Enrolment, FollowUp, Group, Meeting, Room, Stay, Venue


def groups_with_places(queryset: QuerySet[Group] | None = None) -> QuerySet[Group]:
    """Annotate `places_taken` (confirmed + open offers), `places_left` and `waitlist_length`.

    This is the one definition of "taken" shown to visitors and coordinators; the enrolment
    service checks the same count under a lock before it gives a place. A residential course
    is limited by its venue's beds too, once the rooms are entered (`group_beds`).
    """
    queryset = Group.objects.all() if queryset is None else queryset
    beds = Subquery(
        Room.objects.filter(venue_id=OuterRef("venue_id"))
        .order_by()
        .values("venue_id")
        .annotate(total=Sum("beds"))
        .values("total")[:1],
        output_field=IntegerField(),
    )
    limit = Case(
        When(
            course__format=CourseFormat.RESIDENTIAL,
            venue__isnull=False,
            then=Least(F("capacity"), Coalesce(beds, F("capacity"))),
        ),
        default=F("capacity"),
        output_field=IntegerField(),
    )
    return queryset.annotate(
        places_taken=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.HOLDS_PLACE)),
        waitlist_length=Count(
            "enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED)
        ),
    ).annotate(
        places_left=Greatest(
            Coalesce(limit, Value(0)) - Coalesce("places_taken", Value(0)),
            Value(0),
            output_field=IntegerField(),
        )
    )


# --- The public catalogue -------------------------------------------------------------------

CATALOGUE_STATUSES = (Group.Status.OPEN, Group.Status.FULL)
MAX_WEEKS = 104


class Availability:
    PLACES = "places"
    WAITLIST = "waitlist"
    FULL = "full"


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
    enrolment_open = (
        Q(status=Group.Status.OPEN)
        & (Q(enrolment_opens__isnull=True) | Q(enrolment_opens__lte=now))
        & (Q(enrolment_closes__isnull=True) | Q(enrolment_closes__gt=now))
    )
    queryset = (
        groups_with_places(queryset.select_related("centre", "venue", "course"))
        .annotate(
            enrolment_open=ExpressionWrapper(enrolment_open, output_field=BooleanField()),
            city=Coalesce("venue__city", "centre__city"),
        )
        .annotate(
            availability=Case(
                When(Q(enrolment_open=True, places_left__gt=0), then=Value(Availability.PLACES)),
                When(enrolment_open=True, then=Value(Availability.WAITLIST)),
                default=Value(Availability.FULL),
                output_field=CharField(),
            )
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


# --- Calendar feeds ---------------------------------------------------------------------------

PUBLIC_STATUSES = (
    Group.Status.OPEN,
    Group.Status.FULL,
    Group.Status.RUNNING,
    Group.Status.COMPLETED,
    Group.Status.CANCELLED,
)


def public_group(*, group_id: int) -> Group | None:
    return (
        Group.objects.filter(pk=group_id, status__in=PUBLIC_STATUSES)
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
        course__translation_key=translation_key,
        status__in=[Group.Status.OPEN, Group.Status.FULL, Group.Status.RUNNING],
    )


def groups_same_course_open(*, group: Group) -> QuerySet[Group]:
    """The other groups of the same course that still take enrolments, soonest first."""
    return (
        Group.objects.filter(course_id=group.course_id, status=Group.Status.OPEN)
        .exclude(pk=group.pk)
        .select_related("course", "centre")
        .order_by("starts_on", "pk")
    )


FACILITATORS_GROUP = "Facilitators"


def facilitators():
    """Users a coordinator may pick as facilitators: members of the "Facilitators" group."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(groups__name=FACILITATORS_GROUP, is_active=True)
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


def facilitator_load(*, since, until) -> list[dict]:
    """Every facilitator's groups and meetings per month between two dates, in two queries.

    Returns rows {"user", "groups", "months": {date(first of month): meetings}} ordered by name.
    """
    from django.db.models.functions import TruncMonth

    from groups.models import Meeting

    users = list(facilitators().select_related("facilitator_profile__home_centre"))
    rows = {user.pk: {"user": user, "groups": set(), "months": {}} for user in users}
    meetings = (
        Meeting.objects.filter(starts_at__gte=since, starts_at__lt=until)
        .exclude(status=Meeting.Status.CANCELLED)
        .exclude(group__status=Group.Status.CANCELLED)
        .annotate(month=TruncMonth("starts_at"))
        .values("group_id", "group__facilitator_1_id", "group__facilitator_2_id", "month")
        .annotate(count=Count("pk"))
    )
    for item in meetings:
        for user_id in (item["group__facilitator_1_id"], item["group__facilitator_2_id"]):
            if user_id in rows:
                month = item["month"].date() if hasattr(item["month"], "date") else item["month"]
                row = rows[user_id]
                row["groups"].add(item["group_id"])
                row["months"][month] = row["months"].get(month, 0) + item["count"]
    for row in rows.values():
        row["groups"] = len(row["groups"])
    return list(rows.values())


def facilitator_clashes(*, user_ids, intervals, exclude_group_id=None):
    """Meetings of other groups led by any of `user_ids` that overlap one of `intervals`
    (pairs of aware start and end)."""
    from groups.models import Meeting

    user_ids = [user_id for user_id in user_ids if user_id]
    if not user_ids or not intervals:
        return Meeting.objects.none()
    overlap = Q()
    for start, end in intervals:
        overlap |= Q(starts_at__lt=end, ends_at__gt=start)
    return (
        Meeting.objects.filter(overlap)
        .filter(Q(group__facilitator_1_id__in=user_ids) | Q(group__facilitator_2_id__in=user_ids))
        .exclude(status=Meeting.Status.CANCELLED)
        .exclude(group__status=Group.Status.CANCELLED)
        .exclude(group_id=exclude_group_id)
        .select_related("group__course", "group__facilitator_1", "group__facilitator_2")
        .order_by("starts_at")
    )


def groups_merge_targets(*, group: Group) -> QuerySet[Group]:
    """Groups of the same course that `group` could be merged into: open or full, not started.
    Annotated with places (see `groups_with_places`); same language first, then soonest."""
    started = Meeting.objects.filter(group=OuterRef("pk"), starts_at__lte=timezone.now()).exclude(
        status=Meeting.Status.CANCELLED
    )
    return (
        groups_with_places(
            Group.objects.filter(
                course_id=group.course_id, status__in=[Group.Status.OPEN, Group.Status.FULL]
            )
            .exclude(pk=group.pk)
            .exclude(Exists(started))
        )
        .annotate(
            other_language=Case(
                When(language=group.language, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("course", "centre", "venue")
        .order_by("other_language", "starts_on", "pk")
    )


def groups_under_minimum(*, user=None) -> QuerySet[Group]:
    """Groups the go/no-go check flagged and nobody has decided on yet, for the dashboard
    (with a user: of their centres only)."""
    queryset = Group.objects.filter(
        under_minimum_since__isnull=False,
        status__in=[Group.Status.OPEN, Group.Status.FULL],
    )
    if user is not None:
        queryset = groups_for_user(user=user, queryset=queryset)
    return (
        groups_with_places(queryset)
        .select_related("course", "centre")
        .order_by("go_no_go_date", "pk")
    )


def group_for_enrolment(group_id: int) -> Group | None:
    """The group shown on the enrolment form, with its course and intake questions."""
    return (
        Group.objects.select_related("course", "venue")
        .prefetch_related("course__intake_questions")
        .filter(pk=group_id)
        .first()
    )


def group_for_enrolment_post(group_id: int, *, lock: str = "") -> Group | None:
    """The group an enrolment is posted to, with what the form, the checks and the new
    enrolment need of it and its course (down to the confirmation e-mail: the group's name,
    the course title); a page shown again (an error) uses `group_for_enrolment`. `lock`
    ("update" or "share"): the group row is locked for the rest of the transaction
    (`enrolment_create` explains the two), the course page is not (locking it would
    serialise every enrolment into any group of the course and block publishing the page
    meanwhile). SQLite has no row locks: its IMMEDIATE transaction serialises writers.

    Written out in SQL: a campaign sends hundreds of these at once, and building and compiling
    the query through the ORM took several times the CPU of running it. The row becomes the
    same model instances `.only()` gives (the other fields deferred)."""
    connection = connections[Group.objects.db]
    for_update = f" FOR {ROW_LOCKS[lock]} OF g" if lock and group_row_locks() else ""
    with connection.cursor() as cursor:
        # Only column names of the models and the fixed lock clause are put into the text.
        cursor.execute(f"{_posted_group_select()} WHERE g.id = %s{for_update}", [group_id])
        row = cursor.fetchone()
    return None if row is None else _posted_group(connection, row)


def group_row_locks() -> bool:
    """Whether `group_for_enrolment_post` locks the group row (PostgreSQL). SQLite's IMMEDIATE
    transaction holds the whole database's write lock from its start: any read in it is
    already exclusive."""
    return connections[Group.objects.db].features.has_select_for_update_of


def group_and_questions_for_post(group_id: int) -> tuple[Group | None, list[IntakeQuestion]]:
    """The posted group as `group_for_enrolment_post` reads it (unlocked) and its course's
    intake questions in their order, in one statement: one round trip fewer for each of the
    hundreds of POSTs when a popular group opens."""
    connection = connections[Group.objects.db]
    meta = IntakeQuestion._meta
    question_fields = meta.concrete_fields
    columns = [f"q.{connection.ops.quote_name(field.column)}" for field in question_fields]
    course_column = meta.get_field("course").column
    with connection.cursor() as cursor:
        # Only column and table names of the models are put into the text.
        cursor.execute(
            f"{_posted_group_select(columns)}"
            f" LEFT JOIN {meta.db_table} q ON q.{course_column} = g.course_id"
            " WHERE g.id = %s ORDER BY q.sort_order, q.id",
            [group_id],
        )
        rows = cursor.fetchall()
    if not rows:
        return None, []
    width = len(_POSTED_GROUP_COLUMNS)
    group = _posted_group(connection, rows[0][:width])
    names = [field.attname for field in question_fields]
    questions = [
        IntakeQuestion.from_db(connection.alias, names, row[width:])
        for row in rows
        if row[width] is not None
    ]
    return group, questions


def _posted_group(connection, row) -> Group:
    *group_values, course_format, requires_approval, title = row
    group_values = [
        _aware(value) if isinstance(field, DateTimeField) else value
        for field, value in zip(_POSTED_GROUP_FIELDS, group_values, strict=True)
    ]
    group = Group.from_db(connection.alias, _POSTED_GROUP_ATTNAMES, group_values)
    course = {
        "id": group.course_id,
        "title": title,
        "page_ptr_id": group.course_id,
        "format": course_format,
        "requires_approval": bool(requires_approval),
    }
    values = [course[name] for name in _POSTED_COURSE_ATTNAMES]
    group.course = CoursePage.from_db(connection.alias, _POSTED_COURSE_ATTNAMES, values)
    return group


ROW_LOCKS = {"update": "UPDATE", "share": "SHARE"}
ENROLMENT_POST_FIELDS = {
    "id",
    "name",
    "status",
    "capacity",
    "enrolment_opens",
    "enrolment_closes",
    "starts_on",
    "ends_on",
    "venue_id",
    "course_id",
}
_POSTED_GROUP_FIELDS = [
    field for field in Group._meta.concrete_fields if field.attname in ENROLMENT_POST_FIELDS
]
_POSTED_GROUP_ATTNAMES = [field.attname for field in _POSTED_GROUP_FIELDS]
# The course page's fields `_posted_group` fills, in the model's order (the rest deferred).
_POSTED_COURSE_ATTNAMES = [
    field.attname
    for field in CoursePage._meta.concrete_fields
    if field.attname in {"id", "title", "page_ptr_id", "format", "requires_approval"}
]
_POSTED_GROUP_COLUMNS = [
    *(f"g.{field.column}" for field in _POSTED_GROUP_FIELDS),
    "c.format",
    "c.requires_approval",
    "p.title",
]


def _posted_group_select(extra_columns: list[str] | tuple = ()) -> str:
    return (
        f"SELECT {', '.join([*_POSTED_GROUP_COLUMNS, *extra_columns])}"  # noqa: S608
        " FROM groups_group g"
        " JOIN courses_coursepage c ON c.page_ptr_id = g.course_id"
        " JOIN wagtailcore_page p ON p.id = c.page_ptr_id"
    )


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive UTC datetimes where PostgreSQL gives aware ones."""
    if value is not None and timezone.is_naive(value):
        return value.replace(tzinfo=dt.UTC)
    return value


def enrolment_for_token(token: str) -> Enrolment | None:
    """The enrolment behind a private manage link, with its group and meetings."""
    if not token or len(token) > 64:
        return None
    return (
        Enrolment.objects.select_related("group__course", "group__centre", "group__venue")
        .prefetch_related("group__meetings")
        .filter(manage_token=token)
        .first()
    )


def enrolments_for_roster(queryset: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    return queryset.select_related("group__course").order_by("group_id", "status", "created_at")


# A manage link keeps working this long after the group's last meeting, then expires.
MANAGE_LINK_DAYS_AFTER_END = 14


def manage_link_expired(enrolment: Enrolment, *, today=None) -> bool:
    import datetime as dt

    from django.utils import timezone

    ends_on = enrolment.group.ends_on
    if ends_on is None:
        return False
    today = today or timezone.localdate()
    return today > ends_on + dt.timedelta(days=MANAGE_LINK_DAYS_AFTER_END)


def groups_with_free_places_and_queue() -> list[int]:
    """Groups where a place is free while people wait: a lost offer task is caught up."""
    offering = [Group.Status.OPEN, Group.Status.FULL, Group.Status.RUNNING]
    return list(
        groups_with_places(Group.objects.filter(status__in=offering))
        .filter(places_left__gt=0, waitlist_length__gt=0)
        .values_list("pk", flat=True)
    )


# --- Facilitator portal ------------------------------------------------------------------------

# Groups a facilitator works with in the portal: those that will run or are running.
PORTAL_GROUP_STATUSES = (Group.Status.OPEN, Group.Status.FULL, Group.Status.RUNNING)
# People who take part in a group's meetings (the register lists them).
ROSTER_STATUSES = (Enrolment.Status.CONFIRMED, Enrolment.Status.COMPLETED)


def user_is_facilitator(*, user) -> bool:
    """Member of the Facilitators role, or named facilitator of any group."""
    if not user.is_authenticated:
        return False
    if user.groups.filter(name=FACILITATORS_GROUP).exists():
        return True
    return Group.objects.filter(Q(facilitator_1=user) | Q(facilitator_2=user)).exists()


def groups_facilitated_by(*, user) -> QuerySet[Group]:
    """Every group this user facilitates, whatever its status: the portal's permission scope."""
    return Group.objects.filter(Q(facilitator_1=user) | Q(facilitator_2=user)).select_related(
        "course", "centre", "venue"
    )


def portal_groups(*, user) -> QuerySet[Group]:
    """'My groups': upcoming and running, the one meeting next first, with roster size."""
    now = timezone.now()
    next_meeting = Meeting.objects.filter(
        group=OuterRef("pk"), status=Meeting.Status.SCHEDULED, ends_at__gte=now
    ).order_by("starts_at")
    return (
        groups_facilitated_by(user=user)
        .filter(status__in=PORTAL_GROUP_STATUSES)
        .annotate(
            next_meeting_at=Subquery(next_meeting.values("starts_at")[:1]),
            next_meeting_id=Subquery(next_meeting.values("pk")[:1]),
            roster_size=Count("enrolments", filter=Q(enrolments__status__in=ROSTER_STATUSES)),
        )
        .order_by(F("next_meeting_at").asc(nulls_last=True), "starts_on", "pk")
    )


def group_roster(*, group: Group) -> QuerySet[Enrolment]:
    """The people taking part, by name; contact fields are left to the caller to show or not."""
    return group.enrolments.filter(status__in=ROSTER_STATUSES).order_by("display_name", "pk")


def group_meetings(*, group: Group) -> QuerySet[Meeting]:
    return group.meetings.annotate(attendance_count=Count("attendances")).order_by("starts_at")


def meetings_facilitated_by(*, user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        Q(group__facilitator_1=user) | Q(group__facilitator_2=user)
    ).select_related("group", "group__course")


def meeting_register(*, meeting: Meeting) -> QuerySet[Enrolment]:
    """Who is on this meeting's register, with the status recorded so far (`attendance_status`).

    Someone who enrolled after the meeting ended (a late joiner) is not on it, so they are never
    counted absent for meetings before their time.
    """
    recorded = Attendance.objects.filter(meeting=meeting, enrolment=OuterRef("pk"))
    return (
        group_roster(group=meeting.group)
        .filter(created_at__lt=meeting.ends_at)
        .annotate(
            attendance_status=Subquery(recorded.values("status")[:1]),
        )
    )


@dataclass(frozen=True)
class ReachOut:
    """Two or more absences in a row: the facilitator may want to get in touch."""

    enrolment: Enrolment
    gap_start: Meeting
    absences: int


def reach_out_list(*, group: Group, include_contacted: bool = False) -> list[ReachOut]:
    """One entry per run of at least two consecutive absences (cancelled meetings skipped).

    Only recorded attendance counts: a meeting without a row for someone (before they joined,
    or not yet taken) neither starts nor breaks a run. Runs already marked contacted are left
    out unless asked for.
    """
    rows = (
        Attendance.objects.filter(meeting__group=group, enrolment__status__in=ROSTER_STATUSES)
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .select_related("meeting", "enrolment")
        .order_by("enrolment_id", "meeting__starts_at")
    )
    contacted = set(
        FollowUp.objects.filter(enrolment__group=group).values_list("enrolment_id", "gap_start_id")
    )
    runs: list[ReachOut] = []
    current: dict[str, object] = {}

    def close_run() -> None:
        if current and current["count"] >= 2:
            key = (current["enrolment"].pk, current["start"].pk)
            if include_contacted or key not in contacted:
                runs.append(ReachOut(current["enrolment"], current["start"], current["count"]))
        current.clear()

    for row in rows:
        if current and current["enrolment"].pk != row.enrolment_id:
            close_run()
        if row.status == Attendance.Status.ABSENT:
            if current:
                current["count"] += 1
            else:
                current.update(enrolment=row.enrolment, start=row.meeting, count=1)
        else:
            close_run()
    close_run()
    return sorted(runs, key=lambda run: (run.enrolment.display_name, run.gap_start.starts_at))


# --- Residential courses ---------------------------------------------------------------------

# Whose stays the coordinator plans rooms, meals and arrivals for.
STAYING_STATUSES = (*Enrolment.HOLDS_PLACE, Enrolment.Status.COMPLETED)


def residential_groups() -> QuerySet[Group]:
    """Groups of residential courses for the coordinators' screen, coming ones first."""
    return (
        groups_with_places(Group.objects.filter(course__format=CourseFormat.RESIDENTIAL))
        .select_related("course", "venue")
        .annotate(
            stays=Count("enrolments__stay", filter=Q(enrolments__status__in=STAYING_STATUSES)),
        )
        .order_by(F("starts_on").desc(nulls_first=True), "pk")
    )


def group_stays(*, group: Group) -> QuerySet[Stay]:
    """Everyone staying at the course, by name, with their room."""
    return (
        Stay.objects.filter(enrolment__group=group, enrolment__status__in=STAYING_STATUSES)
        .select_related("enrolment", "room")
        .order_by("enrolment__display_name", "pk")
    )


def venue_rooms(*, group: Group) -> list[Room]:
    if not group.venue_id:
        return []
    return list(Room.objects.filter(venue_id=group.venue_id).order_by("sort_order", "name"))


def rooming_list(*, group: Group) -> tuple[list[Room], list[Stay]]:
    """The venue's rooms, each with `.occupants` (its stays), and the people without a room."""
    rooms = venue_rooms(group=group)
    by_room: dict[int, list[Stay]] = {}
    unallocated = []
    for stay in group_stays(group=group):
        if stay.room_id is None:
            unallocated.append(stay)
        else:
            by_room.setdefault(stay.room_id, []).append(stay)
    for room in rooms:
        room.occupants = by_room.get(room.pk, [])
    return rooms, unallocated


class Meal:
    BREAKFAST = "breakfast"
    LUNCH = "lunch"
    DINNER = "dinner"
    ORDER = (BREAKFAST, LUNCH, DINNER)


def stay_meals(stay: Stay, day: dt.date) -> tuple[str, ...]:
    """The meals a person eats at the venue on `day`: arrival day lunch and dinner,
    departure day breakfast and lunch, whole days all three (a one-day stay: lunch)."""
    if not stay.arrives_on <= day <= stay.departs_on:
        return ()
    if stay.arrives_on == stay.departs_on:
        return (Meal.LUNCH,)
    if day == stay.arrives_on:
        return (Meal.LUNCH, Meal.DINNER)
    if day == stay.departs_on:
        return (Meal.BREAKFAST, Meal.LUNCH)
    return Meal.ORDER


@dataclass
class MealCount:
    day: dt.date
    meal: str
    total: int = 0
    vegetarian: int = 0
    vegan: int = 0
    gluten_free: int = 0
    lactose_free: int = 0
    allergies: int = 0


def meal_counts(*, group: Group) -> list[MealCount]:
    """Meals per day and meal over the course's dates, with diets summed; one query."""
    stays = list(group_stays(group=group))
    if not stays:
        return []
    first = min(stay.arrives_on for stay in stays)
    last = max(stay.departs_on for stay in stays)
    rows = []
    day = first
    while day <= last:
        for meal in Meal.ORDER:
            row = MealCount(day=day, meal=meal)
            for stay in stays:
                if meal not in stay_meals(stay, day):
                    continue
                row.total += 1
                row.vegetarian += stay.diet == Stay.Diet.VEGETARIAN
                row.vegan += stay.diet == Stay.Diet.VEGAN
                row.gluten_free += stay.gluten_free
                row.lactose_free += stay.lactose_free
                row.allergies += bool(stay.allergies)
            if row.total:
                rows.append(row)
        day += dt.timedelta(days=1)
    return rows


def allergy_summary(*, group: Group) -> list[tuple[str, int]]:
    """Allergies as written, with how many have each, for the kitchen (no names)."""
    counts: dict[str, int] = {}
    for allergy in (
        group_stays(group=group).exclude(allergies="").values_list("allergies", flat=True)
    ):
        key = allergy.strip().lower()
        counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items())


@dataclass
class PickupRun:
    day: dt.date
    time: dt.time | None
    stays: list


def arrivals(*, group: Group) -> tuple[list[Stay], list[PickupRun]]:
    """Everyone by arrival date and time, and those wanting a pickup grouped by date and time."""
    stays = sorted(
        group_stays(group=group),
        key=lambda stay: (stay.arrives_on, stay.arrival_time or dt.time.max, stay.pk),
    )
    runs: dict[tuple, PickupRun] = {}
    for stay in stays:
        if stay.pickup_wanted:
            key = (stay.arrives_on, stay.arrival_time)
            runs.setdefault(key, PickupRun(stay.arrives_on, stay.arrival_time, [])).stays.append(
                stay
            )
    return stays, list(runs.values())


def programme_days(meetings: Iterable[Meeting]) -> list[tuple[dt.date, list[Meeting]]]:
    """Sessions grouped by their Helsinki date, cancelled ones left out."""
    days: dict[dt.date, list[Meeting]] = {}
    for meeting in sorted(meetings, key=lambda meeting: meeting.starts_at):
        if meeting.status == Meeting.Status.CANCELLED:
            continue
        days.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
    return list(days.items())


# --- Who sees which centres' data (coordinators tied to centres) ------------------------------


def user_centre_ids(user) -> list[int] | None:
    """The crisis centres whose groups the user may see in the admin; None means every centre.

    Superusers, and coordinators without a profile or with no centres on it, see the whole
    network. Cached on the user object: one query per request."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    if not hasattr(user, "_vt_centre_ids"):
        from groups.models import CoordinatorProfile

        ids = list(
            CoordinatorProfile.centres.through.objects.filter(
                coordinatorprofile__user=user
            ).values_list("crisiscentre_id", flat=True)
        )
        user._vt_centre_ids = ids or None
    return user._vt_centre_ids


def centre_scope(queryset: QuerySet, *, user, centre_lookup: str) -> QuerySet:
    """`queryset` narrowed to the user's centres; `centre_lookup` leads from the model to its
    crisis centre (`centre`, `group__centre`, `enrolment__group__centre`)."""
    centre_ids = user_centre_ids(user)
    if centre_ids is None:
        return queryset
    return queryset.filter(**{f"{centre_lookup}__in": centre_ids})


def groups_for_user(*, user, queryset: QuerySet[Group] | None = None) -> QuerySet[Group]:
    queryset = Group.objects.all() if queryset is None else queryset
    return centre_scope(queryset, user=user, centre_lookup="centre")


def enrolments_for_user(
    *, user, queryset: QuerySet[Enrolment] | None = None
) -> QuerySet[Enrolment]:
    queryset = Enrolment.objects.all() if queryset is None else queryset
    return centre_scope(queryset, user=user, centre_lookup="group__centre")


# --- Personal data: retention and a person's own requests -----------------------------------


def retention_due_enrolments(*, today: dt.date | None = None) -> QuerySet[Enrolment]:
    """Enrolments not yet erased whose group ended (or, never scheduled, started) more than
    RETENTION_DAYS ago."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=settings.RETENTION_DAYS)
    return Enrolment.objects.filter(anonymised_at__isnull=True).filter(
        Q(group__ends_on__lt=cutoff) | Q(group__ends_on__isnull=True, group__starts_on__lt=cutoff)
    )


def person_enrolments(*, user, email: str = "", phone: str = "") -> QuerySet[Enrolment]:
    """A person's enrolments in the user's centres, by the exact contact they gave (normalised
    the way enrolment stores it). Nothing without an e-mail or phone."""
    from groups.services.enrolment import normalise_email, normalise_phone

    email, phone = normalise_email(email), normalise_phone(phone)
    condition = Q()
    if email:
        condition |= Q(email=email)
    if phone:
        condition |= Q(phone=phone)
    if not condition:
        return Enrolment.objects.none()
    return (
        enrolments_for_user(user=user, queryset=Enrolment.objects.filter(condition))
        .select_related("group__course", "group__centre", "stay__room")
        .prefetch_related("attendances__meeting", "outbox_messages")
        .order_by("created_at", "pk")
    )


# --- Dashboard: what needs a coordinator's attention ------------------------------------------

DASHBOARD_ROWS = 10
OFFER_EXPIRY_WARNING = dt.timedelta(hours=24)


def groups_missing_facilitator(*, user) -> QuerySet[Group]:
    """Groups that will run or are running with fewer than two facilitators."""
    return (
        groups_for_user(
            user=user,
            queryset=Group.objects.filter(
                Q(facilitator_1__isnull=True) | Q(facilitator_2__isnull=True),
                status__in=[
                    Group.Status.DRAFT,
                    Group.Status.OPEN,
                    Group.Status.FULL,
                    Group.Status.RUNNING,
                ],
            ),
        )
        .select_related("course", "centre")
        .order_by(F("starts_on").asc(nulls_last=True), "pk")
    )


def risk_calls_waiting(*, user) -> QuerySet[Enrolment]:
    """Active enrolments whose intake had a risk answer and whose call is not marked done."""
    return (
        enrolments_for_user(
            user=user,
            queryset=Enrolment.objects.filter(
                risk_flagged=True, risk_call_done_at__isnull=True, status__in=Enrolment.ACTIVE
            ),
        )
        .select_related("group__course")
        .order_by("created_at", "pk")
    )


def offers_expiring(*, user, now: dt.datetime | None = None) -> QuerySet[Enrolment]:
    """Open offers that lapse within a day: a nudge by phone may still save the place."""
    now = now or timezone.now()
    return (
        enrolments_for_user(
            user=user,
            queryset=Enrolment.objects.filter(
                status=Enrolment.Status.OFFERED, offer_expires_at__lte=now + OFFER_EXPIRY_WARNING
            ),
        )
        .select_related("group__course")
        .order_by("offer_expires_at", "pk")
    )


def outbox_failing(*, user) -> QuerySet:
    """E-mails given up on after every retry (not those withheld because a person was erased)."""
    from groups.models import OutboxMessage
    from groups.services.privacy import ERASED_ERROR

    return (
        centre_scope(
            OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).exclude(
                last_error=ERASED_ERROR
            ),
            user=user,
            centre_lookup="enrolment__group__centre",
        )
        .only("pk", "template", "language", "attempts", "created_at", "last_error")
        .order_by("-created_at", "-pk")
    )
