import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from groups.capacity import groups_with_places
from groups.exceptions import CapacityError, EnrolmentError
from groups.models import Enrolment, Group, OutboxMessage
from groups.services import enrolment as services
from tests.factories import CoursePageFactory, EnrolmentFactory, GroupFactory, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


S = Enrolment.Status


def actions(enrolment):
    return list(
        ModelLogEntry.objects.filter(object_id=str(enrolment.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_first_comers_are_confirmed_then_the_rest_wait_in_line():
    group = GroupFactory(capacity=2, min_size=1)

    first, second, third = (enrol(group, n) for n in range(3))

    assert [first.status, second.status, third.status] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED]
    assert third.queued_at is not None
    assert actions(third) == ["groups.enrolment.created"]
    assert groups_with_places().get(pk=group.pk).places_left == 0


def test_course_needing_approval_keeps_enrolment_pending_until_approved():
    group = GroupFactory(course=CoursePageFactory(requires_approval=True), capacity=1, min_size=1)
    first, second = enrol(group, 1), enrol(group, 2)
    assert first.status == second.status == S.PENDING

    assert services.enrolment_approve(enrolment_id=first.pk).status == S.CONFIRMED
    assert services.enrolment_approve(enrolment_id=second.pk).status == S.WAITLISTED
    assert "groups.enrolment.approved" in actions(second)


def test_someone_with_only_a_phone_number_can_enrol_and_gets_a_text_message_not_an_email():
    group = GroupFactory()
    enrolment = enrol(group, email="", phone="040 123 4567")
    assert enrolment.phone == "+358401234567"
    assert list(
        OutboxMessage.objects.filter(enrolment=enrolment).values_list("channel", flat=True)
    ) == [OutboxMessage.Channel.SMS]


def test_a_number_that_is_not_a_phone_number_is_refused_and_nothing_is_saved():
    with pytest.raises(EnrolmentError) as raised:
        enrol(GroupFactory(), email="", phone="12345")
    assert raised.value.code == "invalid_phone"
    assert not Enrolment.objects.exists()


def test_no_contact_at_all_is_refused_and_nothing_is_saved():
    group = GroupFactory()
    with pytest.raises(EnrolmentError):
        enrol(group, email="", phone="")
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"email": "Sama@Example.invalid"}, {"email": "sama@example.invalid"}),
        ({"email": "", "phone": "040 123 4567"}, {"email": "", "phone": "040-1234567"}),
    ],
)
def test_same_contact_in_same_group_is_refused_kindly(first, second):
    group = GroupFactory()
    enrol(group, 1, **first)
    with pytest.raises(EnrolmentError) as error:
        enrol(group, 2, **second)
    assert error.value.code == "duplicate"
    assert "already enrolled" in error.value.message
    assert group.enrolments.count() == 1


def test_a_cancelled_person_may_enrol_again():
    group = GroupFactory()
    first = enrol(group, 1)
    services.enrolment_cancel(enrolment_id=first.pk)
    assert enrol(group, 1).status == S.CONFIRMED


def test_duplicate_caught_by_the_database_becomes_the_same_kind_message(monkeypatch):
    group = GroupFactory()
    enrol(group, 1)

    # The race: another request's row lands between our check and our insert, so the database
    # refuses the insert. Refused where the statement meets the database, whichever way the
    # service writes the row (the ORM's save, or a statement of its own on PostgreSQL).
    def constraint_fires(execute, sql, params, many, context):
        if 'INSERT INTO "groups_enrolment"' in sql:
            raise IntegrityError("enrolment_one_per_email_per_group")
        return execute(sql, params, many, context)

    monkeypatch.setattr(Enrolment, "full_clean", lambda self, **kwargs: None)
    with pytest.raises(EnrolmentError) as error, connection.execute_wrapper(constraint_fires):
        enrol(group, 2)
    assert error.value.code == "duplicate"
    assert error.value.message == services.DUPLICATE_MESSAGE


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Group.Status.DRAFT},
        {"status": Group.Status.CANCELLED},
        {"enrolment_closes": timezone.now() - dt.timedelta(hours=1)},
        {"enrolment_opens": timezone.now() + dt.timedelta(days=1)},
    ],
)
def test_closed_group_refuses_enrolment(changes):
    group = GroupFactory(**changes)
    with pytest.raises(EnrolmentError):
        enrol(group)
    assert not group.enrolments.exists()


def test_an_unknown_group_is_refused_as_missing():
    with pytest.raises(Group.DoesNotExist):
        services.enrolment_create(
            group_id=999_999,
            display_name="Kaisa",
            email="kaisa@example.invalid",
            consent_text_version="2026-1",
        )
    assert not Enrolment.objects.exists()


