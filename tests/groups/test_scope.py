"""The centre boundary (`groups.scope`): one mechanism, failing closed, on every admin screen a
coordinator of one centre could open with another centre's ids."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group as Role
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from cms.models import CrisisCentre, SheetImport
from groups.models import (
    CoordinatorProfile,
    FacilitatorProfile,
    FeedbackAnswer,
    Meeting,
    OutboxMessage,
)
from groups.scope import CENTRE_LOOKUPS, centre_scope, user_centre_ids
from groups.services.roles import ADMINISTRATORS, COORDINATORS, FACILITATORS, roles_ensure
from tests.factories import (
    CrisisCentreFactory,
    EnrolmentFactory,
    GroupFactory,
    StayFactory,
    UserFactory,
    VenueFactory,
)
from tests.groups.test_residential import residential_group

pytestmark = pytest.mark.django_db

RESIDENTIAL_SCREENS = [
    "groups_residential_programme",
    "groups_residential_rooms",
    "groups_residential_rooming",
    "groups_residential_meals",
    "groups_residential_arrivals",
]


def facilitator(first_name: str, centre):
    user = UserFactory(first_name=first_name)
    user.groups.add(Role.objects.get(name=FACILITATORS))
    FacilitatorProfile.objects.create(user=user, home_centre=centre, profession=first_name)
    return user


@pytest.fixture
def world(site_tree):
    roles_ensure()
    helsinki = CrisisCentreFactory(name="Helsingin kriisikeskus", city="Helsinki")
    tampere = CrisisCentreFactory(name="Tampereen kriisikeskus", city="Tampere")
    helsinki_residential = residential_group(centre=helsinki, name="Helsingin internaatti")
    helsinki_residential.venue.centre = helsinki
    helsinki_residential.venue.name = "Helsingin kurssikeskus"
    helsinki_residential.venue.save(update_fields=["centre", "name"])
    StayFactory(
        enrolment=EnrolmentFactory(
            group=helsinki_residential, display_name="Helsingin vieras", status="confirmed"
        ),
        allergies="Seesami",
    )
    tampere_venue = VenueFactory(name="Tampereen kurssikeskus", centre=tampere)
    tampere_residential = GroupFactory(
        course=helsinki_residential.course,
        centre=tampere,
        venue=tampere_venue,
        name="Tampereen internaatti",
    )
    helsinki_leader = facilitator("Helka", helsinki)
    tampere_leader = facilitator("Taneli", tampere)
    helsinki_group = GroupFactory(
        centre=helsinki, name="Helsingin ryhmä", facilitator_1=helsinki_leader
    )
    tampere_group = GroupFactory(
        centre=tampere, name="Tampereen ryhmä", facilitator_1=tampere_leader
    )
    FeedbackAnswer.objects.create(
        group=helsinki_group, helped=5, recommend="yes", comment="Helsingin palaute"
    )
    FeedbackAnswer.objects.create(
        group=tampere_group, helped=4, recommend="yes", comment="Tampereen palaute"
    )
    user = UserFactory(username="tre")
    user.groups.add(Role.objects.get(name=COORDINATORS))
    CoordinatorProfile.objects.create(user=user).centres.add(tampere)
    return {
        "user": user,
        "helsinki": helsinki,
        "tampere": tampere,
        "helsinki_residential": helsinki_residential,
        "tampere_residential": tampere_residential,
        "helsinki_group": helsinki_group,
        "tampere_group": tampere_group,
        "helsinki_leader": helsinki_leader,
        "tampere_leader": tampere_leader,
        "tampere_venue": tampere_venue,
    }


def page(client, name, *args, **query) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, (name, response.status_code)
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# --- Failing closed ---------------------------------------------------------------------------


def test_a_profile_whose_centres_were_all_deleted_sees_nothing(client, world):
    user = UserFactory()
    user.groups.add(Role.objects.get(name=COORDINATORS))
    closed = CrisisCentreFactory(name="Lakkautettu kriisikeskus")
    CoordinatorProfile.objects.create(user=user).centres.add(closed)
    closed.delete()
    client.force_login(user)

    assert user_centre_ids(user) == []
    groups = page(client, "groups_group:index")
    assert "Helsingin ryhmä" not in groups and "Tampereen ryhmä" not in groups
    residential = page(client, "groups_residential_index")
    assert "internaatti" not in residential
    for name in RESIDENTIAL_SCREENS:
        assert client.get(reverse(name, args=[world["tampere_residential"].pk])).status_code == 404


def test_a_coordinator_without_a_profile_sees_nothing(world):
    user = UserFactory()
    user.groups.add(Role.objects.get(name=COORDINATORS))
    assert user_centre_ids(user) == []
    assert not centre_scope(CrisisCentre.objects.all(), user=user).exists()


def test_administrators_and_whole_network_coordinators_see_every_centre(world):
    administrator = UserFactory()
    administrator.groups.add(Role.objects.get(name=ADMINISTRATORS))
    network = UserFactory()
    CoordinatorProfile.objects.create(user=network, network_wide=True)
    for user in (administrator, network, UserFactory(is_superuser=True)):
        assert user_centre_ids(user) is None


def test_every_lookup_of_the_boundary_leads_to_a_centre(world):
    for model in CENTRE_LOOKUPS:
        assert centre_scope(model._default_manager.all(), user=world["user"]).count() >= 0


def test_a_model_the_boundary_does_not_know_is_refused(world):
    with pytest.raises(ImproperlyConfigured):
        centre_scope(Role.objects.all(), user=world["user"])


# --- Residential courses: by the centre organising them ---------------------------------------


def test_residential_courses_of_another_centre_are_not_listed_or_opened(client, world):
    client.force_login(world["user"])
    other = world["helsinki_residential"].pk

    index = page(client, "groups_residential_index")
    assert "Tampereen internaatti" in index and "Helsingin internaatti" not in index
    for name in RESIDENTIAL_SCREENS:
        response = client.get(reverse(name, args=[other]))
        assert response.status_code == 404, name
        assert "Helsingin vieras" not in response.content.decode()
        assert client.get(reverse(name, args=[world["tampere_residential"].pk])).status_code == 200
    for name in ["groups_residential_rooming", "groups_residential_arrivals"]:
        assert client.get(reverse(name, args=[other]), {"format": "csv"}).status_code == 404


def test_a_programme_session_cannot_be_added_to_another_centres_course(client, world):
    client.force_login(world["user"])
    group = world["helsinki_residential"]
    mails = OutboxMessage.objects.count()

    response = client.post(
        reverse("groups_residential_programme", args=[group.pk]),
        {"action": "add", "day": group.starts_on, "starts": "09:00", "ends": "10:00", "title": "X"},
    )

    assert response.status_code == 404
    assert not Meeting.objects.filter(group=group).exists()
    assert OutboxMessage.objects.count() == mails


def test_rooms_of_another_centres_course_cannot_be_allocated(client, world):
    client.force_login(world["user"])
    group = world["helsinki_residential"]
    room = group.venue.rooms.first()
    stay = group.enrolments.get().stay

    response = client.post(
        reverse("groups_residential_rooms", args=[group.pk]),
        {f"room-{stay.enrolment_id}": room.pk},
    )

    assert response.status_code == 404
    stay.refresh_from_db()
    assert stay.room_id is None


# --- Reports, venues, facilitators --------------------------------------------------------------


def test_feedback_results_show_only_the_own_centres_comments(client, world):
    client.force_login(world["user"])
    results = page(client, "groups_feedback_results")
    assert "Helsingin palaute" not in results


def test_site_history_is_only_for_who_sees_the_whole_network(client, world):
    client.force_login(world["user"])
    response = client.get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code == 302
    assert "Site history" not in page(client, "wagtailadmin_home")
    assert client.get(reverse("wagtailadmin_reports:site_history_results")).status_code == 302

    network = UserFactory()
    network.groups.add(Role.objects.get(name=COORDINATORS))
    CoordinatorProfile.objects.create(user=network, network_wide=True)
    client.force_login(network)
    assert client.get(reverse("wagtailadmin_reports:site_history")).status_code == 200


def test_facilitator_load_lists_only_the_own_centres_facilitators(client, world):
    client.force_login(world["user"])
    load = page(client, "groups_facilitator_load")
    assert "Taneli" in load and "Helka" not in load


def test_venues_of_another_centre_are_not_listed_or_opened(client, world):
    client.force_login(world["user"])
    other = world["helsinki_residential"].venue
    listing = page(client, "groups_venue:index")
    assert "Tampereen kurssikeskus" in listing and "Helsingin kurssikeskus" not in listing
    assert client.get(reverse("groups_venue:edit", args=[other.pk])).status_code == 404


def test_facilitator_profiles_of_another_centre_are_not_listed_or_opened(client, world):
    client.force_login(world["user"])
    listing = page(client, "groups_facilitator:index")
    assert "Taneli" in listing and "Helka" not in listing
    other = world["helsinki_leader"].facilitator_profile
    assert client.get(reverse("groups_facilitator:edit", args=[other.pk])).status_code == 404


# --- Choosers -----------------------------------------------------------------------------------


def test_the_group_form_offers_only_the_own_centres_venues_and_facilitators(client, world):
    client.force_login(world["user"])
    form = client.get(reverse("groups_group:add")).context["form"]

    assert list(form.fields["centre"].queryset) == [world["tampere"]]
    assert list(form.fields["venue"].queryset) == [world["tampere_venue"]]
    assert list(form.fields["facilitator_1"].queryset) == [world["tampere_leader"]]


def test_an_existing_groups_facilitator_stays_choosable_on_edit(client, world):
    group = world["tampere_group"]
    group.facilitator_2 = world["helsinki_leader"]
    group.save(update_fields=["facilitator_2"])
    client.force_login(world["user"])

    form = client.get(reverse("groups_group:edit", args=[group.pk])).context["form"]

    assert set(form.fields["facilitator_2"].queryset) == {
        world["tampere_leader"],
        world["helsinki_leader"],
    }


def test_the_enrolment_filter_offers_only_the_own_centres_groups(client, world):
    client.force_login(world["user"])
    listing = page(client, "enrolments:index")
    assert "Tampereen ryhmä" in listing and "Helsingin ryhmä" not in listing


# --- Imports ------------------------------------------------------------------------------------


def import_rows(client, *rows: str):
    header = (
        "id,course,name,centre,mode,language,capacity,min_size,facilitator_1,facilitator_2,"
        "schedule,schedule_from,start_time,duration_minutes,status\n"
    )
    upload = io.BytesIO((header + "".join(rows)).encode())
    upload.name = "groups.csv"
    return client.post(reverse("groups_group_import"), {"file": upload}, follow=True)


def refused(response) -> bool:
    """The upload was checked and refused: nothing waits for a confirm."""
    return response.context["sheet_import"].status != SheetImport.Status.CHECKED


def import_row(course, *, pk="", name="Uusi ryhmä", first="") -> str:
    return (
        f"{pk},{course.title},{name},Tampereen kriisikeskus,in_person,fi,10,5,{first},,"
        "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12,2027-01-12,17:30,90,open\n"
    )


def test_an_imported_row_with_another_centres_facilitator_is_refused(client, world):
    client.force_login(world["user"])
    course = world["tampere_group"].course

    response = import_rows(client, import_row(course, first=world["helsinki_leader"].username))

    problems = response.context["problems"]
    # (The row names one facilitator only, so its status is refused too: open needs two.)
    assert "facilitator_1" in [problem["column"] for problem in problems]
    assert refused(response)


def test_an_imported_row_updating_another_centres_group_is_refused(client, world):
    client.force_login(world["user"])
    other = world["helsinki_group"]

    response = import_rows(client, import_row(other.course, pk=other.pk, name="Kaapattu"))

    assert "centre" in [problem["column"] for problem in response.context["problems"]]
    assert refused(response)
    other.refresh_from_db()
    assert other.name == "Helsingin ryhmä"


def test_the_roster_export_names_only_the_own_centres_people(client, world):
    EnrolmentFactory(group=world["tampere_group"], display_name="Tamperelainen")
    client.force_login(world["user"])
    # The CSV as Finnish Excel reads it: a BOM, then semicolons.
    text = page(client, "groups_roster_export", format="csv").removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [row["display_name"] for row in rows] == ["Tamperelainen"]


# --- One mechanism ------------------------------------------------------------------------------

# Filtering rows by the user's centres anywhere but groups/scope.py is a second copy of the rule.
HAND_MADE_BOUNDARY = re.compile(r"centre(_id)?__in|user_centre_ids\(|coordinator_profile\b")
# Public pages filter by a centre the visitor chose; that is no staff boundary.
NOT_A_BOUNDARY = {"groups/selectors/catalogue.py", "groups/models.py"}


def test_no_screen_filters_by_centre_by_hand():
    base = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(base))
        for app in ("groups", "network", "courses", "cms")
        for path in (base / app).rglob("*.py")
        if "migrations" not in path.parts
        and str(path.relative_to(base)) not in {"groups/scope.py", *NOT_A_BOUNDARY}
        and HAND_MADE_BOUNDARY.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
