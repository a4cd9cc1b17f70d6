"""The demo's groups: 35 catalogue groups in many cities and remote (some full, some with a
waiting list), a scheduled group, the facilitator portal's running group, and the cases the
coordinator's dashboard is for. Pseudonyms and example.invalid addresses only."""

import datetime as dt
from zoneinfo import ZoneInfo

import recurrence
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.urls import reverse
from django.utils import timezone, translation

from cms.models import CrisisCentre
from courses.models import CourseFormat, CoursePage, IntakeQuestion
from demo.courses import demo_courses
from demo.people import catalogue_facilitator, facilitator_home_ensure, facilitator_pair
from groups.capacity import groups_with_places
from groups.models import Apology, Attendance, Enrolment, Group, Meeting
from groups.selectors.facilitators import FACILITATORS_GROUP
from groups.services.schedule import meetings_schedule

HELSINKI = ZoneInfo("Europe/Helsinki")
REMOTE = None

# course slug, centre city (None = remote), language, starts in days, hour, fill
# fill: "open" | "few" (a couple of places left) | "waitlist" (full, waiting list) | "closed"
GROUPS = [
    ("suicide-loss-group", "Helsinki", "fi", 10, 17, "open"),
    ("suicide-loss-group", "Tampere", "fi", 17, 18, "few"),
    ("suicide-loss-group", "Turku", "fi", 24, 17, "waitlist"),
    ("suicide-loss-group", "Oulu", "fi", 31, 17, "open"),
    ("suicide-loss-group", REMOTE, "sv", 21, 18, "open"),
    ("suicide-loss-group", "Vaasa", "sv", 38, 17, "open"),
    ("suicide-loss-group", REMOTE, "fi", 12, 19, "closed"),
    ("suicide-loss-group", REMOTE, "en", 45, 18, "open"),
    ("suicide-loss-weekend", "Jyväskylä", "fi", 50, 10, "open"),
    ("suicide-loss-weekend", "Pietarsaari", "sv", 80, 10, "few"),
    ("young-suicide-loss", "Helsinki", "fi", 14, 16, "open"),
    ("young-suicide-loss", REMOTE, "fi", 28, 17, "waitlist"),
    ("sudden-loss-group", "Kuopio", "fi", 9, 17, "open"),
    ("sudden-loss-group", "Lahti", "fi", 16, 18, "open"),
    ("sudden-loss-group", "Hämeenlinna", "fi", 23, 17, "few"),
    ("sudden-loss-group", "Joensuu", "fi", 40, 17, "open"),
    ("sudden-loss-group", REMOTE, "sv", 60, 18, "open"),
    ("sudden-loss-retreat", "Rovaniemi", "fi", 70, 10, "open"),
    ("young-lonely", "Kouvola", "fi", 8, 15, "open"),
    ("young-lonely", "Savonlinna", "fi", 15, 15, "closed"),
    ("young-lonely", "Seinäjoki", "fi", 22, 16, "open"),
    ("young-lonely", REMOTE, "fi", 29, 16, "open"),
    ("young-anxiety", "Tampere", "fi", 11, 16, "waitlist"),
    ("young-anxiety", "Turku", "sv", 25, 16, "open"),
    ("young-anxiety", "Mikkeli", "fi", 33, 16, "open"),
    ("prevention-basics", "Helsinki", "fi", 19, 9, "open"),
    ("prevention-basics", "Oulu", "fi", 47, 9, "open"),
    ("prevention-basics", REMOTE, "en", 35, 9, "few"),
    ("prevention-at-work", "Kajaani", "fi", 27, 9, "open"),
    ("prevention-at-work", REMOTE, "fi", 55, 9, "open"),
    ("talking-for-families", "Lappeenranta", "fi", 13, 18, "open"),
    ("talking-for-families", REMOTE, "sv", 20, 18, "open"),
    ("talking-in-schools", "Kokkola", "fi", 30, 13, "open"),
    ("linity-assip", "Helsinki", "fi", 42, 9, "open"),
    ("linity-assip", REMOTE, "fi", 90, 9, "open"),
]
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _free_pair(taken: list[list[tuple[dt.datetime, dt.datetime]]], meetings) -> int:
    """The first pair of demo facilitators with no meeting overlapping `meetings`."""
    for number, busy in enumerate(taken):
        if not any(
            start < end_ and start_ < end for start, end in meetings for start_, end_ in busy
        ):
            return number
    taken.append([])
    return len(taken) - 1


