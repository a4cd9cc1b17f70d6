"""Accessibility feedback (Act on the Provision of Digital Services 306/2019): a visitor's
message is stored for the coordinators, who must reply within two weeks."""

from django.db import transaction
from wagtail.log_actions import log

from cms.models import AccessibilityFeedback


def accessibility_feedback_create(
    *, message: str, page_address: str, name: str, email: str, language: str
) -> AccessibilityFeedback:
    feedback = AccessibilityFeedback(
        message=message.strip(),
        page_address=page_address.strip(),
        name=name.strip(),
        email=email.strip(),
        language=language,
    )
    feedback.full_clean()
    with transaction.atomic():
        feedback.save()
        log(feedback, "cms.accessibility_feedback.received")
    return feedback
