"""Telling people about changes to their group.

These are the entry points the schedule services enqueue with `transaction.on_commit`; they
take primary keys so that they can become queued tasks unchanged. Meeting changes go through
the e-mail outbox (`groups/services/outbox.py`); the group-cancelled message still goes out
through Django's `send_mail`, one per person, in that person's language with the helplines.
"""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.selectors import helplines_for
from groups.models import Enrolment, Group


def _confirmed_enrolments(group_id: int):
    return Enrolment.objects.filter(group_id=group_id, status__in=Enrolment.HOLDS_PLACE).exclude(
        email=""
    )


def _send(*, enrolment: Enrolment, subject: str, template: str, context: dict) -> None:
    context = {**context, "helplines": helplines_for(language=enrolment.language)}
    body = render_to_string(template, context)
    send_mail(subject, body, None, [enrolment.email])


def meeting_changed_notify(meeting_id: int) -> None:
    """Tell the group's confirmed participants that a meeting was cancelled, moved or added:
    one outbox message each, sent by the worker in the person's language."""
    from groups.services.outbox import meeting_changed_notify as outbox_meeting_changed

    outbox_meeting_changed(meeting_id=meeting_id)


def group_cancelled_notify(group_id: int) -> None:
    """Tell everyone still enrolled that the group is cancelled, and offer the course's other
    open groups."""
    from groups.selectors import groups_same_course_open

    group = Group.objects.select_related("course").filter(pk=group_id).first()
    if group is None:
        return
    alternatives = list(groups_same_course_open(group=group))
    enrolments = Enrolment.objects.filter(group_id=group_id, status__in=Enrolment.ACTIVE)
    enrolments = enrolments.exclude(email="")
    for enrolment in enrolments:
        with translation.override(enrolment.language), timezone.override("Europe/Helsinki"):
            _send(
                enrolment=enrolment,
                subject=_("Your group is cancelled"),
                template="groups/email/group_cancelled.txt",
                context={"group": group, "alternatives": alternatives, "enrolment": enrolment},
            )
