"""Demo step for groups: coordinators' permissions, facilitator profiles and a scheduled group."""

import datetime as dt

import recurrence
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.utils import timezone

from cms.models import CrisisCentre
from courses.models import CourseFormat, CoursePage
from groups.models import FacilitatorProfile, Group
from groups.selectors import FACILITATORS_GROUP
from groups.services.go_no_go import COORDINATORS_GROUP
from groups.services.schedule import meetings_schedule


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
    second, created = get_user_model().objects.get_or_create(
        username="facilitator2", defaults={"email": "facilitator2@example.invalid"}
    )
    if created:
        second.set_unusable_password()
        second.save(update_fields=["password"])
    second.groups.add(facilitators)
    centre = CrisisCentre.objects.order_by("pk").first()
    pair = list(facilitators.user_set.order_by("username")[:2])
    for user in pair:
        FacilitatorProfile.objects.get_or_create(
            user=user,
            defaults={"profession": "Sairaanhoitaja", "languages": "fi, sv", "home_centre": centre},
        )
    course = CoursePage.objects.filter(format=CourseFormat.WEEKLY).order_by("pk").first()
    if course is None or len(pair) < 2 or Group.objects.filter(course=course).exists():
        return
    today = timezone.localdate()
    group = Group.objects.create(
        course=course,
        name="Tiistai-illat",
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
