"""The groups demo step: runs twice without duplicating, gives the demo group its meetings."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseFormat
from demo.groups import DEMO_SCHEDULED_GROUP
from groups.models import FacilitatorProfile, FollowUp, Group
from groups.selectors.portal import reach_out_list
from tests.factories import CoursePageFactory

# seed_demo has run once for the module (tests/demo/conftest.py); a test's own call is the next run.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo_seeded"),
    pytest.mark.xdist_group("demo-groups"),
]


def test_demo_group_has_twelve_meetings_and_seeding_twice_adds_nothing(site_tree):
    CoursePageFactory(format=CourseFormat.WEEKLY)
    call_command("seed_demo")
    profiles = FacilitatorProfile.objects.count()
    call_command("seed_demo")
    group = Group.objects.get(name=DEMO_SCHEDULED_GROUP)
    assert group.meetings.count() == 12
    assert group.starts_on is not None
    assert FacilitatorProfile.objects.count() == profiles
    pair = FacilitatorProfile.objects.filter(user__username__in=["facilitator", "facilitator-2"])
    assert pair.count() == 2


def test_demo_gives_the_facilitator_a_group_with_someone_to_reach_out_to(client):
    CoursePageFactory()
    call_command("seed_demo")

    group = Group.objects.get(name__startswith="Demo")
    assert [item.enrolment.display_name for item in reach_out_list(group=group)] == ["Daniel"]
    assert not FollowUp.objects.exists()
    client.login(username="facilitator", password="demo-facilitator-2026")
    assert "Demo" in client.get("/facilitate/").content.decode()


def test_demo_gives_the_coordinator_something_on_each_attention_panel(client):
    from django.contrib.auth import get_user_model

    from groups.selectors.dashboard import (
        groups_missing_facilitator,
        offers_expiring,
        risk_calls_waiting,
    )

    call_command("seed_demo")
    coordinator = get_user_model().objects.get(username="coordinator")

    assert groups_missing_facilitator(user=coordinator).count() == 1
    assert risk_calls_waiting(user=coordinator).count() == 1
    assert offers_expiring(user=coordinator).count() == 1
    client.force_login(coordinator)
    html = client.get("/admin/").content.decode()
    assert "Kevään ryhmä: toinen ohjaaja puuttuu" in html


class _FormValues(HTMLParser):
    """The values a browser would send from the form posting to `action`."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.values = action, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        if not self.inside or attrs.get("disabled") is not None:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") not in {"checkbox", "radio"}:
                self.values.append((name, attrs.get("value") or ""))
            elif "checked" in attrs:
                self.values.append((name, attrs.get("value", "on")))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = name
            self.values.append((name, ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            name, value = self.values.pop()
            self.values.append((name, value + data))


def test_every_demo_group_saves_unchanged_in_the_admin(client):
    """A coordinator who opens a demo group and saves it as it is meets no error: a weekly group
    has its rule, and no facilitator leads two groups at once."""
    client.login(username="admin", password="demo-admin-2026")
    # The catalogue's groups (unnamed) and the scheduled one; the portal's and the dashboard's
    # demo groups show other screens and are left as they are.
    weekly = Group.objects.filter(
        course__format=CourseFormat.WEEKLY, name__in=["", DEMO_SCHEDULED_GROUP]
    )
    assert weekly.count() >= 20

    refused = {}
    for group in weekly:
        url = reverse("groups_group:edit", args=[group.pk])
        form = _FormValues(url)
        form.feed(client.get(url).content.decode())
        data = {}
        for name, value in form.values:
            data.setdefault(name, []).append(value)
        response = client.post(url, data)
        if response.status_code != 302:
            errors = re.findall(r'<p class="error-message">\s*([^<]+?)\s*<', response.text)
            refused[str(group)] = errors or response.status_code

    assert refused == {}


def test_demo_online_group_shows_its_video_link_and_an_apology(client):
    from demo.groups import DEMO_ONLINE_GROUP, demo_online_manage_path

    call_command("seed_demo")  # the second run (tests/demo/conftest.py)

    group = Group.objects.get(name=DEMO_ONLINE_GROUP)
    local = timezone.localtime(group.meetings.filter(apologies__isnull=False).get().starts_at)
    assert (local.hour, local.minute) == (18, 0)
    assert timezone.now() < local <= timezone.now() + dt.timedelta(days=1)
    assert group.mode == Group.Mode.REMOTE and group.video_link.startswith("https://")
    page = client.get(demo_online_manage_path()).content.decode()
    assert group.video_link in page
    assert "En pääse" in page
    next_meeting = group.meetings.filter(apologies__isnull=False).get()
    client.login(username="facilitator", password="demo-facilitator-2026")
    register = client.get(reverse("portal:register", args=[next_meeting.pk])).content.decode()
    assert "Ilmoitti esteestä" in register


def test_demo_interests_fill_the_coordinators_table_and_seeding_twice_adds_nothing(site_tree):
    from django.contrib.auth import get_user_model

    from groups.models import Interest
    from groups.selectors.interest import interest_demand

    count = Interest.objects.count()
    call_command("seed_demo")  # the second run (tests/demo/conftest.py)

    assert count > 0 and Interest.objects.count() == count
    admin = get_user_model().objects.filter(is_superuser=True).first()
    rows = interest_demand(user=admin)
    assert any(row.town == "Joensuu" and row.shown_count for row in rows)
