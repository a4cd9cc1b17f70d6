"""Demo groups for `make run`: 30+ groups in many cities and remote, some full, some with a
waiting list, coordinators' permissions, facilitator profiles and a scheduled group.
Pseudonyms and example.invalid addresses only: never real people."""

import datetime as dt
from zoneinfo import ZoneInfo

import recurrence
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.utils import timezone
from wagtail.models import Locale

from cms.models import CrisisCentre
from courses.demo import COURSES
from courses.models import CourseFormat, CoursePage
from groups.models import (
    Attendance,
    Enrolment,
    FacilitatorProfile,
    Group,
    Meeting,
    Room,
    Stay,
    Venue,
)
from groups.selectors.facilitators import FACILITATORS_GROUP
from groups.services.go_no_go import COORDINATORS_GROUP
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
    ("suicide-loss-weekend", "Porvoo", "sv", 80, 10, "few"),
    ("young-suicide-loss", "Helsinki", "fi", 14, 16, "open"),
    ("young-suicide-loss", REMOTE, "fi", 28, 17, "waitlist"),
    ("sudden-loss-group", "Kuopio", "fi", 9, 17, "open"),
    ("sudden-loss-group", "Lahti", "fi", 16, 18, "open"),
    ("sudden-loss-group", "Pori", "fi", 23, 17, "few"),
    ("sudden-loss-group", "Joensuu", "fi", 40, 17, "open"),
    ("sudden-loss-group", REMOTE, "sv", 60, 18, "open"),
    ("sudden-loss-retreat", "Rovaniemi", "fi", 70, 10, "open"),
    ("young-lonely", "Espoo", "fi", 8, 15, "open"),
    ("young-lonely", "Vantaa", "fi", 15, 15, "closed"),
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


def _facilitators():
    user_model = get_user_model()
    pair = []
    for username in ("facilitator", "facilitator-2"):
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.invalid"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        pair.append(user)
    return pair


# The people who lead the demo's catalogue groups, two to a group, never two groups at once (the
# group form refuses a facilitator's clash). The demo login "facilitator" is kept for the
# scheduled group, the residential courses and the portal's group.
DEMO_FACILITATOR_NAMES = [
    ("Aino", "Aaltonen"), ("Eero", "Heikkinen"), ("Kaisa", "Laine"), ("Mikael", "Lindqvist"),
    ("Noora", "Mattila"), ("Olli", "Niemi"), ("Pia", "Rantanen"), ("Sanna", "Salonen"),
    ("Tuomas", "Virtanen"), ("Ulla", "Koskinen"), ("Vilja", "Lehtonen"), ("Anders", "Björk"),
    ("Helmi", "Karjalainen"), ("Jussi", "Mäkelä"), ("Linnea", "Sjöberg"), ("Riikka", "Peltonen"),
]  # fmt: skip
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _demo_facilitator(number: int):
    first_name, last_name = DEMO_FACILITATOR_NAMES[number]
    user, created = get_user_model().objects.get_or_create(
        username=f"ohjaaja-{number + 1}",
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"ohjaaja-{number + 1}@example.invalid",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(AuthGroup.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    return user


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


def demo_groups_ensure() -> None:
    if Group.objects.exists():
        return
    finnish = Locale.objects.get(language_code="fi")
    slugs = [slug for slug, *_rest in COURSES]
    courses = {
        course.slug: course for course in CoursePage.objects.filter(locale=finnish, slug__in=slugs)
    }
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
            language=language,
            capacity=capacity,
            min_size=5,
            facilitator_1=_demo_facilitator(2 * pair),
            facilitator_2=_demo_facilitator(2 * pair + 1),
            **rule,
            start_time=dt.time(hour, 0),
            duration_minutes=duration,
            starts_on=dates[0],
            ends_on=dates[-1],
            status=Group.Status.FULL if fill == "closed" else Group.Status.OPEN,
        )
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


DEMO_SCHEDULED_GROUP = "Tiistai-illat"


def schedule_demo_ensure() -> None:
    coordinators, _ = AuthGroup.objects.get_or_create(name=COORDINATORS_GROUP)
    coordinators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="groups",
            content_type__model__in=["group", "meeting", "facilitatorprofile"],
        ),
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    facilitators, _ = AuthGroup.objects.get_or_create(name=FACILITATORS_GROUP)
    for second in _facilitators():
        second.groups.add(facilitators)
    centre = CrisisCentre.objects.order_by("pk").first()
    pair = list(facilitators.user_set.order_by("username")[:2])
    for user in pair:
        FacilitatorProfile.objects.get_or_create(
            user=user,
            defaults={"profession": "Sairaanhoitaja", "languages": "fi, sv", "home_centre": centre},
        )
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


COORDINATOR_PERMISSIONS = [
    "access_admin",
    "view_enrolment",
    "change_enrolment",
    "view_enrolment_contact",
    "view_outboxmessage",
]


