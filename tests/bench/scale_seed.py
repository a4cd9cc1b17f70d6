"""A large, realistic data set for the benchmarks: `scale_data_seed(scale=N)`, on top of
`manage.py seed_demo` (`tests/bench/run.py` runs both).

Never part of the demo, and no code outside the tests uses it. At scale 1 it holds 100
courses, each with 10 groups (five completed, one running, four open; the last one full with
one person waiting), 15 meetings and 6 enrolments per group, attendance for every meeting that
has taken place, and 150 Linity/ASSIP experts: so scale 10 is 1,000 courses, 10,000 groups,
150,000 meetings, 60,000 enrolments, ~492,000 attendance rows and 1,500 experts, spread over
the real crisis centres, the demo topics, the three languages and 18 months.

Rows go in with `bulk_create` in batches; course pages need the page tree, so each is added with
`add_child` (live, no revision: nobody edits them). Courses are seeded in chunks, one
transaction each, and a course that exists already is skipped with everything under it, so a
second run (or one after an interruption) adds only what is missing. Names and addresses are
made up (`scale.invalid`).
"""

import datetime as dt
import logging
import math
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Locale

from cms.models import CrisisCentre
from cms.page_cache import page_cache_clear
from courses.experts.models import County, Expert
from courses.models import CourseFormat, CourseIndexPage, CoursePage, Topic
from groups.models import Attendance, Enrolment, Group, Meeting

logger = logging.getLogger(__name__)

HELSINKI = ZoneInfo("Europe/Helsinki")
SLUG_PREFIX = "scale-"
EMAIL_DOMAIN = "scale.invalid"
COURSES_PER_SCALE = 100
GROUPS_PER_COURSE = 10
MEETINGS_PER_GROUP = 15
ENROLMENTS_PER_GROUP = 6
EXPERTS_PER_SCALE = 150
# Of a course's ten groups: five have ended, one is half way, four are open for enrolment.
COMPLETED_GROUPS, RUNNING_GROUPS = 5, 1
CHUNK_COURSES = 25
BATCH = 5000
FACILITATORS = 20
GROUP_LANGUAGES = ["fi"] * 16 + ["sv"] * 3 + ["en"]
ATTENDANCE_MIX = ["present"] * 14 + ["remote"] * 3 + ["excused", "absent", "absent"]


@dataclass
class ScaleCounts:
    courses: int = 0
    groups: int = 0
    meetings: int = 0
    enrolments: int = 0
    attendances: int = 0
    experts: int = 0
    skipped_courses: int = field(default=0)


def scale_targets(scale: float) -> dict[str, int]:
    courses = max(1, round(COURSES_PER_SCALE * scale))
    return {"courses": courses, "experts": max(1, round(EXPERTS_PER_SCALE * scale))}


def _facilitators() -> list:
    user_model = get_user_model()
    names = [f"{SLUG_PREFIX}facilitator-{n}" for n in range(FACILITATORS)]
    existing = set(user_model.objects.filter(username__in=names).values_list("username", flat=True))
    missing = [
        user_model(username=name, email=f"{name}@{EMAIL_DOMAIN}", password=make_password(None))
        for name in names
        if name not in existing
    ]
    user_model.objects.bulk_create(missing)
    return list(user_model.objects.filter(username__in=names).order_by("username"))


