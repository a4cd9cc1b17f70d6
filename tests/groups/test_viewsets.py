"""The Wagtail admin screens for groups: form, schedule preview, save runs the schedule."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.urls import reverse

from groups.models import Group
from groups.selectors.facilitators import FACILITATORS_GROUP
from tests.factories import CoursePageFactory, CrisisCentreFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db

RULE = "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12\nEXDATE:20261207T220000Z"


@pytest.fixture
def coordinator(client):
    user = UserFactory(username="koordinaattori", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def facilitator(username):
    user = UserFactory(username=username)
    user.groups.add(AuthGroup.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    return user


def group_form(course, centre, first, second, **overrides):
    data = {
        "course": course.pk,
        "name": "Tiistai-illat",
        "status": "open",
        "centre": centre.pk,
        "mode": "in_person",
        "language": "fi",
        "schedule": RULE,
        "schedule_from": "2026-10-13",
        "start_time": "17:30",
        "duration_minutes": "90",
        "facilitator_1": first.pk,
        "facilitator_2": second.pk,
        "capacity": "10",
        "min_size": "5",
    }
    data.update(overrides)
    return data


def test_add_form_shows_the_recurrence_widget_and_preview(client, coordinator):
    response = client.get(reverse("groups_group:add"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "recurrence-widget" in html
    assert "recurrence/js/recurrence-widget.js" in html
    # Wagtail's jQuery serves the widget: Django admin's copy replaced it and broke the
    # date pickers.
    assert "groups/js/recurrence-jquery.js" in html
    assert "admin/js/jquery.init.js" not in html
    assert "admin/js/vendor/jquery/" not in html
    assert "data-schedule-preview" in html


def test_facilitator_choices_are_members_of_the_facilitators_group(client, coordinator):
    facilitator("ohjaaja_a")
    UserFactory(username="someone_else")
    html = client.get(reverse("groups_group:add")).content.decode()
    assert "ohjaaja_a" in html
    assert "someone_else" not in html


def test_preview_lists_twelve_dates_without_saving(client, coordinator, site_tree):
    course = CoursePageFactory()
    response = client.post(
        reverse("groups_schedule_preview"),
        {
            "schedule": RULE,
            "schedule_from": "2026-10-13",
            "start_time": "17:30",
            "duration_minutes": "90",
            "course": course.pk,
        },
    )
    html = response.content.decode()
    assert html.count("<li>") == 12
    assert "8.12.2026" not in html
    assert "13.10.2026 17:30" in html
    assert not Group.objects.exists()


def test_preview_explains_a_bad_rule(client, coordinator):
    response = client.post(
        reverse("groups_schedule_preview"),
        {
            "schedule": "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3",
            "schedule_from": "2026-10-13",
            "start_time": "17:30",
        },
    )
    assert 'role="alert"' in response.content.decode()


def test_saving_a_group_creates_its_meetings(client, coordinator, site_tree):
    course = CoursePageFactory()
    data = group_form(course, CrisisCentreFactory(), facilitator("a1"), facilitator("b1"))
    response = client.post(reverse("groups_group:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    group = Group.objects.get()
    assert group.meetings.count() == 12
    assert group.starts_on == dt.date(2026, 10, 13)


def test_the_same_facilitator_twice_is_refused(client, coordinator, site_tree):
    same = facilitator("a2")
    data = group_form(CoursePageFactory(), CrisisCentreFactory(), same, same)
    response = client.post(reverse("groups_group:add"), data)
    assert response.status_code == 200
    assert "Ohjaajien täytyy olla kaksi eri henkilöä." in response.content.decode()
    assert not Group.objects.exists()


def test_a_bad_schedule_is_refused_on_save(client, coordinator, site_tree):
    data = group_form(
        CoursePageFactory(),
        CrisisCentreFactory(),
        facilitator("a3"),
        facilitator("b3"),
        schedule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=20",
    )
    response = client.post(reverse("groups_group:add"), data)
    assert response.status_code == 200
    assert not Group.objects.exists()


def test_group_list_filters_and_exports(client, coordinator, site_tree):
    GroupFactory(name="Tampereen ryhmä")
    response = client.get(reverse("groups_group:index"), {"status": "open"})
    assert "Tampereen ryhmä" in response.content.decode()
    export = client.get(reverse("groups_group:index"), {"export": "csv"})
    assert export.status_code == 200
    assert "Tampereen ryhmä" in b"".join(export.streaming_content).decode()


@pytest.mark.parametrize(("language", "tuesday"), [("fi", "tiistai"), ("sv", "tisdag")])
def test_recurrence_widget_speaks_finnish_and_swedish(client, coordinator, language, tuesday):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(coordinator)
    profile.preferred_language = language
    profile.save(update_fields=["preferred_language"])
    catalog = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    assert tuesday in catalog
    assert "Exclude this date" in catalog


def test_weekly_group_without_start_time_is_refused_but_a_training_may_skip_the_rule(
    client, coordinator, site_tree
):
    from courses.models import CourseFormat

    weekly = CoursePageFactory()
    data = group_form(weekly, CrisisCentreFactory(), facilitator("a4"), facilitator("b4"))
    data["start_time"] = ""
    assert client.post(reverse("groups_group:add"), data).status_code == 200
    assert not Group.objects.exists()

    training = CoursePageFactory(format=CourseFormat.TRAINING)
    data = group_form(training, CrisisCentreFactory(), facilitator("a5"), facilitator("b5"))
    data.update(schedule="", schedule_from="", start_time="")
    assert client.post(reverse("groups_group:add"), data).status_code == 302
    assert Group.objects.get().meetings.count() == 0


def test_cancelling_in_the_form_tells_everyone_like_the_cancel_action(
    client, coordinator, site_tree, django_capture_on_commit_callbacks
):
    """A coordinator who picks "cancelled" as the status in the group form gets what the
    cancel action does: coming meetings cancelled, everyone enrolled told in their language."""
    from groups.models import Enrolment, Meeting, OutboxMessage
    from tests.factories import EnrolmentFactory

    course, centre = CoursePageFactory(), CrisisCentreFactory()
    data = group_form(
        course, centre, facilitator("aino"), facilitator("bertta"), schedule_from="2027-03-02"
    )
    client.post(reverse("groups_group:add"), data)
    group = Group.objects.get()
    assert group.meetings.count() == 12
    EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED, language="sv")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups_group:edit", args=[group.pk]), {**data, "status": "cancelled"}
        )

    assert response.status_code == 302
    group.refresh_from_db()
    assert group.status == Group.Status.CANCELLED
    assert not group.meetings.exclude(status=Meeting.Status.CANCELLED).exists()
    (message,) = OutboxMessage.objects.filter(template="group_cancelled")
    assert message.language == "sv"
