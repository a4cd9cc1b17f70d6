"""Merging a group too small to run into another group of the same course."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from groups.exceptions import MergeError
from groups.models import CoordinatorProfile, Enrolment, Group, Meeting, OutboxMessage
from groups.services.enrolment import enrolment_cancel
from groups.services.merge import group_merge, group_merge_preview
from tests.factories import (
    CoursePageFactory,
    EnrolmentFactory,
    GroupFactory,
    MeetingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SOON = dt.timedelta(days=10)


def future_group(course, **kwargs):
    group = GroupFactory(course=course, **kwargs)
    MeetingFactory(group=group, starts_at=timezone.now() + SOON)
    return group


@pytest.fixture
def course(site_tree):
    return CoursePageFactory(title="Surevat")


@pytest.fixture
def small(course):
    return future_group(course, name="Pieni", capacity=10, min_size=5)


@pytest.fixture
def target(course):
    return future_group(course, name="Iso", capacity=8, min_size=5)


def enrol(group, n, status=Enrolment.Status.CONFIRMED, **kwargs):
    return [EnrolmentFactory(group=group, status=status, **kwargs) for _ in range(n)]


def test_confirmed_people_take_free_places_and_the_rest_queue_in_their_order(
    small, target, django_capture_on_commit_callbacks
):
    enrol(target, 6)
    now = timezone.now()
    movers = enrol(small, 4)
    for minutes, enrolment in zip((4, 1, 3, 2), movers, strict=True):
        Enrolment.objects.filter(pk=enrolment.pk).update(
            placed_at=now - dt.timedelta(minutes=minutes)
        )
    waiting = enrol(small, 2, status=Enrolment.Status.WAITLISTED)
    for minutes, enrolment in zip((1, 5), waiting, strict=True):
        Enrolment.objects.filter(pk=enrolment.pk).update(
            queued_at=now - dt.timedelta(minutes=minutes)
        )
    tokens = {enrolment.pk: enrolment.manage_token for enrolment in movers + waiting}

    with django_capture_on_commit_callbacks(execute=True):
        group_merge(source=small, target=target, user=None)

    placed = target.enrolments.filter(status=Enrolment.Status.CONFIRMED)
    assert placed.count() == 8  # capacity: the two who got their place first
    assert set(placed.filter(pk__in=tokens).values_list("pk", flat=True)) == {
        movers[0].pk,
        movers[2].pk,
    }
    queue = list(
        target.enrolments.filter(status=Enrolment.Status.WAITLISTED)
        .order_by("queued_at", "pk")
        .values_list("pk", flat=True)
    )
    # Confirmed without room first (in the order they got their place), then the old queue.
    assert queue == [movers[3].pk, movers[1].pk, waiting[1].pk, waiting[0].pk]
    for enrolment in Enrolment.objects.filter(pk__in=tokens):
        assert enrolment.group_id == target.pk
        assert enrolment.manage_token == tokens[enrolment.pk]


def test_source_is_cancelled_with_its_coming_meetings(small, target):
    enrol(small, 2)
    group_merge(source=small, target=target, user=None)
    small.refresh_from_db()
    assert small.status == Group.Status.CANCELLED
    assert not small.enrolments.exists()
    assert set(small.meetings.values_list("status", flat=True)) == {Meeting.Status.CANCELLED}


def test_each_person_is_told_once_in_their_own_language(
    small, target, django_capture_on_commit_callbacks
):
    sv = EnrolmentFactory(group=small, language="sv", display_name="Sara")
    fi = EnrolmentFactory(group=small, language="fi", display_name="Aino")
    phone = EnrolmentFactory(group=small, email="", phone="+358401234567", display_name="Puh")
    with django_capture_on_commit_callbacks(execute=True):
        group_merge(source=small, target=target, user=None)

    messages = OutboxMessage.objects.filter(template="group_merged")
    assert sorted(messages.values_list("enrolment_id", "channel", "language")) == sorted(
        [(sv.pk, "email", "sv"), (fi.pk, "email", "fi"), (phone.pk, "sms", "fi")]
    )
    assert len(mail.outbox) == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    swedish = by_recipient[sv.email]
    assert swedish.subject == "Din grupp har slagits ihop med en annan grupp"
    assert sv.manage_token in swedish.body  # the same private link
    assert "0112" in swedish.body  # the Swedish crisis helpline
    finnish = by_recipient[fi.email].body
    assert "Iso" in finnish
    day = timezone.localtime(target.meetings.get().starts_at).strftime("%-d.%-m.")
    assert day in finnish
    assert target.centre.name in finnish


def test_moves_and_the_merge_are_in_the_audit_log(small, target):
    coordinator = UserFactory(username="koordinaattori")
    movers = enrol(small, 2)
    group_merge(source=small, target=target, user=coordinator)

    for enrolment in movers:
        entry = ModelLogEntry.objects.get(
            object_id=str(enrolment.pk), action="groups.enrolment.moved"
        )
        assert entry.user == coordinator
        assert entry.label == f"#{enrolment.pk}"  # no display name in the audit log
        assert entry.data["to_group"] == target.pk
    merged = ModelLogEntry.objects.get(object_id=str(small.pk), action="groups.group.merged")
    assert merged.data["into"] == target.pk
    assert merged.data["to_places"] == 2
    assert ModelLogEntry.objects.filter(
        object_id=str(target.pk), action="groups.group.merged_into"
    ).exists()


def test_pending_people_stay_pending_and_a_duplicate_keeps_the_target_enrolment(small, target):
    pending = EnrolmentFactory(group=small, status=Enrolment.Status.PENDING)
    twice = EnrolmentFactory(group=small, email="sama@example.invalid")
    kept = EnrolmentFactory(group=target, email="sama@example.invalid")

    assert group_merge_preview(source=small, target=target).already_in_target == 1
    group_merge(source=small, target=target, user=None)

    pending.refresh_from_db()
    twice.refresh_from_db()
    assert (pending.group_id, pending.status) == (target.pk, Enrolment.Status.PENDING)
    assert (twice.group_id, twice.status) == (small.pk, Enrolment.Status.CANCELLED)
    assert Enrolment.objects.get(pk=kept.pk).status == Enrolment.Status.CONFIRMED


def test_an_open_offer_goes_to_the_queue_and_a_free_place_is_offered_on(
    small, target, django_capture_on_commit_callbacks
):
    offered = EnrolmentFactory(
        group=small,
        status=Enrolment.Status.OFFERED,
        queued_at=timezone.now(),
        offer_expires_at=timezone.now() + dt.timedelta(hours=10),
    )
    with django_capture_on_commit_callbacks(execute=True):
        group_merge(source=small, target=target, user=None)
    offered.refresh_from_db()
    # The target had room, so the queue's first person (the mover) is offered a place there.
    assert (offered.group_id, offered.status) == (target.pk, Enrolment.Status.OFFERED)


def test_the_target_waiting_list_keeps_its_claim_on_free_places(small, target):
    enrol(target, 6)
    enrol(target, 1, status=Enrolment.Status.WAITLISTED, queued_at=timezone.now())
    enrol(small, 3)
    plan = group_merge_preview(source=small, target=target)
    assert (plan.to_places, plan.to_waitlist) == (1, 2)


def test_preview_counts_without_changing_anything(small, target):
    enrol(target, 7)
    enrol(small, 2)
    enrol(small, 1, status=Enrolment.Status.PENDING)
    EnrolmentFactory(group=small, email="", phone="0501112222")
    plan = group_merge_preview(source=small, target=target)
    assert (plan.to_places, plan.to_waitlist, plan.pending, plan.without_email) == (1, 2, 1, 1)
    assert small.enrolments.count() == 4


@pytest.mark.parametrize(
    "make_target, code",
    [
        (lambda small: small, "same_group"),
        (lambda small: future_group(CoursePageFactory()), "other_course"),
        (
            lambda small: future_group(small.course, status=Group.Status.CANCELLED),
            "target_cancelled",
        ),
        (lambda small: future_group(small.course, status=Group.Status.RUNNING), "target_started"),
        (lambda small: future_group(small.course, language="sv"), "other_language"),
    ],
)
def test_refusals(small, make_target, code):
    EnrolmentFactory(group=small)
    target = make_target(small)
    with pytest.raises(MergeError) as refusal:
        group_merge(source=small, target=target, user=None)
    assert refusal.value.code == code
    assert small.enrolments.get().status == Enrolment.Status.CONFIRMED


def test_a_target_whose_first_meeting_is_over_has_started(small, course):
    started = GroupFactory(course=course)
    MeetingFactory(group=started, starts_at=timezone.now() - dt.timedelta(hours=2))
    with pytest.raises(MergeError) as refusal:
        group_merge(source=small, target=started, user=None)
    assert refusal.value.code == "target_started"


def test_a_cancelled_source_is_refused(small, target):
    Group.objects.filter(pk=small.pk).update(status=Group.Status.CANCELLED)
    small.refresh_from_db()
    with pytest.raises(MergeError) as refusal:
        group_merge(source=small, target=target, user=None)
    assert refusal.value.code == "source_cancelled"


def test_the_coordinator_may_confirm_another_language(small, course):
    swedish = future_group(course, language="sv")
    person = EnrolmentFactory(group=small)
    group_merge(source=small, target=swedish, user=None, allow_other_language=True)
    person.refresh_from_db()
    assert person.group_id == swedish.pk


def test_a_moved_enrolment_is_cancelled_in_its_new_group(
    small, target, django_capture_on_commit_callbacks
):
    person = EnrolmentFactory(group=small)
    group_merge(source=small, target=target, user=None)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_cancel(enrolment_id=person.pk)
    person.refresh_from_db()
    assert (person.group_id, person.status) == (target.pk, Enrolment.Status.CANCELLED)


# --- The admin view ------------------------------------------------------------------------------


@pytest.fixture
def coordinator(client):
    user = UserFactory(username="koordinaattori", is_staff=True)
    role = AuthGroup.objects.create(name="Koordinaattorit")
    role.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(content_type__app_label="groups", codename="change_group"),
    )
    user.groups.add(role)
    CoordinatorProfile.objects.create(user=user, network_wide=True)  # sees every centre
    client.force_login(user)
    return user


def test_the_view_lists_eligible_groups_only(client, coordinator, small, target, course):
    future_group(course, name="Peruttu", status=Group.Status.CANCELLED)
    future_group(CoursePageFactory(), name="Muu kurssi")
    response = client.get(reverse("groups_group_merge", args=[small.pk]))
    assert response.status_code == 200
    assert list(response.context["form"].fields["target"].queryset) == [target]


def test_preview_then_confirm(client, coordinator, small, target, django_assert_max_num_queries):
    people = enrol(small, 3)
    url = reverse("groups_group_merge", args=[small.pk])
    with django_assert_max_num_queries(20):
        preview = client.get(url, {"target": target.pk})
    html = preview.content.decode()
    assert preview.context["plan"].to_places == 3
    assert people[0].display_name not in html  # numbers only
    assert 'name="target"' in html

    response = client.post(url, {"target": target.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    assert "Iso" in response.content.decode()
    assert target.enrolments.count() == 3


def test_language_mismatch_needs_the_box_ticked(client, coordinator, small, course):
    swedish = future_group(course, name="Svenska", language="sv")
    EnrolmentFactory(group=small)
    url = reverse("groups_group_merge", args=[small.pk])
    assert "allow_other_language" in client.get(url, {"target": swedish.pk}).content.decode()

    refused = client.post(url, {"target": swedish.pk}, follow=True)
    assert "toisella kielellä" in refused.content.decode()
    assert small.enrolments.filter(group=small).exists()

    client.post(url, {"target": swedish.pk, "allow_other_language": "on"})
    assert swedish.enrolments.count() == 1


def test_an_ineligible_group_is_refused_in_the_preview(client, coordinator, small, course):
    Group.objects.filter(pk=small.pk).update(status=Group.Status.RUNNING)
    other = future_group(course)
    response = client.get(reverse("groups_group_merge", args=[small.pk]), {"target": other.pk})
    assert response.context["plan"] is None
    assert response.context["refusal"]


def test_without_the_permission_the_view_is_refused(client, small, target):
    client.force_login(UserFactory(username="toimittaja", is_staff=True))
    response = client.post(reverse("groups_group_merge", args=[small.pk]), {"target": target.pk})
    assert response.status_code in (302, 403)
    small.refresh_from_db()
    assert small.status == Group.Status.OPEN


def test_dashboard_and_row_menu_link_to_the_merge(client, small, target):
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    Group.objects.filter(pk=small.pk).update(under_minimum_since=timezone.now())
    url = reverse("groups_group_merge", args=[small.pk])
    assert url in client.get(reverse("wagtailadmin_home")).content.decode()
    assert url in client.get(reverse("groups_group:index")).content.decode()


def test_merge_targets_show_weekday_time_and_start_date(client, coordinator, small, course):
    target = future_group(
        course, name="Tiistairyhmä", starts_on=dt.date(2027, 3, 2), start_time=dt.time(17, 30)
    )
    response = client.get(reverse("groups_group_merge", args=[small.pk]))
    html = response.content.decode()
    assert f'value="{target.pk}"' in html
    assert "Tiistairyhmä (tiistai 17.30, alkaa 2.3.2027" in html


def test_a_target_far_apart_is_warned_about(client, coordinator, course):
    small = future_group(
        course, name="Pieni", starts_on=dt.date(2027, 3, 2), start_time=dt.time(17, 30)
    )
    near = future_group(
        course, name="Lähellä", starts_on=dt.date(2027, 3, 9), start_time=dt.time(18, 0)
    )
    far = future_group(
        course, name="Kaukana", starts_on=dt.date(2027, 4, 1), start_time=dt.time(10, 0)
    )
    url = reverse("groups_group_merge", args=[small.pk])

    assert "data-merge-far-apart" not in client.get(url, {"target": near.pk}).content.decode()
    html = client.get(url, {"target": far.pk}).content.decode()
    assert "data-merge-far-apart" in html
    assert "Valittu ryhmä kokoontuu eri viikonpäivänä (torstai, ei tiistai)." in html
    assert "Valittu ryhmä alkaa 30 päivän päässä tästä." in html
    assert "Valittu ryhmä kokoontuu eri aikaan (10.00, ei 17.30)." in html
