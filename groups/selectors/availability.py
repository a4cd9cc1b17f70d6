"""A group's state for visitors: the one rule of whether it shows and takes enrolments.

The catalogue, the course page, the enrolment form, the enrolment service and the calendar feeds
all ask `group_state`, so the form refuses with the words the catalogue shows. A group of a
draft, of an unpublished course page or of a private (password or login restricted) page is
`HIDDEN`: it has no catalogue row, no enrolment form and no calendar (404).

Public pages: `public_course_q` is the same "live and not restricted" test as a query filter,
one subquery (no extra round trip), for lists and feeds.
"""

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q, TextChoices
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction

from groups.models import Group


class GroupState(TextChoices):
    """What a visitor may do in a group; the label is what the catalogue and the form say."""

    PLACES = "places", _("Places left")
    WAITLIST = "waitlist", _("Full: you can join the waiting list")
    NOT_YET_OPEN = "not_yet_open", _("Enrolment has not opened yet")
    CLOSED = "closed", _("Enrolment closed")
    FULL = "full", _("Full, enrolment closed")
    CANCELLED = "cancelled", _("This group is cancelled")
    ENDED = "ended", _("This group has ended")
    HIDDEN = "hidden", _("This group is not available")


# The states in which the enrolment form takes an enrolment.
ENROLLING = (GroupState.PLACES, GroupState.WAITLIST)


def public_course_q(prefix: str = "course__") -> Q:
    """Groups (by default) whose course page is live and open to everyone."""
    restrictions = PageViewRestriction.objects.annotate(depth_chars=Length("page__path")).filter(
        page__path=Substr(OuterRef(f"{prefix}path"), 1, F("depth_chars"))
    )
    return Q(**{f"{prefix}live": True}) & ~Q(Exists(restrictions))


def course_is_public(page: Page) -> bool:
    """One course page: live and not restricted (for a single group's page)."""
    return page.live and not page.get_view_restrictions().exists()


def group_state(
    *,
    group: Group,
    places_left: int,
    course_public: bool,
    now: dt.datetime | None = None,
) -> GroupState:
    """The one rule: whether `group` shows, and whether and how it takes an enrolment.
    `places_left` as `groups.capacity` counts them; `course_public` as `course_is_public`
    (or `public_course_q`) says."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if group.status == Group.Status.DRAFT or not course_public:
        return GroupState.HIDDEN
    if group.status == Group.Status.CANCELLED:
        return GroupState.CANCELLED
    if group.status == Group.Status.COMPLETED or (group.ends_on and group.ends_on < today):
        return GroupState.ENDED
    if group.status == Group.Status.FULL:
        return GroupState.FULL
    if group.status != Group.Status.OPEN:
        return GroupState.CLOSED
    if group.enrolment_opens and now < group.enrolment_opens:
        return GroupState.NOT_YET_OPEN
    if group.enrolment_closes and now >= group.enrolment_closes:
        return GroupState.FULL if places_left <= 0 else GroupState.CLOSED
    return GroupState.PLACES if places_left > 0 else GroupState.WAITLIST