def test_cancelling_a_confirmed_place_offers_it_to_the_first_in_line(
    django_capture_on_commit_callbacks, settings
):
    settings.OFFER_HOURS = 48
    group = GroupFactory(capacity=1, min_size=1)
    with django_capture_on_commit_callbacks(execute=True):
        holder = enrol(group, 1)
        first_in_line = enrol(group, 2)
        second_in_line = enrol(group, 3)
        services.enrolment_cancel(enrolment_id=holder.pk)

    first_in_line.refresh_from_db()
    second_in_line.refresh_from_db()
    assert first_in_line.status == S.OFFERED
    assert first_in_line.offer_expires_at == pytest.approx(
        timezone.now() + dt.timedelta(hours=48), abs=dt.timedelta(minutes=1)
    )
    assert second_in_line.status == S.WAITLISTED
    assert actions(holder)[-1] == "groups.enrolment.cancelled"
    assert actions(first_in_line)[-1] == "groups.enrolment.offered"
    assert OutboxMessage.objects.filter(enrolment=first_in_line, template="offer").exists()


def test_new_enrolment_does_not_jump_the_queue_for_a_place_just_freed():
    group = GroupFactory(capacity=1, min_size=1)
    holder = enrol(group, 1)
    enrol(group, 2)
    # No on-commit here: the offer task has not run yet.
    services.enrolment_cancel(enrolment_id=holder.pk)
    assert enrol(group, 3).status == S.WAITLISTED


def test_accepting_an_offer_confirms_the_place():
    group = GroupFactory(capacity=1, min_size=1)
    waiting = EnrolmentFactory(group=group, status=S.WAITLISTED, queued_at=timezone.now())
    offered = services.place_offer_next(group_id=group.pk)
    assert offered == waiting

    accepted = services.offer_accept(enrolment_id=waiting.pk)

    assert accepted.status == S.CONFIRMED
    assert accepted.offer_expires_at is None
    assert actions(waiting)[-2:] == ["groups.enrolment.offered", "groups.enrolment.offer_accepted"]


def test_the_moment_of_getting_a_place_is_remembered_once():
    group = GroupFactory(capacity=1, min_size=1)
    direct = enrol(group, 1)
    assert direct.placed_at is not None and direct.queued_at is None

    waiting = EnrolmentFactory(group=group, status=S.WAITLISTED, queued_at=timezone.now())
    assert waiting.placed_at is None
    services.enrolment_cancel(enrolment_id=direct.pk)
    services.place_offer_next(group_id=group.pk)
    waiting.refresh_from_db()
    assert waiting.placed_at is None  # an offer is not yet a place
    services.offer_accept(enrolment_id=waiting.pk)
    waiting.refresh_from_db()
    first_placed = waiting.placed_at
    assert first_placed is not None

    # Back to the queue and given the place again by hand: the first moment stays.
    services.enrolment_waitlist(enrolment_id=waiting.pk)
    again = services.enrolment_confirm(enrolment_id=waiting.pk)
    again.refresh_from_db()
    assert again.status == S.CONFIRMED
    assert again.placed_at == first_placed


def test_approval_and_confirming_by_hand_record_the_place():
    group = GroupFactory(course=CoursePageFactory(requires_approval=True), capacity=2, min_size=1)
    pending, other = enrol(group, 1), enrol(group, 2)
    assert pending.placed_at is None

    approved = services.enrolment_approve(enrolment_id=pending.pk)
    confirmed = services.enrolment_confirm(enrolment_id=other.pk)

    assert approved.status == confirmed.status == S.CONFIRMED
    approved.refresh_from_db()
    confirmed.refresh_from_db()
    assert approved.placed_at is not None
    assert confirmed.placed_at is not None


def test_offers_go_in_queue_order_and_never_past_capacity():
    group = GroupFactory(capacity=3, min_size=1)
    EnrolmentFactory(group=group, status=S.CONFIRMED)
    now = timezone.now()
    later = EnrolmentFactory(group=group, status=S.WAITLISTED, queued_at=now)
    earlier = EnrolmentFactory(
        group=group, status=S.WAITLISTED, queued_at=now - dt.timedelta(hours=1)
    )
    last = EnrolmentFactory(group=group, status=S.WAITLISTED, queued_at=now + dt.timedelta(1))

    assert services.place_offer_next(group_id=group.pk) == earlier
    assert services.place_offer_next(group_id=group.pk) == later
    assert services.place_offer_next(group_id=group.pk) is None
    last.refresh_from_db()
    assert last.status == S.WAITLISTED