def enrolment_demo_ensure() -> None:
    """Coordinators may see rosters and act on enrolments (the demo groups with waiting lists
    come from `demo_groups_ensure`)."""
    coordinators, _ = AuthGroup.objects.get_or_create(name="Coordinators")
    coordinators.permissions.add(*Permission.objects.filter(codename__in=COORDINATOR_PERMISSIONS))


"""Demo data for the facilitator portal: one running group of the demo facilitator, with a
register half taken and someone to reach out to. Adds only what is missing."""


DEMO_GROUP_NAME = "Demo: tiistairyhmä"
DEMO_PEOPLE = ["Aino", "Bertta", "Cecilia", "Daniel", "Eero", "Frida"]


def portal_demo_ensure() -> None:
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


# --- Residential intensive courses ------------------------------------------------------------

# name, city, region, address, contact, {language: arrival instructions}, catering notes,
# rooms as (name, beds, accessible, can be a single room)
DEMO_VENUES = [
    (
        "Kurssikeskus Kuusirinne",
        "Jyväskylä",
        "Keski-Suomi",
        "Kuusirinteentie 4",
        "Vastaanotto 014 555 0101",
        {
            "fi": "Juna- ja linja-autoasemalta on 12 km. Haemme sinut asemalta, jos pyysit sitä. "
            "Autolla tultaessa pysäköinti on talon edessä. Ilmoittaudu vastaanotossa.",
            "sv": "Det är 12 km från tåg- och busstationen. Vi hämtar dig vid stationen om du bad "
            "om det. Med bil parkerar du framför huset. Anmäl dig i receptionen.",
            "en": "It is 12 km from the train and bus station. We pick you up at the station if "
            "you asked us to. By car, park in front of the house. Check in at the reception.",
        },
        "Keittiö tarvitsee erityisruokavaliot viikkoa ennen.",
        [
            ("101", 2, True, True),
            ("102", 2, False, True),
            ("103", 2, False, True),
            ("104", 2, False, False),
            ("105", 1, False, True),
            ("106", 2, False, True),
        ],
    ),
    (
        "Kursgården Strandbo",
        "Porvoo",
        "Itä-Uusimaa",
        "Strandvägen 12",
        "Kansliet 019 555 0202",
        {
            "fi": "Porvoon linja-autoasemalta on 3 km. Haemme sinut, jos pyysit sitä. "
            "Rantaan vievä tie on kapea: aja hitaasti.",
            "sv": "Det är 3 km från busstationen i Borgå. Vi hämtar dig om du bad om det. "
            "Vägen ner till stranden är smal: kör långsamt.",
            "en": "It is 3 km from Porvoo bus station. We pick you up if you asked us to. "
            "The road down to the shore is narrow: drive slowly.",
        },
        "Köket lagar vegetariskt som standard.",
        [
            ("Sjösidan 1", 2, True, True),
            ("Sjösidan 2", 2, False, True),
            ("Skogssidan", 3, False, False),
        ],
    ),
]

# name, course slug, venue, language, starts in days, days: [(hour, minutes, title)] per day,
# stays: (pseudonym, diet, gluten-free, lactose-free, allergies, travel, time, pickup, single)
DEMO_RESIDENTIAL_GROUPS = [
    (
        "Viikonloppu Kuusirinteessä",
        "suicide-loss-weekend",
        "Kurssikeskus Kuusirinne",
        "fi",
        40,
        [
            [
                (12, 0, 120, "Tulo ja lounas"),
                (14, 0, 120, "Tutustuminen"),
                (18, 0, 90, "Iltapiiri"),
            ],
            [(9, 0, 150, "Suru ja muistot"), (13, 0, 120, "Luontokävely"), (18, 0, 90, "Sauna")],
            [(9, 0, 120, "Mitä otan mukaani"), (11, 30, 60, "Päätös ja lounas")],
        ],
        [
            ("Lumi", "vegetarian", False, False, "", "train", (11, 10), True, ""),
            ("Kaisla", "", True, False, "", "train", (11, 10), True, ""),
            ("Ilta", "", False, True, "pähkinä", "car", (11, 45), False, ""),
            ("Usva", "vegan", False, False, "", "bus", (13, 20), True, "sleep"),
            ("Tuuli", "", False, False, "", "car", None, False, ""),
        ],
    ),
    (
        "Höstretreat på Strandbo",
        "sudden-loss-retreat",
        "Kursgården Strandbo",
        "sv",
        65,
        [
            [(15, 0, 90, "Ankomst och kaffe"), (17, 0, 90, "Vi lär känna varandra")],
            [(9, 0, 120, "Sorgens vägar"), (14, 0, 120, "Promenad vid havet")],
            [(9, 30, 90, "Avslutning")],
        ],
        [
            ("Stina", "", True, False, "", "bus", (14, 30), True, ""),
            ("Mikael", "vegetarian", False, False, "fisk", "car", None, False, ""),
            ("Linnea", "", False, False, "", "bus", (14, 30), True, ""),
        ],
    ),
]


