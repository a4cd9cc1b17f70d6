"""The residential demo: two courses at two venues, seeded once however often it runs."""

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from wagtail.models import Locale

from demo.residential import DEMO_RESIDENTIAL_GROUPS, DEMO_VENUE_CENTRES
from groups.models import Group, Meeting, Stay, Venue
from tests.courses.test_localised_names import unmarked_text

# seed_demo has run once for the module (tests/demo/conftest.py); a test's own call is the next run.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo_seeded"),
    pytest.mark.xdist_group("demo-residential"),
]


def test_two_residential_courses_at_two_venues_and_the_coordinator_plans_them(client):
    call_command("seed_demo")

    names = [row[0] for row in DEMO_RESIDENTIAL_GROUPS]
    groups = list(Group.objects.filter(name__in=names).select_related("venue"))
    assert len(groups) == 2
    assert len({group.venue_id for group in groups}) == 2
    assert Venue.objects.filter(rooms__isnull=False).distinct().count() == 2
    for group in groups:
        assert group.course.format == "residential"
        assert group.meetings.exclude(title="").count() >= 5
        assert Stay.objects.filter(enrolment__group=group).count() >= 3

    client.login(username="coordinator", password="demo-coordinator-2026")
    page = client.get(reverse("groups_residential_meals", args=[groups[0].pk]))
    assert page.status_code == 200
    assert "meal-counts" in page.content.decode()

    # Each course is organised by the centre keeping its venue: the Tampere coordinator plans
    # the one at Kuusirinne and never opens the other.
    for group in groups:
        assert group.centre.city == DEMO_VENUE_CENTRES[group.venue.name]
        assert group.venue.centre_id == group.centre_id
    client.login(username="coordinator-tampere", password="demo-tampere-2026")
    index = client.get(reverse("groups_residential_index")).content.decode()
    for group in groups:
        shown = client.get(reverse("groups_residential_meals", args=[group.pk])).status_code
        assert (group.name in index, shown) == (
            (True, 200) if group.centre.city == "Tampere" else (False, 404)
        )


def test_demo_sessions_have_swedish_and_english_titles_shown_on_swedish_pages(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    names = [row[0] for row in DEMO_RESIDENTIAL_GROUPS]
    sessions = Meeting.objects.filter(group__name__in=names)
    assert sessions.count() >= 10
    assert not sessions.filter(Q(title="") | Q(title_sv="") | Q(title_en="")).exists()
    # The Strandbo retreat's programme is in Finnish too, not Swedish in the Finnish field.
    assert sessions.filter(title="Surun polut", title_sv="Sorgens vägar").exists()

    # A demo database seeded before the translations gets them on the next run.
    sessions.filter(title_sv="Sorgens vägar").update(title="Sorgens vägar")
    sessions.update(title_sv="", title_en="")
    call_command("seed_demo")
    assert not sessions.filter(Q(title_sv="") | Q(title_en="")).exists()
    assert sessions.filter(title="Surun polut", title_en="The paths of grief").exists()

    group = Group.objects.select_related("course").get(name=names[0])
    swedish = group.course.get_translation(Locale.objects.get(language_code="sv"))
    html = client.get(swedish.url).content.decode()
    assert "Naturpromenad" in html
    assert "Luontokävely" not in unmarked_text(html)