def _weekly_rule(first: dt.date, count: int) -> recurrence.Recurrence:
    """The rule a coordinator would enter for these dates: weekly on the first's weekday."""
    return recurrence.deserialize(
        f"RRULE:FREQ=WEEKLY;BYDAY={WEEKDAYS[first.weekday()]};COUNT={count}"
    )


def _meeting_dates(format_: str, first: dt.date) -> list[dt.date]:
    if format_ == CourseFormat.WEEKLY:
        return [first + dt.timedelta(weeks=week) for week in range(10)]
    if format_ == CourseFormat.RESIDENTIAL:
        return [first + dt.timedelta(days=day) for day in range(3)]
    return [first]


def seed_groups() -> None:
    """The catalogue's groups, their meetings and enrolments (only on a database with none)."""
    if Group.objects.exists():
        return
    courses = demo_courses("fi")
    centres = {centre.city: centre for centre in CrisisCentre.objects.order_by("pk")}
    today = timezone.localdate()
    enrolment_number = 0
    busy_pairs: list[list[tuple[dt.datetime, dt.datetime]]] = []
    for slug, city, language, in_days, hour, fill in GROUPS:
        course = courses[slug]
        first = today + dt.timedelta(days=in_days)
        dates = _meeting_dates(course.format, first)
        duration = 90 if course.format == CourseFormat.WEEKLY else 360
        capacity = 8 if fill in {"few", "waitlist"} else 10
        intervals = [
            (starts, starts + dt.timedelta(minutes=duration))
            for starts in (
                dt.datetime.combine(day, dt.time(hour), tzinfo=HELSINKI) for day in dates
            )
        ]
        pair = _free_pair(busy_pairs, intervals)
        busy_pairs[pair] += intervals
        # A weekly group has its rule, as a coordinator enters it: the group form asks for one.
        rule = (
            {"schedule": _weekly_rule(first, len(dates)), "schedule_from": first}
            if course.format == CourseFormat.WEEKLY
            else {}
        )
        group = Group.objects.create(
            course=course,
            centre=centres["Helsinki"] if city is None else centres[city],
            mode=Group.Mode.REMOTE if city is None else Group.Mode.IN_PERSON,
            # A remote group meets by video; the address is an example one.
            video_link=demo_video_link(len(busy_pairs), in_days) if city is None else "",
            language=language,
            capacity=capacity,
            min_size=5,
            facilitator_1=catalogue_facilitator(2 * pair),
            facilitator_2=catalogue_facilitator(2 * pair + 1),
            **rule,
            start_time=dt.time(hour, 0),
            duration_minutes=duration,
            starts_on=dates[0],
            ends_on=dates[-1],
            status=Group.Status.FULL if fill == "closed" else Group.Status.OPEN,
        )
        for facilitator in (group.facilitator_1, group.facilitator_2):
            facilitator_home_ensure(facilitator, group.centre)
        for day, (starts, ends) in zip(dates, intervals, strict=True):
            Meeting.objects.create(group=group, starts_at=starts, ends_at=ends, planned_on=day)
        taken = {"open": 3, "few": capacity - 2, "waitlist": capacity, "closed": capacity}[fill]
        waiting = 2 if fill == "waitlist" else 0
        for index in range(taken + waiting):
            enrolment_number += 1
            Enrolment.objects.create(
                group=group,
                display_name=f"Demo {enrolment_number}",
                email=f"demo{enrolment_number}@example.invalid",
                language=language,
                consent_text_version="demo",
                consented_at=timezone.now(),
                status=Enrolment.Status.CONFIRMED if index < taken else Enrolment.Status.WAITLISTED,
                queued_at=timezone.now() if index >= taken else None,
                placed_at=timezone.now() if index < taken else None,
            )


def demo_video_link(*parts) -> str:
    """An example video meeting address (https, never a real room)."""
    return "https://video.example.invalid/vertaistuki-" + "-".join(str(part) for part in parts)


DEMO_SCHEDULED_GROUP = "Tiistai-illat"


