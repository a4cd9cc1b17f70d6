"""Demo data for the facilitator portal: one running group of the demo facilitator, with a
register half taken and someone to reach out to. Adds only what is missing."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import CoursePage
from groups.models import Attendance, Enrolment, Group, Meeting

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
