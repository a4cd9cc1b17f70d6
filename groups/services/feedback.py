"""Anonymous end-of-group feedback: issue one-time links, mail them, take answers.

Anonymity by construction: a token row knows only its group, a hash and whether it was used;
an answer knows only its group. Which link went to whom exists only in memory while the links
are handed out (and in each person's own mailbox): it is never stored, not with an enrolment,
not in the outbox, not in a log.
"""

import datetime as dt
import hashlib
import logging
import random
import secrets
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.links import absolute_url
from groups.capacity import group_lock
from groups.exceptions import FeedbackError
from groups.models import Enrolment, FeedbackAnswer, FeedbackToken, Group, Meeting
from groups.services.outbox import enrolment_context, mail_render

logger = logging.getLogger(__name__)

# Who is asked: the people who took part.
RESPONDENT_STATUSES = (Enrolment.Status.CONFIRMED, Enrolment.Status.COMPLETED)


def feedback_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _tokens_issue(*, group: Group, count: int) -> list[str]:
    """Check the group may be asked, store `count` token hashes and mark the group issued.

    Runs inside the caller's transaction with the group row locked. The tokens come back in a
    fresh random order, independent of the order their rows were created in (row ids grow in
    creation order), so neither a row's id nor its position says whose link it is.
    """
    meetings = group.meetings.exclude(status=Meeting.Status.CANCELLED)
    if not meetings.exists() or meetings.filter(ends_at__gt=timezone.now()).exists():
        raise FeedbackError(_("Feedback opens after the group's last meeting."), code="too_early")
    if group.feedback_issued_at or FeedbackToken.objects.filter(group=group).exists():
        raise FeedbackError(_("Feedback links were already issued."), code="already_issued")
    tokens = [secrets.token_urlsafe(24) for _ in range(count)]
    FeedbackToken.objects.bulk_create(
        FeedbackToken(group=group, token_hash=feedback_token_hash(token)) for token in tokens
    )
    random.SystemRandom().shuffle(tokens)
    group.feedback_issued_at = timezone.now()
    group.save(update_fields=["feedback_issued_at", "updated_at"])
    return tokens


def _link(token: str, language: str) -> str:
    with translation.override(language):
        return reverse("feedback:answer", kwargs={"token": token})


def feedback_links_issue(*, group: Group) -> list[str]:
    """One survey link (a path) per participant, in random order, once the last meeting is over.

    For handing links out by hand; `feedback_links_send` mails them instead."""
    with transaction.atomic():
        group = group_lock(group.pk)
        count = group.enrolments.filter(status__in=RESPONDENT_STATUSES).count()
        tokens = _tokens_issue(group=group, count=count)
    # In the group's language; the survey page has a language switcher for anyone else.
    return [_link(token, group.language) for token in tokens]


@dataclass(frozen=True)
class FeedbackSending:
    """How a sending went, in counts only."""

    sent: int
    failed: int
    without_email: int


def feedback_links_send(*, group_id: int, user=None) -> FeedbackSending:
    """Issue the group's feedback links and e-mail each participant one, in their language.

    Each participant with an e-mail address gets exactly one link. The links are paired with
    the people in memory, in an order unrelated to the stored rows, and mailed directly through
    Django's mail API (one connection for the group), never through the outbox: an outbox row
    is tied to its enrolment and keeps its body for retries, which is exactly the link between
    a token and a person this survey must not have. People who gave only a phone number get
    nothing (there is no channel for a link that keeps no record).

    Crash safety: at most once, by design. The group is marked issued and the token hashes are
    committed before the first mail leaves; a rerun (or the daily task) skips a marked group.
    If the worker dies while mailing, the people not yet mailed get no link, and nobody can
    find out who they were; a second link is never sent, and a first link never works without
    its stored hash. The connection to the mail server is opened before anything is issued, so
    an unreachable server (the common failure) leaves the group unissued for the next run. A
    mail the server refuses is counted as failed and not retried, since a retry after an
    unclear failure could deliver a second link. The audit log keeps the counts.
    """
    connection = get_connection()
    connection.open()  # fails before anything is issued if the mail server does not answer
    try:
        with transaction.atomic(durable=True):
            group = group_lock(group_id)
            participants = list(
                group.enrolments.filter(status__in=RESPONDENT_STATUSES).select_related(
                    "group__course"
                )
            )
            recipients = [enrolment for enrolment in participants if enrolment.email]
            tokens = _tokens_issue(group=group, count=len(recipients))
            log(
                group,
                "groups.group.feedback_links_sent",
                user=user,
                data={"issued": len(tokens)},
            )
            mails = [
                _feedback_mail(enrolment, token, connection)
                for enrolment, token in zip(recipients, tokens, strict=True)
            ]
        sent = failed = 0
        for mail in mails:
            try:
                sent += connection.send_messages([mail]) or 0
            except Exception as error:
                failed += 1
                # The class only: the error's text could carry the address.
                logger.warning(
                    "A feedback link to group %s failed: %s", group_id, type(error).__name__
                )
    finally:
        connection.close()
    result = FeedbackSending(
        sent=sent, failed=failed, without_email=len(participants) - len(recipients)
    )
    logger.info("Feedback links for group %s: %s sent, %s failed", group_id, sent, failed)
    return result


def _feedback_mail(enrolment: Enrolment, token: str, connection) -> EmailMultiAlternatives:
    context = {
        **enrolment_context(enrolment),
        "feedback_url": absolute_url(_link(token, enrolment.language)),
    }
    subject, text, html = mail_render(
        template="feedback_invite", language=enrolment.language, context=context
    )
    mail = EmailMultiAlternatives(subject, text, to=[enrolment.email], connection=connection)
    mail.attach_alternative(html, "text/html")
    return mail


def feedback_links_send_due(*, days_after_end: int = 14) -> int:
    """Mail the feedback links of every group whose last meeting has ended (at most
    `days_after_end` days ago, so that turning this on does not write to long-finished groups);
    a group already issued is skipped. Returns how many groups were sent."""
    today = timezone.localdate()
    due = Group.objects.filter(
        feedback_issued_at__isnull=True,
        ends_on__lte=today,
        ends_on__gte=today - dt.timedelta(days=days_after_end),
    ).exclude(status__in=[Group.Status.CANCELLED, Group.Status.DRAFT])
    count = 0
    for group_id in due.values_list("pk", flat=True):
        try:
            feedback_links_send(group_id=group_id)
        except FeedbackError:
            continue  # the last meeting is later today, or another run got there first
        count += 1
    return count


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