def seed_scheduled_group() -> None:
    """A weekly group whose meetings come from its rule, led by the facilitators with profiles
    (`demo.people.seed_facilitator_profiles`)."""
    facilitators, _ = AuthGroup.objects.get_or_create(name=FACILITATORS_GROUP)
    centre = CrisisCentre.objects.order_by("pk").first()
    pair = list(facilitators.user_set.order_by("username")[:2])
    course = CoursePage.objects.filter(format=CourseFormat.WEEKLY).order_by("pk").first()
    if course is None or len(pair) < 2 or Group.objects.filter(name=DEMO_SCHEDULED_GROUP).exists():
        return
    today = timezone.localdate()
    group = Group.objects.create(
        course=course,
        name=DEMO_SCHEDULED_GROUP,
        centre=centre,
        status=Group.Status.OPEN,
        facilitator_1=pair[0],
        facilitator_2=pair[1],
        schedule=recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12"),
        schedule_from=today + dt.timedelta(days=21),
        start_time=dt.time(17, 30),
        duration_minutes=90,
        go_no_go_date=today + dt.timedelta(days=14),
    )
    meetings_schedule(group=group)


DEMO_GROUP_NAME = "Demo: tiistairyhmä"
DEMO_PEOPLE = ["Aino", "Bertta", "Cecilia", "Daniel", "Eero", "Frida"]


def seed_running_group() -> None:
    """The facilitator portal's group: running, led by the demo facilitator, with a register
    half taken and someone to reach out to (missed two meetings in a row)."""
    users = get_user_model().objects.filter(username__in=["facilitator", "coordinator"])
    by_name = {user.username: user for user in users}
    course = CoursePage.objects.live().filter(locale__language_code="fi").first()
    if len(by_name) < 2 or course is None or Group.objects.filter(name=DEMO_GROUP_NAME).exists():
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    group = Group.objects.create(
        course=course,
        name=DEMO_GROUP_NAME,
        status=Group.Status.RUNNING,
        facilitator_1=by_name["facilitator"],
        facilitator_2=by_name["coordinator"],
        capacity=8,
        starts_on=timezone.localdate(now - dt.timedelta(weeks=3)),
    )
    meetings = [
        Meeting.objects.create(
            group=group,
            starts_at=now + dt.timedelta(weeks=week),
            ends_at=now + dt.timedelta(weeks=week, minutes=90),
        )
        for week in range(-3, 3)
    ]
    people = [
        Enrolment.objects.create(
            group=group,
            display_name=name,
            email=f"demo-{name.lower()}@example.invalid",
            consent_text_version="demo",
            consented_at=now,
            status=Enrolment.Status.CONFIRMED,
        )
        for name in DEMO_PEOPLE
    ]
    Enrolment.objects.filter(group=group).update(created_at=now - dt.timedelta(weeks=5))
    for meeting in meetings[:3]:
        for person in people:
            absent = person.display_name == "Daniel" and meeting != meetings[0]
            Attendance.objects.create(
                meeting=meeting,
                enrolment=person,
                status=Attendance.Status.ABSENT if absent else Attendance.Status.PRESENT,
                recorded_by=by_name["facilitator"],
            )


DEMO_ATTENTION_GROUP = "Kevään ryhmä: toinen ohjaaja puuttuu"


def seed_attention_cases() -> None:
    """A group still missing its second facilitator, a risk answer waiting for a call and an
    offer that lapses within a day, so the dashboard panels show what they are for. Adds only
    what is missing (the group's name marks that it was done)."""
    if Group.objects.filter(name=DEMO_ATTENTION_GROUP).exists():
        return
    # Led by someone other than the demo facilitator: their portal must not show it.
    _demo_facilitator, facilitator = facilitator_pair()
    course = CoursePage.objects.live().filter(locale__language_code="fi").order_by("pk").first()
    centre = CrisisCentre.objects.filter(city="Helsinki").order_by("pk").first()
    if course is None:
        return
    today = timezone.localdate()
    Group.objects.create(
        course=course,
        name=DEMO_ATTENTION_GROUP,
        centre=centre,
        status=Group.Status.DRAFT,
        facilitator_1=facilitator,
        starts_on=today + dt.timedelta(days=90),
    )
    open_groups = groups_with_places(
        Group.objects.filter(status=Group.Status.OPEN, centre__isnull=False)
    ).filter(places_left__gt=0)
    group = open_groups.order_by("pk").first()
    if group is None:
        return
    now = timezone.now()
    common = {"group": group, "consent_text_version": "demo", "consented_at": now}
    # The answers as the enrol form keeps them (question text: answer), the risk one included,
    # so the call page shows what the coordinator is calling about.
    answers = {
        question.text: question.risk_answer_list[0] if question.is_risk_question else "—"
        for question in IntakeQuestion.objects.filter(course=group.course).order_by("sort_order")
    }
    Enrolment.objects.create(
        **common,
        display_name="Hilja",
        email="demo-hilja@example.invalid",
        status=Enrolment.Status.PENDING,
        risk_flagged=True,
        intake_answers={text: answer for text, answer in answers.items() if answer != "—"},
    )
    Enrolment.objects.create(
        **common,
        display_name="Iiris",
        email="demo-iiris@example.invalid",
        status=Enrolment.Status.OFFERED,
        offer_expires_at=now + dt.timedelta(hours=10),
    )


