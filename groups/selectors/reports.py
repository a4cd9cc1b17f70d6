"""Coordinator reports: fill, attendance, completion, drop-outs and waiting lists.

A handful of queries, the attendance counted in the database, then arithmetic in Python, so
the number of queries stays the same whether a group has ten participants or a thousand. Held
meetings are the scheduled (or moved) ones that have started; cancelled meetings never count.
Someone who got their place after a meeting is not expected at it (late joiners and people
placed from the waiting list are not counted absent; `portal.place_given_at` is the rule).
The time to a place is the median number of days from joining the waiting list to first
getting a place, over the people who waited and got one (even if they left later).
"""

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import groupby
from operator import itemgetter
from statistics import median

from django.conf import settings
from django.db.models import Count, F, Field, Func, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.capacity import groups_with_places
from groups.models import Attendance, Enrolment, Group, Meeting, group_label
from groups.selectors.portal import place_given_at

ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.REMOTE)
# Everyone who holds or held a place: a drop-out keeps counting in the group's figures.
TAKING_PART = (Enrolment.Status.CONFIRMED, Enrolment.Status.COMPLETED)
COMPLETION_SHARE = Fraction(2, 3)

DIMENSIONS = {
    "course": _("Course"),
    "centre": _("Crisis centre"),
    "topic": _("Topic"),
    "language": _("Language"),
    "month": _("Month"),
}


@dataclass
class Figures:
    """Counts behind the rates; rows of a report add up by summing these."""

    label: str = ""
    groups: int = 0
    capacity: int = 0
    taken: int = 0
    waitlisted: int = 0
    expected: int = 0  # attendance rows on held meetings (one per person on the register)
    attended: int = 0
    participants: int = 0  # people expected at one held meeting at least
    completed: int = 0
    dropouts: dict[int, int] = field(default_factory=dict)  # meeting number: people
    per_meeting: list[tuple[int, float | None]] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)  # days from the waiting list to a place

    def add(self, other: "Figures") -> None:
        for name in ("groups", "capacity", "taken", "waitlisted", "expected", "attended"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.participants += other.participants
        self.completed += other.completed
        for number, count in other.dropouts.items():
            self.dropouts[number] = self.dropouts.get(number, 0) + count
        self.waits.extend(other.waits)

    @staticmethod
    def rate(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def fill_rate(self) -> float | None:
        return self.rate(self.taken, self.capacity)

    @property
    def attendance_rate(self) -> float | None:
        return self.rate(self.attended, self.expected)

    @property
    def completion_rate(self) -> float | None:
        return self.rate(self.completed, self.participants)

    @property
    def median_wait_days(self) -> float | None:
        return round(median(self.waits), 1) if self.waits else None

    @property
    def dropouts_sorted(self) -> list[tuple[int, int]]:
        return sorted(self.dropouts.items())


@dataclass(frozen=True, slots=True)
class ReportGroup:
    """What a report needs of a group, read as plain values: building 10,000 model instances
    and their 1,000 course pages took longer than all the report's arithmetic."""

    pk: int
    label: str
    capacity: int
    places_left: int  # by the one rule of `groups.capacity`
    course: str
    course_format: str
    topic: str
    centre: str
    language: str
    starts_on: dt.date | None

    def __str__(self) -> str:
        return self.label


def report_selection(*, queryset: QuerySet[Group] | None = None) -> QuerySet[Group]:
    """The groups a report covers: every group that was or is to be held."""
    queryset = Group.objects.all() if queryset is None else queryset
    return queryset.exclude(status__in=[Group.Status.DRAFT, Group.Status.CANCELLED])


def report_groups(*, queryset: QuerySet[Group] | None = None) -> list[ReportGroup]:
    """The groups of `report_selection`, by start date, with their places left (the
    catalogue's annotation, `groups.capacity.groups_with_places`), in one query."""
    languages = {code: str(name) for code, name in settings.LANGUAGES}  # translated once
    rows = (
        groups_with_places(report_selection(queryset=queryset))
        .order_by("starts_on", "pk")
        .values_list(
            "pk",
            "name",
            "capacity",
            "places_left",
            "starts_on",
            "language",
            "course__title",
            "course__format",
            "course__topic__name",
            "centre__name",
        )
    )
    return [
        ReportGroup(
            pk=pk,
            label=group_label(course, name, starts_on),
            capacity=capacity,
            places_left=places_left,
            course=course,
            course_format=course_format,
            topic=topic,
            centre=centre or "",
            language=languages.get(language, language),
            starts_on=starts_on,
        )
        for (
            pk,
            name,
            capacity,
            places_left,
            starts_on,
            language,
            course,
            course_format,
            topic,
            centre,
        ) in rows
    ]


# The output field of counts and constants loaded by the thousand: a plain Field has no
# converter, where an IntegerField calls int() on every value Python already has as an int.
AS_LOADED = Field()


class Epoch(Func):
    """Seconds since 1970 of a datetime column. The reports compare and subtract times of
    hundreds of thousands of rows; a float is far cheaper to load than an aware datetime.
    Both databases return a float already: the plain output field spares Django's per-value
    float() converter."""

    output_field = Field()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM %(expressions)s)::double precision",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)",
            **extra_context,
        )


