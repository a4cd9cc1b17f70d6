"""An enrolment, its audit entries and its first e-mail saved together (`rows_insert`)."""

import pytest
from django.db import connection
from django.db.models.signals import post_save
from wagtail.models import ModelLogEntry

from cms.services import rows
from groups.models import Enrolment, OutboxMessage
from tests.factories import GroupFactory, enrol

pytestmark = pytest.mark.django_db

NEW_FIELDS = {"id", "object_id", "label", "idempotency_key", "enrolment", "timestamp",
              "created_at", "updated_at", "consented_at", "queued_at", "placed_at",
              "next_attempt_at", "manage_token", "context"}  # fmt: skip


def _saved(enrolment: Enrolment) -> tuple[Enrolment, list[ModelLogEntry], OutboxMessage]:
    """The rows as the database holds them, read back."""
    entries = list(ModelLogEntry.objects.filter(object_id=str(enrolment.pk)).order_by("action"))
    return Enrolment.objects.get(pk=enrolment.pk), entries, enrolment.outbox_messages.get()


def test_the_new_rows_name_the_new_enrolment_and_come_back_saved():
    group = GroupFactory(capacity=10)
    saved = []
    post_save.connect(lambda sender, instance, created, **kw: saved.append((sender, created)),
                      weak=False, dispatch_uid="rows-test")  # fmt: skip
    try:
        enrolment = enrol(group, 1, risk_flagged=True)
    finally:
        post_save.disconnect(dispatch_uid="rows-test")

    row, entries, message = _saved(enrolment)
    assert [entry.action for entry in entries] == [
        "groups.enrolment.created", "groups.enrolment.risk_flagged"
    ]  # fmt: skip
    assert {entry.label for entry in entries} == {f"#{enrolment.pk}"}
    assert entries[0].data == {"status": "confirmed"}
    assert message.enrolment_id == enrolment.pk
    assert message.idempotency_key.startswith(f"confirmed:{enrolment.pk}:")
    assert message.context["manage_url"].endswith(f"/fi/my/{row.manage_token}/")
    assert row.display_name == "Pseudonyymi 1" and row.risk_flagged
    assert not enrolment._state.adding
    assert saved == [(Enrolment, True), (ModelLogEntry, True), (ModelLogEntry, True),
                     (OutboxMessage, True)]  # fmt: skip


def _values(instance) -> dict:
    return {
        field.name: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.name not in NEW_FIELDS
    }


@pytest.mark.postgres
def test_one_statement_writes_the_same_rows_as_the_orm(monkeypatch):
    """PostgreSQL saves the three kinds of rows in one statement; SQLite (and this test,
    switched) one ORM insert after the other. Every column but the ids and times agrees."""
    assert connection.vendor == "postgresql"
    group = GroupFactory(capacity=10)
    ways = {}
    for n, one_statement in enumerate((True, False)):
        monkeypatch.setattr(rows, "_one_statement", lambda _connection, v=one_statement: v)
        enrolment = enrol(group, n, risk_flagged=True, accessibility_needs="Pyörätuoli")
        row, entries, message = _saved(enrolment)
        assert [entry.object_id for entry in entries] == [str(row.pk)] * 2
        assert message.idempotency_key.startswith(f"confirmed:{row.pk}:")
        assert message.context == {**message.context, "display_name": f"Pseudonyymi {n}"}
        row_values = {**_values(row), "display_name": "", "email": ""}
        message_values = {**_values(message), "recipient": ""}
        ways[one_statement] = (row_values, [_values(entry) for entry in entries], message_values)

    assert ways[True] == ways[False]
    assert ways[True][0]["accessibility_needs"] == "Pyörätuoli"


@pytest.mark.postgres
def test_the_statement_is_made_once_whatever_the_time_in_the_mails_key():
    group = GroupFactory(capacity=10)
    rows._statement.cache_clear()

    for n in range(3):
        enrol(group, n)

    assert rows._statement.cache_info().misses == 1
    assert rows._statement.cache_info().hits == 2
