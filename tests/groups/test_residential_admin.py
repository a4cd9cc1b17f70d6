"""Coordinator screens of a residential course: permissions, query counts, exports, allocation."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from groups.models import CoordinatorProfile, Meeting, Stay, Venue
from tests.factories import EnrolmentFactory, StayFactory, UserFactory
from tests.groups.test_residential import FRIDAY, residential_group
from tests.spreadsheets import finnish_excel_rows

pytestmark = pytest.mark.django_db

SCREENS = [
    "groups_residential_programme",
    "groups_residential_rooms",
    "groups_residential_rooming",
    "groups_residential_meals",
    "groups_residential_arrivals",
]


def user_with(*codenames: str):
    user = UserFactory()
    role, _ = Role.objects.get_or_create(name=f"role-{'-'.join(codenames)}")
    role.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        role.permissions.add(
            Permission.objects.get(codename=codename, content_type__app_label="groups")
        )
    user.groups.add(role)
    CoordinatorProfile.objects.create(user=user, network_wide=True)
    return user


@pytest.fixture
def coordinator():
    return user_with("view_stay", "change_stay", "change_meeting")


def staying(group, count: int, **fields) -> list[Stay]:
    return [
        StayFactory(enrolment=EnrolmentFactory(group=group, display_name=f"Vieras {n}"), **fields)
        for n in range(count)
    ]


@pytest.mark.parametrize("name", ["groups_residential_index", *SCREENS])
def test_screens_refuse_people_without_the_stay_permission(client, site_tree, name):
    group = residential_group()
    staying(group, 1, allergies="Seesami")
    url = reverse(name) if name == "groups_residential_index" else reverse(name, args=[group.pk])

    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(user_with("view_group", "change_group", "view_enrolment"))
    refused = client.get(url)
    assert refused.status_code in (302, 403)
    assert b"Seesami" not in refused.content
    assert b"Vieras" not in refused.content


def test_viewing_is_not_allocating(client, site_tree):
    group = residential_group()
    (stay,) = staying(group, 1)
    client.force_login(user_with("view_stay"))
    assert client.get(reverse("groups_residential_meals", args=[group.pk])).status_code == 200
    url = reverse("groups_residential_rooms", args=[group.pk])
    room = group.venue.rooms.first()
    client.post(url, {f"room-{stay.enrolment_id}": room.pk})
    stay.refresh_from_db()
    assert stay.room is None


@pytest.mark.parametrize("name", SCREENS)
def test_query_count_does_not_grow_with_participants(
    client, site_tree, coordinator, django_assert_max_num_queries, name
):
    group = residential_group(beds=(4, 4, 4))
    client.force_login(coordinator)
    url = reverse(name, args=[group.pk])
    staying(group, 2, pickup_wanted=True, arrival_time=dt.time(14))
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    staying(group, 8, diet="vegan", arrival_time=dt.time(15))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_index_lists_residential_groups_only(client, site_tree, coordinator):
    group = residential_group()
    weekly = EnrolmentFactory().group
    client.force_login(coordinator)
    response = client.get(reverse("groups_residential_index"))
    assert str(group) in response.content.decode()
    assert str(weekly) not in response.content.decode()
    assert client.get(reverse("groups_residential_meals", args=[weekly.pk])).status_code == 404


def test_allocation_saves_rooms_and_an_error_keeps_every_choice(client, site_tree, coordinator):
    group = residential_group(beds=(1, 2))
    small, large = group.venue.rooms.order_by("name")
    first, second, third = staying(group, 3)
    client.force_login(coordinator)
    url = reverse("groups_residential_rooms", args=[group.pk])

    response = client.post(
        url,
        {
            f"room-{first.enrolment_id}": small.pk,
            f"room-{second.enrolment_id}": small.pk,
            f"room-{third.enrolment_id}": large.pk,
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Huoneessa Huone 1 on 1 vuodetta mutta 2 henkilöä." in page  # admin default: fi
    # What the coordinator chose is still selected, nothing was saved.
    assert page.count(f'<option value="{small.pk}" selected>') == 2
    assert page.count(f'<option value="{large.pk}" selected>') == 1
    assert not Stay.objects.filter(room__isnull=False).exists()

    response = client.post(
        url,
        {
            f"room-{first.enrolment_id}": small.pk,
            f"room-{second.enrolment_id}": large.pk,
            f"room-{third.enrolment_id}": large.pk,
        },
    )
    assert response.status_code == 302
    assert Stay.objects.filter(room=large).count() == 2

    rooming = client.get(reverse("groups_residential_rooming", args=[group.pk]))
    assert "Vieras 1" in rooming.content.decode()


def test_allocation_errors_are_in_the_coordinators_language(client, site_tree, coordinator):
    group = residential_group(beds=(1,))
    room = group.venue.rooms.get()
    first, second = staying(group, 2)
    UserProfile.get_for_user(coordinator).__class__.objects.filter(user=coordinator).update(
        preferred_language="sv"
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("groups_residential_rooms", args=[group.pk]),
        {f"room-{first.enrolment_id}": room.pk, f"room-{second.enrolment_id}": room.pk},
    )
    assert "Rummet Huone 1 har 1 bäddar men 2 personer." in response.content.decode()


def test_meal_counts_export_as_csv_and_xlsx(client, site_tree, coordinator):
    group = residential_group()
    staying(group, 2, gluten_free=True)
    client.force_login(coordinator)
    url = reverse("groups_residential_meals", args=[group.pk])

    response = client.get(url, {"format": "csv"})
    rows = finnish_excel_rows(response.content)
    assert "no-store" in response["Cache-Control"]
    assert rows[1][:3] == [FRIDAY.isoformat(), "Lounas", "2"]
    assert rows[1][5] == "2"
    assert len(rows) == 1 + 2 + 3 + 2  # header, Friday from lunch, Saturday, Sunday to lunch

    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_arrivals_and_rooming_export(client, site_tree, coordinator):
    group = residential_group()
    staying(group, 1, pickup_wanted=True, arrival_time=dt.time(14, 5), travel_mode="train")
    client.force_login(coordinator)
    arrivals = client.get(
        reverse("groups_residential_arrivals", args=[group.pk]), {"format": "csv"}
    )
    rows = finnish_excel_rows(arrivals.content)
    assert rows[1][0] == "Vieras 0"
    assert rows[1][2:5] == ["14:05", "Juna", "kyllä"]  # the admin's default language
    rooming = client.get(reverse("groups_residential_rooming", args=[group.pk]), {"format": "xlsx"})
    assert rooming.content[:2] == b"PK"


def test_programme_screen_adds_and_cancels_sessions_and_tells_participants(
    client, site_tree, coordinator, django_capture_on_commit_callbacks
):
    group = residential_group()
    staying(group, 2)
    client.force_login(coordinator)
    url = reverse("groups_residential_programme", args=[group.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "action": "add",
                "day": FRIDAY.isoformat(),
                "starts": "13:00",
                "ends": "15:00",
                "title": "Aloituspiiri",
            },
        )
    assert response.status_code == 302
    session = Meeting.objects.get(group=group)
    assert session.title == "Aloituspiiri"
    assert len(mail.outbox) == 2
    assert "Aloituspiiri" in client.get(url).content.decode()

    bad = client.post(
        url,
        {
            "action": "add",
            "day": FRIDAY.isoformat(),
            "starts": "15:00",
            "ends": "14:00",
            "title": "X",
        },
    )
    assert bad.status_code == 400

    form = client.get(url, {"move": session.pk}).content.decode()
    assert 'value="13:00"' in form
    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(
            url,
            {
                "action": "move",
                "meeting": session.pk,
                "day": FRIDAY.isoformat(),
                "starts": "14:00",
                "ends": "15:30",
            },
        )
    assert moved.status_code == 302
    session.refresh_from_db()
    assert timezone.localtime(session.starts_at).time() == dt.time(14)
    assert session.ends_at - session.starts_at == dt.timedelta(minutes=90)
    assert session.title == "Aloituspiiri"
    assert len(mail.outbox) == 4

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "cancel", "meeting": session.pk})
    session.refresh_from_db()
    assert session.status == Meeting.Status.CANCELLED
    assert len(mail.outbox) == 6


def test_a_venue_and_its_rooms_are_entered_in_one_form(client, site_tree):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    rooms = [("101", "2", "on"), ("102", "1", "")]
    data = {
        "name": "Kurssikeskus Koivula",
        "city": "Kuopio",
        "address": "",
        "region": "Pohjois-Savo",
        "contact": "",
        "arrival_instructions_fi": "Tule pääovesta.",
        "arrival_instructions_sv": "",
        "arrival_instructions_en": "",
        "accessibility": "",
        "catering_notes": "",
        "rooms-TOTAL_FORMS": str(len(rooms)),
        "rooms-INITIAL_FORMS": "0",
        "rooms-MIN_NUM_FORMS": "0",
        "rooms-MAX_NUM_FORMS": "1000",
    }
    for index, (name, beds, accessible) in enumerate(rooms):
        data.update(
            {
                f"rooms-{index}-name": name,
                f"rooms-{index}-beds": beds,
                f"rooms-{index}-single_use": "on",
                f"rooms-{index}-ORDER": str(index + 1),
                f"rooms-{index}-id": "",
                f"rooms-{index}-DELETE": "",
            }
        )
        if accessible:
            data[f"rooms-{index}-accessible"] = accessible

    response = client.post(reverse("groups_venue:add"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    venue = Venue.objects.get(name="Kurssikeskus Koivula")
    assert [(room.name, room.beds, room.accessible) for room in venue.rooms.all()] == [
        ("101", 2, True),
        ("102", 1, False),
    ]
    assert venue.arrival_instructions_in("sv") == "Tule pääovesta."


def test_a_session_is_given_its_swedish_and_english_titles_on_the_programme_screen(
    client, site_tree, coordinator
):
    group = residential_group()
    client.force_login(coordinator)
    url = reverse("groups_residential_programme", args=[group.pk])
    assert 'name="title_sv"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "action": "add",
            "day": FRIDAY.isoformat(),
            "starts": "13:00",
            "ends": "15:00",
            "title": "Aloituspiiri",
            "title_sv": "Inledande cirkel",
            "title_en": "",
        },
    )
    assert response.status_code == 302
    session = Meeting.objects.get(group=group)
    assert (session.title, session.title_sv, session.title_en) == (
        "Aloituspiiri",
        "Inledande cirkel",
        "",
    )
