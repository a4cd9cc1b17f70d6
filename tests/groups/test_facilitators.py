"""Facilitator load and clashes, as a coordinator sees them when pairing facilitators."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import recurrence
from django.contrib.auth.models import Group as AuthGroup
from django.urls import reverse

from groups.models import FacilitatorProfile, Group
from groups.selectors.facilitators import FACILITATORS_GROUP, facilitator_clashes
from groups.services.schedule import meetings_schedule
from tests.factories import CrisisCentreFactory, GroupFactory, MeetingFactory, UserFactory
from tests.groups.test_viewsets import group_form

HELSINKI = ZoneInfo("Europe/Helsinki")
pytestmark = pytest.mark.django_db


def facilitator(username):
    user = UserFactory(username=username)
    user.groups.add(AuthGroup.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    return user


@pytest.fixture
def coordinator(client):
    user = UserFactory(username="koordinaattori", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def test_meeting_at_the_same_time_is_a_clash():
    aino = facilitator("aino")
    start = dt.datetime(2026, 10, 13, 17, 30, tzinfo=HELSINKI)
    busy = MeetingFactory(group=GroupFactory(facilitator_1=aino), starts_at=start)
    later = (start + dt.timedelta(hours=2), start + dt.timedelta(hours=3))
    overlapping = (start + dt.timedelta(minutes=60), start + dt.timedelta(minutes=150))
    assert list(facilitator_clashes(user_ids=[aino.pk], intervals=[later])) == []
    assert list(facilitator_clashes(user_ids=[aino.pk], intervals=[overlapping])) == [busy]


def test_saving_a_group_that_clashes_is_refused(client, coordinator, site_tree):
    aino, bertta = facilitator("aino"), facilitator("bertta")
    other = GroupFactory(
        facilitator_1=aino,
        schedule=recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12"),
        schedule_from=dt.date(2026, 10, 13),
        start_time=dt.time(18, 0),
    )
    meetings_schedule(group=other)
    data = group_form(other.course, CrisisCentreFactory(), aino, bertta)
    response = client.post(reverse("groups_group:add"), data)
    assert response.status_code == 200
    assert "aino" in response.content.decode()
    assert Group.objects.count() == 1
    # The clash is said on the facilitator; two were chosen, so the status says nothing.
    form = response.context["form"]
    assert "facilitator_1" in form.errors
    assert "status" not in form.errors


def test_facilitator_load_report_counts_meetings_per_month(
    client, coordinator, site_tree, django_assert_max_num_queries
):
    aino = facilitator("aino")
    FacilitatorProfile.objects.create(user=aino, profession="Sairaanhoitaja", languages="fi")
    group = GroupFactory(facilitator_1=aino)
    today = dt.datetime.now(HELSINKI).replace(hour=12)
    MeetingFactory(group=group, starts_at=today + dt.timedelta(days=35))
    MeetingFactory(group=group, starts_at=today + dt.timedelta(days=35, hours=3))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("groups_facilitator_load"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "aino" in html
    assert "<td>2</td>" in html


def test_facilitator_profiles_are_managed_in_the_admin(client, coordinator):
    FacilitatorProfile.objects.create(user=facilitator("aino"), profession="Psykologi")
    response = client.get(reverse("groups_facilitator:index"))
    assert "Psykologi" in response.content.decode()
