"""A worker killed inside an offer or an expiry leaves the place exactly as it was: the status
change and its e-mail row commit together or not at all, and a rerun finishes the job."""

import datetime as dt

import pytest
from django.utils import timezone

from groups import tasks
from groups.models import Enrolment, OutboxMessage
from groups.services import enrolment as services
from tests.factories import EnrolmentFactory, GroupFactory

pytestmark = pytest.mark.django_db(transaction=True)


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs."""


def killed(**kwargs):
    raise WorkerKilled


@pytest.fixture
def freed_place(site_tree):
    group = GroupFactory(capacity=5, min_size=5)
    EnrolmentFactory.create_batch(4, group=group)
    now = timezone.now()
    first = EnrolmentFactory(
        group=group, status=Enrolment.Status.WAITLISTED, queued_at=now - dt.timedelta(hours=2)
    )
    second = EnrolmentFactory(
        group=group, status=Enrolment.Status.WAITLISTED, queued_at=now - dt.timedelta(hours=1)
    )
    return group, first, second


def test_a_kill_inside_an_offer_leaves_the_place_free_and_the_rerun_offers_it(
    freed_place, monkeypatch
):
    group, first, _second = freed_place
    with monkeypatch.context() as patch:
        patch.setattr(services, "enrolment_message_queue", killed)
        with pytest.raises(WorkerKilled):
            tasks.place_offer_next(group.pk)

    first.refresh_from_db()
    assert first.status == Enrolment.Status.WAITLISTED  # neither offered nor lost
    assert not OutboxMessage.objects.filter(template="offer").exists()

    assert tasks.offers_expire_due() == 0  # the scheduled catch-up finds the free place
    first.refresh_from_db()
    assert first.status == Enrolment.Status.OFFERED
    assert OutboxMessage.objects.filter(template="offer", enrolment=first).count() == 1


def test_a_kill_inside_an_expiry_keeps_the_offer_and_the_rerun_moves_it_on(
    freed_place, monkeypatch
):
    group, first, second = freed_place
    tasks.place_offer_next(group.pk)
    Enrolment.objects.filter(pk=first.pk).update(offer_expires_at=timezone.now())
    with monkeypatch.context() as patch:
        patch.setattr(services, "enrolment_message_queue", killed)
        with pytest.raises(WorkerKilled):
            tasks.offers_expire_due()

    first.refresh_from_db()
    assert first.status == Enrolment.Status.OFFERED  # still holds the place, nothing half-done

    tasks.offers_expire_due()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Enrolment.Status.WAITLISTED
    assert second.status == Enrolment.Status.OFFERED
    held = group.enrolments.filter(status__in=Enrolment.HOLDS_PLACE).count()
    assert held == 5
    assert OutboxMessage.objects.filter(template="offer_expired", enrolment=first).count() == 1
