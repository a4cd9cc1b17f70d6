"""Enrolment demo step: coordinators may run enrolments and see contact data; an open group
with a few invented participants and a waiting list, when a demo course exists."""

import datetime as dt

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.utils import timezone

from courses.models import CoursePage
from groups.models import Enrolment, Group

COORDINATOR_PERMISSIONS = [
    "access_admin",
    "view_enrolment",
    "change_enrolment",
    "view_enrolment_contact",
    "view_outboxmessage",
]


def enrolment_demo_ensure() -> None:
    coordinators, _ = AuthGroup.objects.get_or_create(name="Coordinators")
    coordinators.permissions.add(*Permission.objects.filter(codename__in=COORDINATOR_PERMISSIONS))
    course = CoursePage.objects.live().order_by("pk").first()
    if course is None or Group.objects.filter(name="Demo: enrolment").exists():
        return
    group = Group.objects.create(
        course=course,
        name="Demo: enrolment",
        capacity=5,
        min_size=3,
        status=Group.Status.OPEN,
        starts_on=timezone.localdate() + dt.timedelta(days=14),
    )
    now = timezone.now()
    for n in range(7):
        full = n >= 5
        Enrolment.objects.create(
            group=group,
            display_name=f"Demo {n + 1}",
            email=f"demo{n + 1}@example.invalid",
            consent_text_version="demo",
            consented_at=now,
            status=Enrolment.Status.WAITLISTED if full else Enrolment.Status.CONFIRMED,
            queued_at=now + dt.timedelta(minutes=n) if full else None,
        )
