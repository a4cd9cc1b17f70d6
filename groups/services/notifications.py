"""Telling people about changes to their group.

These are the entry points the schedule services enqueue with `transaction.on_commit`; they
take primary keys so that they can become queued tasks unchanged. Every message goes through
the e-mail outbox (`groups/services/outbox.py`): one row per person, sent once by the worker in
that person's language with the helplines.
"""


def meeting_changed_notify(meeting_id: int) -> None:
    """Tell the group's confirmed participants that a meeting was cancelled, moved or added."""
    from groups.services.outbox import meeting_changed_notify as outbox_meeting_changed

    outbox_meeting_changed(meeting_id=meeting_id)


def group_cancelled_notify(group_id: int) -> None:
    """Tell everyone still enrolled that the group is cancelled, and offer the course's other
    open groups."""
    from groups.services.outbox import group_cancelled_notify as outbox_group_cancelled

    outbox_group_cancelled(group_id=group_id)