@dataclass(slots=True)
class _Held:
    """A group's held meetings in order (by start, then id): meeting number n is index n-1."""

    ids: list[int]
    starts: list[float]
    ends: list[float]
    first_end: float
    # Meetings usually end in the order they start; then the meetings a late joiner is
    # expected at (those ending after they got their place) are the tail of the list.
    ends_in_order: bool

    def expected_from(self, place_given: float) -> range | list[int]:
        """Indexes of the meetings someone who got their place at `place_given` is expected at."""
        if self.ends_in_order:
            return range(bisect_right(self.ends, place_given), len(self.ids))
        return [index for index, ends_at in enumerate(self.ends) if place_given < ends_at]


def _held_meetings(rows) -> dict[int, _Held]:
    """Rows of (id, group, start, end), ordered by group, start and id, become each group's
    held meetings in order."""
    held: dict[int, _Held] = {}
    for group_id, meetings in groupby(rows, key=itemgetter(1)):
        ids, _groups, starts, ends = (list(column) for column in zip(*meetings, strict=True))
        held[group_id] = _Held(ids, starts, ends, min(ends), ends == sorted(ends))
    return held


def group_figures(
    *, groups: list[ReportGroup], within: QuerySet[Group] | None = None, per_meeting: bool = True
) -> dict[int, Figures]:
    """Figures per group, in three queries whatever the size (four with `per_meeting`: the
    attendance rate per meeting, which only the report by group shows, a page at a time).
    `within`, the queryset the groups came from, lets the queries select by a subquery
    instead of a list of thousands of ids.

    The database counts the attendance: per held meeting, how many of the group's people came
    (of those enrolled before it ended); per person, how many of their held meetings they came
    to and when the last of those started. Python adds these up with the held meetings each
    person was expected at; no attendance row is loaded."""
    ids = [group.pk for group in groups] if within is None else within.order_by().values("pk")
    now = timezone.now()
    # Came to a held meeting of their own group that ended after they enrolled: the meetings
    # a person is expected at (late joiners are not counted absent before they joined). The
    # comparisons between the two rows are in the counts' FILTER, not in the join: PostgreSQL
    # then estimates the join well and hashes it instead of looping over 500,000 rows. The
    # meetings are chosen by group (some 80,000 rows), before the join with the attendance.
    came = Attendance.objects.filter(
        ~Q(meeting__status=Meeting.Status.CANCELLED),
        status__in=ATTENDED,
        meeting__group_id__in=ids,
        enrolment__status__in=TAKING_PART,
        meeting__starts_at__lte=now,
    ).order_by()
    theirs = Q(
        meeting__group_id=F("enrolment__group_id"),
        meeting__ends_at__gt=place_given_at("enrolment__"),
    )
    # The held meetings in order, sorted by the database.
    held_of = _held_meetings(
        Meeting.objects.filter(group_id__in=ids, starts_at__lte=now)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("group_id", "starts_at", "pk")
        .values_list("pk", "group_id", Epoch("starts_at"), Epoch("ends_at"))
    )
    # How many came to each held meeting: only the report by group shows that, for a page of
    # groups; summed rows leave it out.
    present: dict[int, int] = {}
    if per_meeting:
        present = dict(
            came.values("meeting_id")
            .annotate(n=Count("pk", filter=theirs, output_field=AS_LOADED))
            .values_list("meeting_id", "n")
        )
    went = {
        enrolment_id: (attended, last_start)
        for enrolment_id, attended, last_start in came.values("enrolment_id")
        .annotate(
            attended=Count("pk", filter=theirs, output_field=AS_LOADED),
            # The latest start, then its seconds: one conversion per person, not per row.
            last_start=Epoch(Max("meeting__starts_at", filter=theirs)),
        )
        .values_list("enrolment_id", "attended", "last_start")
    }

    figures_of: dict[int, Figures] = defaultdict(Figures)
    # People expected at every held meeting of their group (enrolled before the first one
    # ended), counted per group; the late joiners are counted per meeting.
    everyone: dict[int, int] = defaultdict(int)
    expected: dict[int, int] = defaultdict(int)
    taking_part = set(TAKING_PART)
    waitlisted = Enrolment.Status.WAITLISTED
    share = COMPLETION_SHARE
    for enrolment_id, group_id, status, place_given, queued_at, placed_at in (
        Enrolment.objects.filter(group_id__in=ids)
        .filter(Q(status__in=[*TAKING_PART, waitlisted]) | Q(placed_at__isnull=False))
        .order_by()
        .values_list(
            "pk",
            "group_id",
            "status",
            Epoch(place_given_at()),
            Epoch("queued_at"),
            Epoch("placed_at"),
        )
    ):
        result = figures_of[group_id]
        # Moved back to the queue after a place: the new queue time says nothing of the wait.
        if queued_at is not None and placed_at is not None and placed_at >= queued_at:
            result.waits.append((placed_at - queued_at) / 86400)
        if status == waitlisted:
            result.waitlisted += 1
            continue
        if status not in taking_part:
            continue
        result.taken += 1
        held = held_of.get(group_id)
        if held is None:
            continue
        if place_given < held.first_end:
            positions = range(len(held.ids))
            everyone[group_id] += 1
        else:
            positions = held.expected_from(place_given)
            if not positions:
                continue
            for index in positions if per_meeting else ():
                expected[held.ids[index]] += 1
        attended, last_start = went.get(enrolment_id, (0, None))
        result.participants += 1
        result.expected += len(positions)
        result.attended += attended
        if attended * share.denominator >= share.numerator * len(positions):
            result.completed += 1
        if last_start is None:
            continue
        # Dropped out: came at least once, then missed every held meeting after that.
        if isinstance(positions, range):
            first_after = max(positions.start, bisect_right(held.starts, last_start))
            missed = len(held.ids) - first_after
        else:
            after = [index for index in positions if held.starts[index] > last_start]
            first_after, missed = (after[0] if after else 0), len(after)
        if missed >= 2:
            result.dropouts[first_after + 1] = result.dropouts.get(first_after + 1, 0) + 1

    figures: dict[int, Figures] = {}
    for group in groups:
        result = figures_of[group.pk]
        result.label = str(group)
        result.groups = 1
        result.capacity = group.capacity
        if per_meeting:
            held = held_of.get(group.pk)
            result.per_meeting = [
                (
                    number,
                    Figures.rate(
                        present.get(meeting_id, 0), everyone[group.pk] + expected[meeting_id]
                    ),
                )
                for number, meeting_id in enumerate(held.ids if held else (), start=1)
            ]
        figures[group.pk] = result
    return figures


