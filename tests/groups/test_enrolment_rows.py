"""A new enrolment, its audit entries and its first e-mail are saved together through the ORM
(`enrolment_create`): each row as its model saves it, so a new field needs no other edit."""

import pytest
from django.db.models.signals import post_save
from wagtail.models import ModelLogEntry

from groups.models import Enrolment, OutboxMessage
from tests.factories import GroupFactory, enrol

pytestmark = pytest.mark.django_db


def test_the_new_rows_name_the_new_enrolment_and_come_back_saved():
    group = GroupFactory(capacity=10)
    saved = []
    post_save.connect(lambda sender, instance, created, **kw: saved.append((sender, created)),
                      weak=False, dispatch_uid="rows-test")  # fmt: skip
    try:
        enrolment = enrol(group, 1, risk_flagged=True)
    finally:
        post_save.disconnect(dispatch_uid="rows-test")

    row = Enrolment.objects.get(pk=enrolment.pk)
    entries = list(ModelLogEntry.objects.filter(object_id=str(enrolment.pk)).order_by("action"))
    message = enrolment.outbox_messages.get()
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
    # The enrolment and its e-mail are saved by their models (signals sent); the audit
    # entries in one bulk insert, as Wagtail's own `log()` would not check them again.
    assert saved == [(Enrolment, True), (OutboxMessage, True)]


def test_every_field_of_the_new_enrolment_is_saved_as_the_service_set_it():
    """The row read back equals the instance the service returned, field by field, whatever
    fields the model has: nothing lists them by hand."""
    enrolment = enrol(GroupFactory(capacity=10), 2, accessibility_needs="Pyörätuoli")
    row = Enrolment.objects.get(pk=enrolment.pk)

    for field in Enrolment._meta.concrete_fields:
        assert getattr(row, field.attname) == getattr(enrolment, field.attname), field.name
    assert row.accessibility_needs == "Pyörätuoli"
