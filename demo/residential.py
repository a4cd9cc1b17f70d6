"""The demo's residential intensive courses: two venues with rooms, a course at each with a
programme of sessions per day, and a few participants' stays. Pseudonyms only."""

import datetime as dt

from django.utils import timezone

from cms.models import CrisisCentre
from demo.courses import demo_courses
from demo.groups import HELSINKI
from demo.people import facilitator_pair
from groups.models import Enrolment, Group, Meeting, Room, Stay, Venue

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

# The crisis centre (by city) that keeps each venue and organises the courses there: its
# coordinators, and those of the whole network, see them (`groups.scope`).
DEMO_VENUE_CENTRES = {"Kurssikeskus Kuusirinne": "Tampere", "Kursgården Strandbo": "Helsinki"}

# name, course (its key in demo.courses.COURSES), venue, language, starts in days,
# days: [(hour, minute, minutes, (title in Finnish, Swedish, English))] per day,
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
                (12, 0, 120, ("Tulo ja lounas", "Ankomst och lunch", "Arrival and lunch")),
                (
                    14,
                    0,
                    120,
                    ("Tutustuminen", "Vi lär känna varandra", "Getting to know each other"),
                ),
                (18, 0, 90, ("Iltapiiri", "Kvällscirkel", "Evening circle")),
            ],
            [
                (9, 0, 150, ("Suru ja muistot", "Sorg och minnen", "Grief and memories")),
                (13, 0, 120, ("Luontokävely", "Naturpromenad", "Nature walk")),
                (18, 0, 90, ("Sauna", "Bastu", "Sauna")),
            ],
            [
                (9, 0, 120, ("Mitä otan mukaani", "Vad jag tar med mig", "What I take with me")),
                (11, 30, 60, ("Päätös ja lounas", "Avslutning och lunch", "Closing and lunch")),
            ],
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
            [
                (15, 0, 90, ("Tulo ja kahvit", "Ankomst och kaffe", "Arrival and coffee")),
                (
                    17,
                    0,
                    90,
                    ("Tutustuminen", "Vi lär känna varandra", "Getting to know each other"),
                ),
            ],
            [
                (9, 0, 120, ("Surun polut", "Sorgens vägar", "The paths of grief")),
                (14, 0, 120, ("Kävely meren rannalla", "Promenad vid havet", "A walk by the sea")),
            ],
            [(9, 30, 90, ("Päätös", "Avslutning", "Closing"))],
        ],
        [
            ("Stina", "", True, False, "", "bus", (14, 30), True, ""),
            ("Mikael", "vegetarian", False, False, "fisk", "car", None, False, ""),
            ("Linnea", "", False, False, "", "bus", (14, 30), True, ""),
        ],
    ),
]


def _venue_ensure(row) -> Venue:
    name, city, region, address, contact, instructions, catering, rooms = row
    centre = CrisisCentre.objects.filter(city=DEMO_VENUE_CENTRES[name]).order_by("pk").first()
    venue = Venue.objects.filter(name=name).first()
    if venue is not None:
        if venue.centre_id is None and centre is not None:
            venue.centre = centre
            venue.save(update_fields=["centre"])
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
        centre=centre,
    )
    venue.rooms = [
        Room(name=room, beds=beds, accessible=accessible, single_use=single)
        for room, beds, accessible, single in rooms
    ]
    venue.save()
    return venue


def seed_venues() -> dict[str, Venue]:
    """The two course centres with their rooms, by name."""
    return {row[0]: _venue_ensure(row) for row in DEMO_VENUES}


def _session_titles_translate(group_name: str, days) -> None:
    """A demo database seeded before sessions had Swedish and English titles gets them (its
    sessions were titled in Finnish, or in Swedish at Strandbo)."""
    for sessions in days:
        for *_, (title, title_sv, title_en) in sessions:
            Meeting.objects.filter(
                group__name=group_name, title__in=[title, title_sv], title_en=""
            ).update(title=title, title_sv=title_sv, title_en=title_en)


def seed_residential_groups() -> None:
    """A residential course at each venue, with a programme and a few stays (the demo
    coordinator plans them: `demo.people.seed_coordinator_permissions`)."""
    venues = {
        venue.name: venue for venue in Venue.objects.filter(name__in=[r[0] for r in DEMO_VENUES])
    }
    courses = demo_courses("fi")  # by key: Finnish pages have Finnish slugs
    facilitator_1, facilitator_2 = facilitator_pair()
    today = timezone.localdate()
    number = 0
    for name, key, venue_name, language, in_days, days, stays in DEMO_RESIDENTIAL_GROUPS:
        course = courses.get(key)
        if course is None or venue_name not in venues:
            continue
        organiser = venues[venue_name].centre
        if Group.objects.filter(name=name).exists():
            if organiser is not None:  # a demo database seeded before courses had organisers
                Group.objects.filter(name=name, centre__isnull=True).update(centre=organiser)
            _session_titles_translate(name, days)
            continue
        first = today + dt.timedelta(days=in_days)
        first += dt.timedelta(days=(4 - first.weekday()) % 7)  # a Friday
        group = Group.objects.create(
            course=course,
            name=name,
            centre=organiser,
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
            for hour, minute, minutes, (title, title_sv, title_en) in sessions:
                starts = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HELSINKI)
                Meeting.objects.create(
                    group=group,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(minutes=minutes),
                    is_extra=True,
                    title=title,
                    title_sv=title_sv,
                    title_en=title_en,
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