def _demo_venue(row) -> Venue:
    name, city, region, address, contact, instructions, catering, rooms = row
    venue = Venue.objects.filter(name=name).first()
    if venue is not None:
        return venue
    venue = Venue(
        name=name,
        city=city,
        region=region,
        address=address,
        contact=contact,
        arrival_instructions_fi=instructions["fi"],
        arrival_instructions_sv=instructions["sv"],
        arrival_instructions_en=instructions["en"],
        catering_notes=catering,
    )
    venue.rooms = [
        Room(name=room, beds=beds, accessible=accessible, single_use=single)
        for room, beds, accessible, single in rooms
    ]
    venue.save()
    return venue


def residential_demo_ensure() -> None:
    """Two residential courses at two venues, with rooms, a programme and a few stays; the
    demo coordinator may see and plan the stays. Adds only what is missing."""
    coordinators, _ = AuthGroup.objects.get_or_create(name=COORDINATORS_GROUP)
    coordinators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="groups",
            codename__in=["view_stay", "change_stay", "view_venue", "add_venue", "change_venue"],
        )
    )
    venues = {row[0]: _demo_venue(row) for row in DEMO_VENUES}
    finnish = Locale.objects.filter(language_code="fi").first()
    facilitator_1, facilitator_2 = _facilitators()
    today = timezone.localdate()
    number = 0
    for name, slug, venue_name, language, in_days, days, stays in DEMO_RESIDENTIAL_GROUPS:
        course = CoursePage.objects.filter(locale=finnish, slug=slug).first()
        if course is None or Group.objects.filter(name=name).exists():
            continue
        first = today + dt.timedelta(days=in_days)
        first += dt.timedelta(days=(4 - first.weekday()) % 7)  # a Friday
        group = Group.objects.create(
            course=course,
            name=name,
            venue=venues[venue_name],
            mode=Group.Mode.IN_PERSON,
            language=language,
            capacity=10,
            min_size=5,
            facilitator_1=facilitator_1,
            facilitator_2=facilitator_2,
            status=Group.Status.OPEN,
            starts_on=first,
            ends_on=first + dt.timedelta(days=len(days) - 1),
        )
        for offset, sessions in enumerate(days):
            day = first + dt.timedelta(days=offset)
            for hour, minute, minutes, title in sessions:
                starts = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HELSINKI)
                Meeting.objects.create(
                    group=group,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(minutes=minutes),
                    is_extra=True,
                    title=title,
                )
        for pseudonym, diet, gluten, lactose, allergies, travel, at, pickup, single in stays:
            number += 1
            enrolment = Enrolment.objects.create(
                group=group,
                display_name=pseudonym,
                email=f"demo-stay{number}-{group.pk}@example.invalid",
                language=language,
                consent_text_version="demo",
                consented_at=timezone.now(),
                status=Enrolment.Status.CONFIRMED,
                placed_at=timezone.now(),
            )
            Stay.objects.create(
                enrolment=enrolment,
                arrives_on=group.starts_on,
                departs_on=group.ends_on,
                travel_mode=travel,
                arrival_time=dt.time(*at) if at else None,
                pickup_wanted=pickup,
                single_room=single,
                diet=diet,
                gluten_free=gluten,
                lactose_free=lactose,
                allergies=allergies,
            )


# --- Roles: every role with its permissions, and the Tampere coordinator's centre -------------

DEMO_SCOPED_COORDINATOR = ("coordinator-tampere", "Tampere")


def roles_demo_ensure() -> None:
    from groups.models import CoordinatorProfile
    from groups.services.roles import roles_ensure

    roles_ensure()
    username, city = DEMO_SCOPED_COORDINATOR
    user = get_user_model().objects.filter(username=username).first()
    centre = CrisisCentre.objects.filter(city=city).order_by("pk").first()
    if user is None or centre is None:
        return
    profile, _ = CoordinatorProfile.objects.get_or_create(user=user)
    profile.centres.add(centre)


# --- Dashboard: situations a coordinator should see on the admin's front page ----------------

DEMO_ATTENTION_GROUP = "Kevään ryhmä: toinen ohjaaja puuttuu"


def dashboard_demo_ensure() -> None:
    """A group still missing its second facilitator, a risk answer waiting for a call and an
    offer that lapses within a day, so the dashboard panels show what they are for. Adds only
    what is missing (the group's name marks that it was done)."""
    from groups.capacity import groups_with_places

    if Group.objects.filter(name=DEMO_ATTENTION_GROUP).exists():
        return
    # Led by someone other than the demo facilitator: their portal must not show it.
    _demo_facilitator, facilitator = _facilitators()
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
    Enrolment.objects.create(
        **common,
        display_name="Hilja",
        email="demo-hilja@example.invalid",
        status=Enrolment.Status.PENDING,
        risk_flagged=True,
    )
    Enrolment.objects.create(
        **common,
        display_name="Iiris",
        email="demo-iiris@example.invalid",
        status=Enrolment.Status.OFFERED,
        offer_expires_at=now + dt.timedelta(hours=10),
    )