def test_declining_an_offer_passes_the_place_on(django_capture_on_commit_callbacks):
    group = GroupFactory(capacity=1, min_size=1)
    first = EnrolmentFactory(group=group, status=S.OFFERED, offer_expires_at=timezone.now())
    second = EnrolmentFactory(group=group, status=S.WAITLISTED, queued_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_decline(enrolment_id=first.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.CANCELLED
    assert second.status == S.OFFERED
    assert "groups.enrolment.offer_declined" in actions(first)


def test_expired_offer_goes_to_the_end_of_the_queue_and_the_place_moves_on(
    django_capture_on_commit_callbacks,
):
    group = GroupFactory(capacity=1, min_size=1)
    past = timezone.now() - dt.timedelta(minutes=1)
    sleeper = EnrolmentFactory(group=group, status=S.OFFERED, offer_expires_at=past)
    next_one = EnrolmentFactory(group=group, status=S.WAITLISTED, queued_at=past)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.offers_expire_due() == 1

    sleeper.refresh_from_db()
    next_one.refresh_from_db()
    assert sleeper.status == S.WAITLISTED
    assert sleeper.queued_at > next_one.queued_at
    assert next_one.status == S.OFFERED
    assert "groups.enrolment.offer_expired" in actions(sleeper)
    assert OutboxMessage.objects.filter(enrolment=sleeper, template="offer_expired").exists()


def test_an_expired_offer_cannot_be_accepted():
    group = GroupFactory(capacity=1, min_size=1)
    late = EnrolmentFactory(
        group=group, status=S.OFFERED, offer_expires_at=timezone.now() - dt.timedelta(1)
    )
    with pytest.raises(EnrolmentError) as error:
        services.offer_accept(enrolment_id=late.pk)
    assert error.value.code == "expired"


def test_open_offer_is_not_expired_early():
    group = GroupFactory(capacity=1, min_size=1)
    open_offer = EnrolmentFactory(
        group=group, status=S.OFFERED, offer_expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    assert services.offers_expire_due() == 0
    assert services.offer_expire(enrolment_id=open_offer.pk).status == S.OFFERED


def test_coordinator_declines_with_a_kind_referral():
    enrolment = EnrolmentFactory(status=S.PENDING)
    declined = services.enrolment_decline(
        enrolment_id=enrolment.pk, message="Suosittelemme yksilötukea kriisikeskuksessa."
    )
    assert declined.status == S.DECLINED
    assert declined.decline_message.startswith("Suosittelemme")
    assert "groups.enrolment.declined" in actions(enrolment)
    with pytest.raises(EnrolmentError):
        services.enrolment_decline(enrolment_id=EnrolmentFactory().pk, message=" ")


def test_coordinator_can_waitlist_confirm_and_offer_by_hand():
    group = GroupFactory(capacity=1, min_size=1)
    pending = EnrolmentFactory(group=group, status=S.PENDING)
    waiting = EnrolmentFactory(group=group, status=S.WAITLISTED, queued_at=timezone.now())

    assert services.enrolment_waitlist(enrolment_id=pending.pk).status == S.WAITLISTED
    assert services.place_offer(enrolment_id=pending.pk).status == S.OFFERED
    with pytest.raises(CapacityError):
        services.place_offer(enrolment_id=waiting.pk)
    with pytest.raises(CapacityError):
        services.enrolment_confirm(enrolment_id=waiting.pk)
    assert actions(pending)[-2:] == ["groups.enrolment.waitlisted", "groups.enrolment.offered"]


def test_completing_after_the_group():
    enrolment = EnrolmentFactory(status=S.CONFIRMED)
    assert services.enrolment_complete(enrolment_id=enrolment.pk).status == S.COMPLETED
    assert "groups.enrolment.completed" in actions(enrolment)
    with pytest.raises(EnrolmentError):
        services.enrolment_complete(enrolment_id=enrolment.pk)


def test_cancelling_twice_is_refused():
    enrolment = EnrolmentFactory(status=S.CONFIRMED)
    services.enrolment_cancel(enrolment_id=enrolment.pk)
    with pytest.raises(EnrolmentError):
        services.enrolment_cancel(enrolment_id=enrolment.pk)


def test_risk_answer_flags_the_enrolment_and_is_logged():
    group = GroupFactory()
    enrolment = enrol(group, risk_flagged=True)
    assert enrolment.risk_flagged
    assert "groups.enrolment.risk_flagged" in actions(enrolment)


def test_log_entries_hold_no_personal_data():
    group = GroupFactory()
    enrolment = enrol(group, display_name="Oikea Nimi")
    entry = ModelLogEntry.objects.get(object_id=str(enrolment.pk))
    assert "Oikea" not in entry.label


def test_invalid_values_are_refused_as_an_enrolment_error():
    group = GroupFactory()
    with pytest.raises(EnrolmentError) as error:
        enrol(group, display_name="x" * 10_000)
    assert error.value.code == "invalid"
    with pytest.raises(EnrolmentError):
        enrol(group, email="not-an-address")
    assert not group.enrolments.exists()


def test_periodic_task_offers_a_place_whose_offer_task_was_lost():
    from groups import tasks

    group = GroupFactory(capacity=1, min_size=1)
    holder = EnrolmentFactory(group=group, status=S.CONFIRMED)
    waiting = EnrolmentFactory(group=group, status=S.WAITLISTED, queued_at=timezone.now())
    # Cancelled without running the on-commit offer task, as if the worker had been killed.
    services.enrolment_cancel(enrolment_id=holder.pk)

    tasks.offers_expire_due()

    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED


@pytest.mark.parametrize(
    ("status", "offered"), [(Group.Status.RUNNING, True), (Group.Status.COMPLETED, False)]
)
def test_a_place_freed_after_the_start_still_goes_to_the_queue(status, offered):
    group = GroupFactory(capacity=1, min_size=1, status=status)
    EnrolmentFactory(group=group, status=S.WAITLISTED, queued_at=timezone.now())
    assert (services.place_offer_next(group_id=group.pk) is not None) is offered
