"""Audit entries that hold no personal data (issue 22, docs/privacy.md).

Wagtail labels a log entry with `str(instance)` whenever the writer gives no title: the admin's
create, edit and delete views, `log()` calls of the services. For a row about a person that is
their name, and the entry outlives the erasure of the row. A model whose rows are about a
person says so with `audit_label_by_number = True`; every entry about such a row is labelled
`#<id>`, whoever writes it, and erasure relabels the older ones.
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import timezone
from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import ModelLogEntry


def audit_label_by_number(model) -> bool:
    return bool(model and getattr(model, "audit_label_by_number", False))


def audit_label(instance) -> str:
    """The label of a log entry about `instance`: `#<id>` for a row about a person, else what
    Wagtail would write. Writers that bypass `save()` (a `bulk_create` of entries) use it; the
    signal below covers everything else."""
    if audit_label_by_number(type(instance)):
        return f"#{instance.pk}"
    return str(instance)


def audit_log_many(
    entries: Iterable[tuple[object, str, dict | None]], *, user=None, batch_size: int | None = None
) -> None:
    """Write many audit entries, (instance, action, data) each, in one INSERT: the entries
    Wagtail's `log()` writes, labelled by `audit_label`, with the active log context's user
    (unless `user` is given) and uuid. `log()` validates every entry with `full_clean`, which
    asks the database whether the content type and the user exist on each call: a query per
    row when a popular group opens or a sheet of thousands is imported. Here content types come
    from Django's cache and each action is checked against Wagtail's registry in memory."""
    entries = list(entries)
    for action in {action for _instance, action, _data in entries}:
        if not log_action_registry.action_exists(action):
            raise ValueError(f"Unregistered log action {action!r}")
    context = get_active_log_context()
    now = timezone.now()
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=ContentType.objects.get_for_model(type(instance)),
                object_id=str(instance.pk),
                label=audit_label(instance),
                action=action,
                data=data or {},
                timestamp=now,
                user=user or context.user,
                uuid=context.uuid,
            )
            for instance, action, data in entries
        ],
        batch_size=batch_size,
    )


def log_entry_label_by_number(sender, instance: ModelLogEntry, **kwargs) -> None:
    """pre_save of ModelLogEntry: an entry about a person's row is labelled by its number."""
    if not instance.content_type_id:
        return
    model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
    if audit_label_by_number(model):
        instance.label = f"#{instance.object_id}"


def log_entries_relabel(*, model, object_ids: Iterable) -> int:
    """Label the entries about these rows `#<id>` (entries written before the rule, or by a
    bulk insert); returns how many entries there are."""
    object_ids = [str(object_id) for object_id in object_ids]
    if not object_ids:
        return 0
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id__in=object_ids,
    ).update(label=Concat(Value("#"), F("object_id")))
