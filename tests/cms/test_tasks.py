"""Tasks queued after a commit (cms/services/tasks.py)."""

import pytest
from django.db import OperationalError

from cms.services import tasks
from groups.models import Enrolment
from groups.services.enrolment import enrolment_create
from tests.factories import GroupFactory


def _lost_broker(func, *args):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db(transaction=True)
def test_a_broker_lost_after_the_commit_still_lets_the_enrolment_succeed(monkeypatch, caplog):
    """The database (the ORM broker) goes away between the enrolment's commit and queuing its
    mail: the person still gets their answer, and the sweep sends the mail later."""
    group = GroupFactory(capacity=5, min_size=1)
    monkeypatch.setattr(tasks, "task_enqueue", _lost_broker)

    enrolment = enrolment_create(
        group_id=group.pk,
        display_name="Sitkeä Saara",
        email="saara@example.invalid",
        consent_text_version="2026-1",
    )

    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.CONFIRMED
    assert enrolment.outbox_messages.get().status == "queued"
    assert "task_on_commit.<locals>.enqueue" in caplog.text
