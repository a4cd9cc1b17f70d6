"""Demo interests (docs/interest.md): enough waiting people that the coordinators' table and the
dashboard's most-wanted panel show something in `make run`, none of it a real person."""

import datetime as dt

from django.utils import timezone

from demo.courses import demo_courses
from groups.models import Interest, InterestTown
from groups.selectors.interest import centres_by_town

# course key (None: the topic only), topic of the course, towns, online, language, count,
# earliest start in days (None: any time)
INTERESTS = [
    ("young-lonely", ["Joensuu"], False, "fi", 5, 30),
    ("young-suicide-loss", ["Oulu", "Kuopio"], False, "fi", 3, 60),
    ("sudden-loss-group", [], True, "sv", 4, None),
    ("suicide-loss-group", ["Tampere"], False, "en", 2, 90),
]


def seed_interests() -> None:
    """Adds them once: a rerun finds its own demo addresses and adds nothing. Written as rows
    (the seeding runs in one transaction, the service in its own), and without messages."""
    if Interest.objects.filter(email__endswith="@interest.example.invalid").exists():
        return
    courses = demo_courses("fi")
    centres = centres_by_town()
    now = timezone.now()
    today = timezone.localdate()
    n = 0
    for key, towns, online, language, count, in_days in INTERESTS:
        course = courses.get(key)
        if course is None:
            continue
        for _person in range(count):
            n += 1
            interest = Interest.objects.create(
                course_key=course.translation_key,
                topic_key=course.topic.translation_key,
                online=online,
                language=language,
                earliest_start=today + dt.timedelta(days=in_days) if in_days else None,
                display_name=f"Demo {n}",
                email=f"demo{n}@interest.example.invalid",
                consent_text_version="demo",
                consented_at=now,
                created_at=now - dt.timedelta(days=n),
                expires_at=now + dt.timedelta(days=180 - n),
            )
            InterestTown.objects.bulk_create(
                InterestTown(interest=interest, town=town, centre_id=centres.get(town))
                for town in towns
            )