def dimension_key(group: ReportGroup, dimension: str) -> str:
    if dimension == "centre":
        return group.centre or "-"
    if dimension == "topic":
        return group.topic
    if dimension == "language":
        return group.language
    if dimension == "month":
        return group.starts_on.strftime("%Y-%m") if group.starts_on else "-"
    return group.course


def report_by(*, dimension: str, queryset: QuerySet[Group] | None = None) -> list[Figures]:
    """One row per course, centre, topic, language or start month, summing its groups."""
    selected = report_selection(queryset=queryset)
    groups = report_groups(queryset=selected)
    per_group = group_figures(groups=groups, within=selected, per_meeting=False)
    rows: dict[str, Figures] = {}
    for group in groups:
        key = dimension_key(group, dimension)
        rows.setdefault(key, Figures(label=key)).add(per_group[group.pk])
    return [rows[key] for key in sorted(rows)]


def enrolment_certificate(*, enrolment: Enrolment) -> dict | None:
    """What an attendance certificate says, or None if there is none to give.

    Only trainings give one, only once no meeting is left to come, and only to someone who
    attended at least two thirds of the held meetings they were expected at.
    """
    group = enrolment.group
    course = group.course.specific
    if course.format != "training" or enrolment.status not in TAKING_PART:
        return None
    now = timezone.now()
    meetings = list(group.meetings.exclude(status=Meeting.Status.CANCELLED).order_by("starts_at"))
    if not meetings or any(meeting.ends_at > now for meeting in meetings):
        return None
    place_given = enrolment.placed_at or enrolment.created_at  # as `portal.place_given_at`
    theirs = [meeting for meeting in meetings if place_given < meeting.ends_at]
    went = set(
        enrolment.attendances.filter(status__in=ATTENDED).values_list("meeting_id", flat=True)
    )
    attended = sum(meeting.pk in went for meeting in theirs)
    if not theirs or attended < COMPLETION_SHARE * len(theirs):
        return None
    return {
        "enrolment": enrolment,
        "group": group,
        # The title in the reader's language (the group hangs on the Finnish page).
        "course": course.localized,
        "first_day": timezone.localdate(meetings[0].starts_at),
        "last_day": timezone.localdate(meetings[-1].starts_at),
        "hours": course.training_hours,
        "attended": attended,
        "held": len(theirs),
    }


