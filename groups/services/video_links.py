"""Online meetings: a group's video link, a meeting's own link, and telling people of a change.

The link is confidential (anyone holding it can join): it is never logged, never put in a
task's arguments or an outbox row (the message looks it up when it is sent), and a change is
told only to people who may already hold the old one (`video_link_changes_reach`).
"""

import datetime as dt
import hashlib

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.log_actions import log

from groups.models import Group, Meeting
from groups.selectors.meetings import video_link_changes_reach
from groups.services.outbox import video_link_changed_notify


def _change_key(*, link: str, now: dt.datetime) -> str:
    """Names one change in the messages' idempotency keys without spelling the link."""
    return hashlib.sha256(f"{link}|{now.isoformat()}".encode()).hexdigest()[:16]


def _changes_notify(*, meetings: QuerySet[Meeting], now: dt.datetime) -> int:
    count = 0
    for meeting in video_link_changes_reach(meetings=meetings, now=now):
        key = _change_key(link=meeting.video_link_in_use, now=now)
        count += video_link_changed_notify(meeting_id=meeting.pk, change_key=key)
    return count


def meeting_video_link_set(
    *, meeting: Meeting, video_link: str, user=None, now: dt.datetime | None = None
) -> Meeting:
    """Give one meeting its own video link (empty: the group's link again). If the link people
    join with changes, everyone with a confirmed place who may hold the old one is sent the
    new one, once each, in the same transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("group")
            .get(pk=meeting.pk)
        )
        before = meeting.video_link_in_use
        meeting.video_link = video_link
        meeting.full_clean(validate_unique=False, validate_constraints=False)
        meeting.save(update_fields=["video_link"])
        if meeting.video_link_in_use != before:
            log(meeting, "groups.meeting.video_link_changed", user=user)
            if meeting.video_link_in_use:
                _changes_notify(meetings=Meeting.objects.filter(pk=meeting.pk), now=now)
    return meeting


def group_video_link_changed(
    *, group: Group, previous: str, user=None, now: dt.datetime | None = None
) -> int:
    """After the group form saved a new video link: log it and send the new link to people
    who may hold the old one, for the meetings without a link of their own. Returns how many
    messages were queued."""
    now = now or timezone.now()
    if group.video_link == previous:
        return 0
    with transaction.atomic():
        log(group, "groups.group.video_link_changed", user=user)
        if not group.video_link:
            return 0
        return _changes_notify(meetings=group.meetings.filter(video_link=""), now=now)