DEMO_ONLINE_GROUP = "Etäryhmä iltaisin"
DEMO_ONLINE_PEOPLE = ["Greta", "Hanna", "Ilmari", "Jonna"]


def seed_online_group() -> None:
    """A remote group led by the demo facilitator that meets weekly at 18:00 (Helsinki), its
    next meeting at the first 18:00 after seeding: always within a day, so its video link shows
    on its participants' manage pages (the window opens a day before). Jonna has sent apologies
    for it (the facilitator's register shows them), and the meeting after has a link of its
    own."""
    users = get_user_model().objects.filter(username__in=["facilitator", "coordinator"])
    by_name = {user.username: user for user in users}
    course = CoursePage.objects.live().filter(locale__language_code="fi").first()
    centre = CrisisCentre.objects.filter(city="Helsinki").order_by("pk").first()
    if len(by_name) < 2 or course is None or Group.objects.filter(name=DEMO_ONLINE_GROUP).exists():
        return
    now = timezone.now().replace(second=0, microsecond=0)
    local_now = timezone.localtime(now, HELSINKI)
    next_evening = local_now.replace(hour=18, minute=0)
    if next_evening <= local_now:
        next_evening += dt.timedelta(days=1)

    def evening(week: int) -> dt.datetime:
        # The same wall-clock time every week, across a change of daylight saving time.
        return (next_evening.replace(tzinfo=None) + dt.timedelta(weeks=week)).replace(
            tzinfo=HELSINKI
        )

    group = Group.objects.create(
        course=course,
        name=DEMO_ONLINE_GROUP,
        centre=centre,
        mode=Group.Mode.REMOTE,
        status=Group.Status.RUNNING,
        facilitator_1=by_name["facilitator"],
        facilitator_2=by_name["coordinator"],
        capacity=8,
        video_link=demo_video_link("ilta"),
        starts_on=evening(-2).date(),
        ends_on=evening(3).date(),
    )
    meetings = [
        Meeting.objects.create(
            group=group,
            starts_at=evening(week),
            ends_at=evening(week) + dt.timedelta(minutes=90),
            planned_on=evening(week).date(),
            video_link=demo_video_link("ilta", "oma-huone") if week == 1 else "",
        )
        for week in range(-2, 4)
    ]
    people = [
        Enrolment.objects.create(
            group=group,
            display_name=name,
            email=f"demo-{name.lower()}@example.invalid",
            consent_text_version="demo",
            consented_at=now,
            status=Enrolment.Status.CONFIRMED,
            placed_at=now - dt.timedelta(weeks=4),
        )
        for name in DEMO_ONLINE_PEOPLE
    ]
    Enrolment.objects.filter(group=group).update(created_at=now - dt.timedelta(weeks=4))
    for meeting in meetings[:2]:
        Attendance.objects.bulk_create(
            Attendance(
                meeting=meeting,
                enrolment=person,
                status=Attendance.Status.REMOTE,
                recorded_by=by_name["facilitator"],
            )
            for person in people
        )
    Apology.objects.create(meeting=meetings[2], enrolment=people[-1], sent_at=now)


def demo_online_manage_path() -> str:
    """The manage page of the online group's first participant (printed by `make run`)."""
    enrolment = (
        Enrolment.objects.filter(group__name=DEMO_ONLINE_GROUP, display_name=DEMO_ONLINE_PEOPLE[0])
        .only("manage_token")
        .first()
    )
    if enrolment is None:
        return ""
    with translation.override("fi"):
        return reverse("groups:manage", kwargs={"token": enrolment.manage_token})
