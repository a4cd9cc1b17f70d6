"""Anonymous end-of-group feedback: issue one-time links, take answers.

Anonymity by construction: a token row knows only its group, a hash and whether it was used;
an answer knows only its group. The links are returned shuffled and are never stored with an
enrolment, so whoever sends them cannot be traced from the database either.
"""

import hashlib
import random
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from groups.exceptions import FeedbackError
from groups.models import Enrolment, FeedbackAnswer, FeedbackToken, Group, Meeting


def feedback_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feedback_links_issue(*, group: Group) -> list[str]:
    """One survey link (a path) per participant, in random order, once the last meeting is over."""
    meetings = group.meetings.exclude(status=Meeting.Status.CANCELLED)
    if not meetings.exists() or meetings.filter(ends_at__gt=timezone.now()).exists():
        raise FeedbackError(_("Feedback opens after the group's last meeting."), code="too_early")
    if FeedbackToken.objects.filter(group=group).exists():
        raise FeedbackError(_("Feedback links were already issued."), code="already_issued")
    count = group.enrolments.filter(
        status__in=[Enrolment.Status.CONFIRMED, Enrolment.Status.COMPLETED]
    ).count()
    tokens = [secrets.token_urlsafe(24) for _ in range(count)]
    random.SystemRandom().shuffle(tokens)
    FeedbackToken.objects.bulk_create(
        FeedbackToken(group=group, token_hash=feedback_token_hash(token)) for token in tokens
    )
    # In the group's language; the survey page has a language switcher for anyone else.
    with translation.override(group.language):
        return [reverse("feedback:answer", kwargs={"token": token}) for token in tokens]


def feedback_token_group(*, token: str) -> Group | None:
    """The group an unused link belongs to, or None."""
    row = (
        FeedbackToken.objects.filter(token_hash=feedback_token_hash(token), used=False)
        .select_related("group__course")
        .first()
    )
    return row.group if row else None


@transaction.atomic
def feedback_submit(*, token: str, helped: int, recommend: str, comment: str) -> FeedbackAnswer:
    """Use up the link (a conditional update: two tabs cannot both answer) and save the answer."""
    token_hash = feedback_token_hash(token)
    group_id = (
        FeedbackToken.objects.filter(token_hash=token_hash, used=False)
        .values_list("group_id", flat=True)
        .first()
    )
    if group_id is None or not FeedbackToken.objects.filter(
        token_hash=token_hash, used=False
    ).update(used=True):
        raise FeedbackError(_("This feedback link was already used."), code="used")
    answer = FeedbackAnswer(group_id=group_id, helped=helped, recommend=recommend, comment=comment)
    answer.full_clean()
    answer.save()
    return answer
