"""django-q2 entry points: they take primary keys, call a service and are safe to run twice."""

from django.utils import timezone

from cms.services.search import search_misses_purge
from cms.services.short_links import short_links_purge_expired
from groups.models import Group
from groups.selectors.enrolment import groups_with_free_places_and_queue
from groups.selectors.interest import groups_with_places_for_interests
from groups.services import enrolment as enrolment_services
from groups.services import interest as interest_services
from groups.services import outbox as outbox_services
from groups.services.go_no_go import group_go_no_go_check
from groups.services.privacy import retention_erase_due as _retention_erase_due


def go_no_go_check_due() -> int:
    """Check every open group whose go/no-go date has come; returns how many were checked."""
    due = Group.objects.filter(
        go_no_go_date__lte=timezone.localdate(),
        status__in=[Group.Status.OPEN, Group.Status.FULL],
        under_minimum_since__isnull=True,
    ).values_list("pk", flat=True)
    count = 0
    for group_id in due:
        group_go_no_go_check(group_id=group_id)
        count += 1
    return count


def outbox_send(message_id: int) -> str:
    return outbox_services.message_send(message_id=message_id).status


def outbox_send_due() -> int:
    return outbox_services.messages_send_due()


def place_offer_next(group_id: int) -> int:
    """Offer every free place of the group to the waiting list, one person at a time; places
    nobody waits for are kept for the oldest matching interests (docs/interest.md)."""
    offered = 0
    while enrolment_services.place_offer_next(group_id=group_id) is not None:
        offered += 1
    return offered + len(interest_services.holds_give(group_id=group_id))


def offers_expire_due() -> int:
    """Expire lapsed offers and kept places, then offer every free place still waiting for its
    offer task (if a worker was killed after a cancellation, the place is not lost) and keep
    free places of open groups for matching interests (a group whose enrolment opened by the
    clock); remind the people whose offer lapses within OFFER_REMINDER_HOURS."""
    expired = enrolment_services.offers_expire_due()
    expired += interest_services.holds_expire_due()
    outbox_services.offer_expiry_reminders_queue()
    for group_id in groups_with_free_places_and_queue():
        place_offer_next(group_id)
    for group_id in groups_with_places_for_interests():
        interest_services.holds_give(group_id=group_id)
    return expired


def meeting_reminders_queue() -> int:
    return outbox_services.meeting_reminders_queue()


def meeting_changed_notify(meeting_id: int) -> int:
    return outbox_services.meeting_changed_notify(meeting_id=meeting_id)


def feedback_links_send_due() -> int:
    """Mail the anonymous feedback links of groups that have just ended (daily)."""
    from groups.services.feedback import feedback_links_send_due as send_due

    return send_due()


def stay_reminders_queue() -> int:
    from groups.services.residential import stay_reminders_queue as queue

    return queue()


def retention_erase_due() -> int:
    """Daily: erase the personal data of enrolments past the retention period, the counts
    of searches without results older than SEARCH_MISS_DAYS (`cms.services.search`) and the
    short links that expired long ago (`cms.services.short_links`)."""
    search_misses_purge()
    short_links_purge_expired()
    return _retention_erase_due()
