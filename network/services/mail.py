"""The expert network's e-mails: sent through the outbox of `groups` like every other mail."""

from django.utils.translation import gettext_lazy as _

from groups.services.outbox import message_kind_register

SUPERVISION_REMINDER = "expert_supervision_reminder"
SUPERVISION_SUMMARY = "expert_supervision_summary"
# Languages the reminders are written in; an expert working in none of them gets Finnish.
MAIL_LANGUAGES = ("fi", "sv", "en")

KINDS = {
    SUPERVISION_REMINDER: (
        _("Reminder: Linity/ASSIP supervision"),
        "network/email/supervision_reminder",
    ),
    SUPERVISION_SUMMARY: (
        _("Linity/ASSIP network: monthly supervision summary"),
        "network/email/coordinator_summary",
    ),
}


def mail_kinds_register() -> None:
    """Called when the app is ready, in every process that may queue or send them."""
    for template, (subject, path) in KINDS.items():
        message_kind_register(template=template, subject=subject, path=path)
