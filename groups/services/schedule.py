"""A group's schedule: turning its recurrence rule into meetings, and the exceptions to it.

Meetings are kept in Europe/Helsinki wall-clock time: a group that meets at 17:30 meets at
17:30 local time on both sides of a daylight-saving change, so each start is built from the
local date and time, never by adding weeks to a UTC instant.
"""

import copy
import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import recurrence
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from courses.models import CourseFormat
from groups.capacity import group_lock
from groups.exceptions import ScheduleError
from groups.models import Group, Meeting
from groups.selectors.facilitators import facilitator_clashes
from groups.services.interest import holds_release_group_gone
from groups.services.outbox import (
    group_cancelled_notify,
    meeting_changed_notify,
    schedule_changed_notify,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
PEER_GROUP_MEETINGS = (10, 15)
# A rule without an end would never stop; no course has anywhere near this many meetings.
MAX_MEETINGS = 60


def meeting_start(*, day: dt.date, start_time: dt.time) -> dt.datetime:
    """The aware instant of `start_time` Helsinki wall-clock time on `day`."""
    return dt.datetime.combine(day, start_time, tzinfo=HELSINKI)


def _local_date(value: dt.datetime | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            return value.astimezone(HELSINKI).date()
        return value.date()
    return value


def _rule_dates(
    rule: recurrence.Rule, *, dtstart: dt.datetime, schedule_from: dt.date, skip: set[dt.date]
) -> list[dt.date]:
    """The dates one weekly rule gives from `schedule_from`. A rule of COUNT meetings gives
    that many meetings after the skipped dates: "12 Tuesdays, not 8.12." is 12 meetings, the
    last one a week later (the widget's count is the number of meetings the coordinator sees).
    """
    count = rule.count
    if count:
        rule = copy.copy(rule)
        rule.count = None
    generator = recurrence.Recurrence(rrules=[rule], include_dtstart=False).occurrences(
        dtstart=dtstart
    )
    limit = MAX_MEETINGS + len(skip) + 1
    dates = []
    for value in itertools.islice(generator, limit if not count else limit + count):
        day = _local_date(value)
        if day < schedule_from or (count and day in skip):
            continue
        dates.append(day)
        if count and len(dates) == count:
            break
    return dates


def schedule_dates(
    *,
    schedule: recurrence.Recurrence | None,
    schedule_from: dt.date | None,
    course_format: str = CourseFormat.WEEKLY,
) -> list[dt.date]:
    """The meeting dates a rule gives, checked: weekly, ending, 10-15 dates for a weekly group.

    Excluded dates are matched by their Helsinki date (the admin widget sends them as UTC
    instants of local midnight) and do not count against a rule's COUNT. Raises
    `ScheduleError` with a message for the coordinator.
    """
    if schedule is None or not (schedule.rrules or schedule.rdates):
        raise ScheduleError(_("Add a weekly rule to the schedule."), code="no_rule")
    if schedule_from is None:
        raise ScheduleError(_("Give the date the schedule starts from."), code="no_schedule_from")
    for rule in schedule.rrules:
        if rule.freq != recurrence.WEEKLY:
            raise ScheduleError(_("The schedule must repeat weekly."), code="not_weekly")
        if not rule.count and not rule.until:
            raise ScheduleError(
                _("End the rule after a number of meetings or on a date."), code="no_end"
            )
    if schedule.exrules:
        raise ScheduleError(_("Skip single dates instead of a rule."), code="exrule")

    # Occurrences are generated on local midnights; only their dates are used.
    dtstart = dt.datetime.combine(schedule_from, dt.time.min, tzinfo=HELSINKI)
    excluded = {_local_date(value) for value in schedule.exdates}
    dates: set[dt.date] = set()
    for rule in schedule.rrules:
        dates.update(_rule_dates(rule, dtstart=dtstart, schedule_from=schedule_from, skip=excluded))
    dates.update(
        day for day in (_local_date(value) for value in schedule.rdates) if day >= schedule_from
    )
    dates = sorted(dates - excluded)
    if len(dates) > MAX_MEETINGS:
        raise ScheduleError(_("The schedule gives too many meetings."), code="too_many")
    if not dates:
        raise ScheduleError(_("The schedule gives no meeting dates."), code="empty")
    low, high = PEER_GROUP_MEETINGS
    if course_format == CourseFormat.WEEKLY and not low <= len(dates) <= high:
        raise ScheduleError(
            ngettext(
                "A peer-support group meets %(low)d-%(high)d times; this schedule gives "
                "%(count)d date.",
                "A peer-support group meets %(low)d-%(high)d times; this schedule gives "
                "%(count)d dates.",
                len(dates),
            )
            % {"low": low, "high": high, "count": len(dates)},
            code="meeting_count",
        )
    return dates


def group_schedule_dates(*, group: Group) -> list[dt.date]:
    return schedule_dates(
        schedule=group.schedule,
        schedule_from=group.schedule_from,
        course_format=group.course.format,
    )


def schedule_preview(
    *,
    schedule: recurrence.Recurrence | None,
    schedule_from: dt.date | None,
    start_time: dt.time | None,
    duration_minutes: int,
    course_format: str = CourseFormat.WEEKLY,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The (start, end) of every meeting a schedule would give, without saving anything."""
    if start_time is None:
        raise ScheduleError(_("Give the start time."), code="no_start_time")
    dates = schedule_dates(
        schedule=schedule, schedule_from=schedule_from, course_format=course_format
    )
    length = dt.timedelta(minutes=duration_minutes)
    return [
        (start, start + length)
        for start in (meeting_start(day=day, start_time=start_time) for day in dates)
    ]


def _group_dates_refresh(group: Group) -> None:
    """Keep the denormalised first and last meeting dates that the catalogue filters on."""
    starts = list(
        group.meetings.exclude(status=Meeting.Status.CANCELLED).values_list("starts_at", flat=True)
    )
    group.starts_on = _local_date(min(starts)) if starts else None
    group.ends_on = _local_date(max(starts)) if starts else None
    group.save(update_fields=["starts_on", "ends_on", "updated_at"])


def meetings_schedule(*, group: Group, user=None) -> Group:
    """Materialise the group's meetings from its rule; safe to run any number of times.

    A date the rule still gives keeps its meeting (a moved or cancelled one stays as the
    coordinator left it; a scheduled one takes the current start time and duration). A meeting
    whose date the rule no longer gives is deleted, unless attendance was taken at it. Extra
    meetings are never touched. When a coming meeting is added, moved or removed, the people
    holding a place are told the new times after the commit (one e-mail each).
    """
    now = timezone.now()
    with transaction.atomic():
        group = group_lock(group.pk)
        if group.start_time is None:
            raise ScheduleError(_("Give the start time."), code="no_start_time")
        dates = group_schedule_dates(group=group)
        length = dt.timedelta(minutes=group.duration_minutes)
        existing = {
            meeting.planned_on: meeting
            for meeting in group.meetings.filter(is_extra=False).order_by("pk")
        }
        created = updated = removed = 0
        coming_changed = False
        for day in dates:
            start = meeting_start(day=day, start_time=group.start_time)
            meeting = existing.pop(day, None)
            if meeting is None:
                Meeting.objects.create(
                    group=group, starts_at=start, ends_at=start + length, planned_on=day
                )
                created += 1
                coming_changed |= start >= now
            elif meeting.status == Meeting.Status.SCHEDULED and (
                meeting.starts_at != start or meeting.ends_at != start + length
            ):
                coming_changed |= max(meeting.starts_at, start) >= now
                meeting.starts_at, meeting.ends_at = start, start + length
                meeting.save(update_fields=["starts_at", "ends_at"])
                updated += 1
        for meeting in existing.values():
            if meeting.attendances.exists():
                continue
            coming_changed |= (
                meeting.starts_at >= now and meeting.status != Meeting.Status.CANCELLED
            )
            meeting.delete()
            removed += 1
        _group_dates_refresh(group)
        if coming_changed:
            group_id = group.pk
            transaction.on_commit(lambda: schedule_changed_notify(group_id=group_id))
        log(
            group,
            "groups.group.scheduled",
            user=user,
            data={"created": created, "updated": updated, "removed": removed},
        )
    return group


def _meeting_locked(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",)).select_related("group").get(pk=meeting.pk)
    )


def meeting_cancel(*, meeting: Meeting, user=None, note: str = "") -> Meeting:
    """Cancel one meeting; the group's participants are told after the commit."""
    with transaction.atomic():
        meeting = _meeting_locked(meeting)
        if meeting.status == Meeting.Status.CANCELLED:
            raise ScheduleError(_("The meeting is already cancelled."), code="already_cancelled")
        meeting.status = Meeting.Status.CANCELLED
        meeting.note = note
        meeting.save(update_fields=["status", "note"])
        _group_dates_refresh(meeting.group)
        log(meeting, "groups.meeting.cancelled", user=user)
        transaction.on_commit(lambda: meeting_changed_notify(meeting_id=meeting.pk))
    return meeting


def meeting_move(
    *,
    meeting: Meeting,
    starts_at: dt.datetime,
    duration_minutes: int | None = None,
    user=None,
    note: str = "",
) -> Meeting:
    """Give one meeting a new time. It keeps its planned date (and so its calendar UID), so
    re-materialising the schedule leaves it where the coordinator put it."""
    if timezone.is_naive(starts_at):
        starts_at = starts_at.replace(tzinfo=HELSINKI)
    with transaction.atomic():
        meeting = _meeting_locked(meeting)
        if meeting.status == Meeting.Status.CANCELLED:
            raise ScheduleError(_("A cancelled meeting cannot be moved."), code="cancelled")
        length = (
            dt.timedelta(minutes=duration_minutes)
            if duration_minutes
            else meeting.ends_at - meeting.starts_at
        )
        meeting.starts_at, meeting.ends_at = starts_at, starts_at + length
        meeting.status = Meeting.Status.MOVED
        meeting.note = note
        meeting.save(update_fields=["starts_at", "ends_at", "status", "note"])
        _group_dates_refresh(meeting.group)
        log(meeting, "groups.meeting.moved", user=user)
        transaction.on_commit(lambda: meeting_changed_notify(meeting_id=meeting.pk))
    return meeting


def meeting_add_extra(
    *,
    group: Group,
    starts_at: dt.datetime,
    duration_minutes: int | None = None,
    user=None,
    title: str = "",
    title_sv: str = "",
    title_en: str = "",
    note: str = "",
) -> Meeting:
    """Add a meeting outside the rule; the group's participants are told after the commit.
    `title` is in Finnish; `title_sv` and `title_en` are its Swedish and English versions."""
    if timezone.is_naive(starts_at):
        starts_at = starts_at.replace(tzinfo=HELSINKI)
    with transaction.atomic():
        group = group_lock(group.pk)
        if group.status == Group.Status.CANCELLED:
            raise ScheduleError(_("The group is cancelled."), code="group_cancelled")
        length = dt.timedelta(minutes=duration_minutes or group.duration_minutes)
        meeting = Meeting.objects.create(
            group=group,
            starts_at=starts_at,
            ends_at=starts_at + length,
            is_extra=True,
            title=title,
            title_sv=title_sv,
            title_en=title_en,
            note=note,
        )
        _group_dates_refresh(group)
        log(meeting, "groups.meeting.added", user=user)
        transaction.on_commit(lambda: meeting_changed_notify(meeting_id=meeting.pk))
    return meeting


def group_cancel(*, group: Group, user=None) -> Group:
    """Cancel a group and its coming meetings; everyone enrolled is told and offered the
    course's other open groups, everyone a place was kept for that their interest waits on."""
    with transaction.atomic():
        group = group_lock(group.pk)
        if group.status == Group.Status.CANCELLED:
            raise ScheduleError(_("The group is already cancelled."), code="already_cancelled")
        group.status = Group.Status.CANCELLED
        group.save(update_fields=["status", "updated_at"])
        group_cancelled_follow_up(group=group, user=user)
    return group


def group_cancelled_follow_up(*, group: Group, user=None) -> None:
    """What a group's cancellation does besides its status, however it was set (the cancel
    action above, or the status chosen in the group form): its coming meetings are cancelled,
    the places kept for interests go at once (those people are told their interest waits on),
    and everyone enrolled is told after the commit."""
    group.meetings.filter(starts_at__gte=timezone.now()).update(status=Meeting.Status.CANCELLED)
    log(group, "groups.group.cancelled", user=user)
    holds_release_group_gone(group_id=group.pk)
    transaction.on_commit(lambda: group_cancelled_notify(group_id=group.pk))


def facilitator_clash_errors(
    *, facilitators: dict[str, object], meetings, exclude_group_id: int | None = None
) -> dict[str, str]:
    """{field: message} for each facilitator who already leads another group's meeting that
    overlaps one of `meetings` ((start, end) pairs). The one clash check of group saving: the
    group form and the group import both ask it."""
    errors = {}
    for name, user in facilitators.items():
        clash = facilitator_clashes(
            user_ids=[user.pk] if user else [],
            intervals=meetings,
            exclude_group_id=exclude_group_id,
        ).first()
        if clash is not None:
            errors[name] = _("%(person)s already leads %(group)s at %(when)s.") % {
                "person": user.get_full_name() or user.get_username(),
                "group": clash.group,
                "when": date_format(timezone.localtime(clash.starts_at), "SHORT_DATETIME_FORMAT"),
            }
    return errors