def _group_rows(
    *, course: CoursePage, number: int, rng: random.Random, centres, facilitators, today
) -> tuple[Group, list[dt.date]]:
    """The group `number` (0-9) of a course; returns it unsaved with its meeting dates."""
    weekly = course.format == CourseFormat.WEEKLY
    step = dt.timedelta(weeks=1 if weekly else 2)
    if number < COMPLETED_GROUPS:
        first = today - dt.timedelta(days=rng.randint(120, 540))
        status = Group.Status.COMPLETED
    elif number < COMPLETED_GROUPS + RUNNING_GROUPS:
        first = today - step * (MEETINGS_PER_GROUP // 2) + dt.timedelta(days=1)
        status = Group.Status.RUNNING
    else:
        first = today + dt.timedelta(days=rng.randint(7, 180))
        status = Group.Status.OPEN
    # The last group of a course is a small one with a waiting list.
    capacity = ENROLMENTS_PER_GROUP - 1 if number == GROUPS_PER_COURSE - 1 else 10
    dates = [first + step * n for n in range(MEETINGS_PER_GROUP)]
    pair = rng.sample(facilitators, 2)
    remote = rng.random() < 0.2
    group = Group(
        course=course,
        centre=rng.choice(centres),
        mode=Group.Mode.REMOTE if remote else Group.Mode.IN_PERSON,
        language=rng.choice(GROUP_LANGUAGES),
        capacity=capacity,
        min_size=5,
        facilitator_1=pair[0],
        facilitator_2=pair[1],
        start_time=dt.time(rng.choice([9, 13, 17, 18]), 0),
        duration_minutes=90 if weekly else 240,
        starts_on=dates[0],
        ends_on=dates[-1],
        status=status,
    )
    return group, dates


def _enrolment_status(group: Group, index: int) -> str:
    if group.status == Group.Status.COMPLETED:
        return Enrolment.Status.COMPLETED
    if index >= group.capacity:
        return Enrolment.Status.WAITLISTED
    return Enrolment.Status.CONFIRMED


def _seed_course_chunk(
    *, numbers: list[int], index_page, topics, centres, facilitators, counts: ScaleCounts
) -> None:
    today = timezone.localdate()
    now = timezone.now()
    formats = [CourseFormat.WEEKLY] * 6 + [CourseFormat.RESIDENTIAL, CourseFormat.TRAINING]
    courses = []
    for number in numbers:
        rng = random.Random(number)  # the same course every run
        topic = topics[number % len(topics)]
        course = index_page.add_child(
            instance=CoursePage(
                title=f"{topic.name} {number + 1}",
                slug=f"{SLUG_PREFIX}{number}",
                locale=index_page.locale,
                topic=topic,
                format=rng.choice(formats),
                summary=f"{topic.name}: vertaistukea kriisikeskuksessa.",
                languages=["fi", "sv", "en"],
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
        )
        courses.append((course, rng))

    groups, dates_of = [], []
    for course, rng in courses:
        for number in range(GROUPS_PER_COURSE):
            group, dates = _group_rows(
                course=course,
                number=number,
                rng=rng,
                centres=centres,
                facilitators=facilitators,
                today=today,
            )
            groups.append(group)
            dates_of.append(dates)
    Group.objects.bulk_create(groups, batch_size=BATCH)

    meetings, enrolments = [], []
    for group, dates in zip(groups, dates_of, strict=True):
        for day in dates:
            starts = dt.datetime.combine(day, group.start_time, tzinfo=HELSINKI)
            meetings.append(
                Meeting(
                    group=group,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(minutes=group.duration_minutes),
                    planned_on=day,
                )
            )
        # People enrolled a few weeks before the first meeting.
        enrolled = dt.datetime.combine(dates[0], group.start_time, tzinfo=HELSINKI)
        for index in range(ENROLMENTS_PER_GROUP):
            status = _enrolment_status(group, index)
            at = enrolled - dt.timedelta(days=40 - index * 5)
            enrolments.append(
                Enrolment(
                    group=group,
                    display_name=f"Osallistuja {group.pk}-{index}",
                    email=f"p{group.pk}-{index}@{EMAIL_DOMAIN}",
                    language=group.language,
                    consent_text_version="scale",
                    consented_at=at,
                    status=status,
                    placed_at=None if status == Enrolment.Status.WAITLISTED else at,
                    queued_at=at if status == Enrolment.Status.WAITLISTED else None,
                )
            )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    # `created_at` is set on insert; the reports and registers need the real enrolment time.
    Enrolment.objects.filter(pk__in=[enrolment.pk for enrolment in enrolments]).update(
        created_at=F("consented_at")
    )

    meetings_of: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        meetings_of.setdefault(meeting.group_id, []).append(meeting)
    attendances = []
    rng = random.Random(numbers[0])
    for enrolment in enrolments:
        if enrolment.status not in (Enrolment.Status.COMPLETED, Enrolment.Status.CONFIRMED):
            continue
        for meeting in meetings_of[enrolment.group_id]:
            if meeting.starts_at.date() >= today:
                break
            attendances.append(
                Attendance(meeting=meeting, enrolment=enrolment, status=rng.choice(ATTENDANCE_MIX))
            )
        if len(attendances) >= BATCH * 4:
            Attendance.objects.bulk_create(attendances, batch_size=BATCH)
            counts.attendances += len(attendances)
            attendances = []
    Attendance.objects.bulk_create(attendances, batch_size=BATCH)
    counts.attendances += len(attendances)
    counts.courses += len(courses)
    counts.groups += len(groups)
    counts.meetings += len(meetings)
    counts.enrolments += len(enrolments)


def _experts_ensure(total: int, counts: ScaleCounts) -> None:
    emails = [f"expert{n}@{EMAIL_DOMAIN}" for n in range(total)]
    existing = set(Expert.objects.filter(email__in=emails).values_list("email", flat=True))
    counties = list(County.values)
    now = timezone.now()
    experts = []
    for n, email in enumerate(emails):
        if email in existing:
            continue
        rng = random.Random(n)
        consent = rng.random() < 0.7
        experts.append(
            Expert(
                name=f"Asiantuntija {n}",
                title="Psykologi",
                organisation="Hyvinvointialue",
                county=counties[n % len(counties)],
                city="Tampere",
                email=email,
                languages=["fi", "sv"] if n % 7 == 0 else ["fi"],
                practises_assip=True,
                practises_adoassip=n % 3 == 0,
                practises_home=n % 5 == 0,
                status=Expert.Status.ACTIVE if n % 10 else Expert.Status.PAUSED,
                public_listing_consent=consent,
                public_listing_consented_at=now if consent else None,
            )
        )
    Expert.objects.bulk_create(experts, batch_size=BATCH)
    counts.experts += len(experts)


def scale_data_seed(*, scale: float) -> ScaleCounts:
    """Add the scale-N data set on top of the demo (its site tree, centres and topics)."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    targets = scale_targets(scale)
    finnish = Locale.objects.get(language_code="fi")
    index_page = CourseIndexPage.objects.get(locale=finnish)
    topics = list(Topic.objects.filter(locale=finnish).order_by("slug"))
    centres = list(CrisisCentre.objects.order_by("pk"))
    if not topics or not centres:
        raise ValueError("run seed_demo first: the scale data uses its topics and centres")
    facilitators = _facilitators()
    counts = ScaleCounts()
    existing = set(
        CoursePage.objects.child_of(index_page)
        .filter(slug__startswith=SLUG_PREFIX)
        .values_list("slug", flat=True)
    )
    missing = [n for n in range(targets["courses"]) if f"{SLUG_PREFIX}{n}" not in existing]
    counts.skipped_courses = targets["courses"] - len(missing)
    for start in range(0, len(missing), CHUNK_COURSES):
        with transaction.atomic():
            _seed_course_chunk(
                numbers=missing[start : start + CHUNK_COURSES],
                index_page=index_page,
                topics=topics,
                centres=centres,
                facilitators=facilitators,
                counts=counts,
            )
        logger.info("scale data: %s of %s courses", start + CHUNK_COURSES, len(missing))
    with transaction.atomic():
        _experts_ensure(targets["experts"], counts)
    page_cache_clear()
    return counts


def scale_expected(scale: float) -> dict[str, int]:
    """Row counts a fresh scale-N seed creates (attendance: about; it depends on the dates)."""
    courses = scale_targets(scale)["courses"]
    groups = courses * GROUPS_PER_COURSE
    return {
        "courses": courses,
        "groups": groups,
        "meetings": groups * MEETINGS_PER_GROUP,
        "enrolments": groups * ENROLMENTS_PER_GROUP,
        "experts": scale_targets(scale)["experts"],
        # every participant at 15 meetings of an ended group, 7 of a running one
        "attendances_about": math.floor(
            courses
            * ENROLMENTS_PER_GROUP
            * (COMPLETED_GROUPS * MEETINGS_PER_GROUP + RUNNING_GROUPS * 7)
        ),
    }