def _answers_per_group(answers: QuerySet) -> QuerySet:
    return answers.order_by().values("group_id").annotate(count=Count("pk"))


def feedback_groups_waiting(*, answers: QuerySet | None = None) -> int:
    """How many groups have answers, but fewer than FEEDBACK_MIN_ANSWERS: not shown yet."""
    from groups.models import FeedbackAnswer

    answers = FeedbackAnswer.objects.all() if answers is None else answers
    waiting = _answers_per_group(answers).filter(count__lt=settings.FEEDBACK_MIN_ANSWERS)
    return waiting.count()


def feedback_results(*, answers: QuerySet | None = None) -> list[dict]:
    """Per course: how many answered, how much the group helped (1-5), would they recommend it,
    and the free-text comments; of `answers` (the admin passes those of the user's centres).
    Two queries.

    Only groups with at least FEEDBACK_MIN_ANSWERS answers count: in a smaller one, the
    facilitators could tell whose answer or comment is whose."""
    from groups.models import FeedbackAnswer

    answers = FeedbackAnswer.objects.all() if answers is None else answers
    shown = _answers_per_group(answers).filter(count__gte=settings.FEEDBACK_MIN_ANSWERS)
    answers = (
        answers.filter(group_id__in=shown.values("group_id"))
        .select_related("group__course")
        .order_by("group__course__title", "pk")  # a random id: comments in no time order
    )
    courses: dict[int, dict] = {}
    for answer in answers:
        course = answer.group.course
        entry = courses.setdefault(
            course.pk,
            {
                "title": course.title,
                "count": 0,
                "helped_counts": defaultdict(int),
                "recommend_counts": defaultdict(int),
                "comments": [],
            },
        )
        entry["count"] += 1
        entry["helped_counts"][answer.helped] += 1
        entry["recommend_counts"][answer.recommend] += 1
        if answer.comment:
            entry["comments"].append(answer.comment)
    results = []
    for entry in courses.values():
        helped = entry.pop("helped_counts")
        recommend = entry.pop("recommend_counts")
        entry["helped_average"] = round(
            sum(value * count for value, count in helped.items()) / entry["count"], 1
        )
        entry["helped"] = [(str(value), helped.get(value, 0)) for value in range(1, 6)]
        entry["helped_title"] = _("Did the group help? (1-5)")
        entry["recommend"] = [
            (label, recommend.get(value, 0)) for value, label in FeedbackAnswer.Recommend.choices
        ]
        entry["recommend_title"] = _("Would you recommend it?")
        results.append(entry)
    return results


# Report periods ---------------------------------------------------------------------------
# A season is a half year by the groups' start dates: spring from January to June, autumn from
# July to December (a group starting in August belongs to the autumn season).
SEASONS = {"spring": (1, 6), "autumn": (7, 12)}


def season_dates(season: str) -> tuple[dt.date, dt.date] | None:
    """ "2027-spring" -> (1.1.2027, 30.6.2027); None for anything else."""
    year, _dash, half = season.partition("-")
    if not year.isdigit() or half not in SEASONS or not 2000 <= int(year) <= 2100:
        return None
    first, last = SEASONS[half]
    end = dt.date(int(year), last, 30 if last == 6 else 31)
    return dt.date(int(year), first, 1), end


def season_choices(*, today: dt.date | None = None) -> list[tuple[str, str]]:
    """The seasons from two years back to the next year, newest first, labelled in the
    user's language ("Kevät 2027")."""
    year = (today or timezone.localdate()).year
    labels = {"spring": _("Spring %(year)d"), "autumn": _("Autumn %(year)d")}
    return [
        (f"{y}-{half}", str(labels[half]) % {"year": y})
        for y in range(year + 1, year - 3, -1)
        for half in ("autumn", "spring")
    ]


def groups_starting_between(
    queryset: QuerySet[Group], *, start: dt.date | None, end: dt.date | None
) -> QuerySet[Group]:
    """The groups whose first meeting is within the period (either end may be open)."""
    if start:
        queryset = queryset.filter(starts_on__gte=start)
    if end:
        queryset = queryset.filter(starts_on__lte=end)
    return queryset
