"""Writes for the register and its follow-up: one function per action."""

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from groups.exceptions import AttendanceError
from groups.models import Apology, Attendance, Enrolment, FollowUp, Meeting
from groups.selectors.portal import meeting_register
from groups.services.enrolment import enrolment_log


@transaction.atomic
def attendance_record_bulk(
    *, meeting: Meeting, statuses: Mapping[int, str], user
) -> list[Attendance]:
    """Save a whole register in one go: `statuses` maps enrolment ids to an attendance status.

    People left out keep what they had. Either facilitator may save; the last save wins and the
    log keeps who saved when (counts only, never names).
    """
    # Both facilitators may save at once: the meeting row serialises them, so the second sees
    # the first one's rows and updates them (last change wins) instead of inserting duplicates.
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("group").get(pk=meeting.pk)
    )
    if meeting.status == Meeting.Status.CANCELLED:
        raise AttendanceError(_("This meeting was cancelled."), code="cancelled")
    if meeting.starts_at > timezone.now():
        raise AttendanceError(
            _("This meeting has not started yet; its register opens when it starts."),
            code="future",
        )
    valid = set(Attendance.Status.values)
    if any(status not in valid for status in statuses.values()):
        raise AttendanceError(_("Choose one of the given statuses."), code="invalid_status")
    on_register = set(meeting_register(meeting=meeting).values_list("pk", flat=True))
    if not set(statuses) <= on_register:
        raise AttendanceError(
            _("Someone on this list is not on the meeting's register."), code="not_on_register"
        )

    now = timezone.now()
    existing = {row.enrolment_id: row for row in meeting.attendances.all()}
    to_update, to_create = [], []
    for enrolment_id, status in statuses.items():
        row = existing.get(enrolment_id)
        if row is None:
            to_create.append(
                Attendance(
                    meeting=meeting, enrolment_id=enrolment_id, status=status, recorded_by=user
                )
            )
        elif row.status != status or row.recorded_by_id != getattr(user, "pk", None):
            row.status, row.recorded_by, row.recorded_at = status, user, now
            to_update.append(row)
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["status", "recorded_by", "recorded_at"])
    if to_create or to_update:
        log(
            meeting,
            "groups.attendance.recorded",
            user=user,
            data={"created": len(to_create), "updated": len(to_update)},
        )
    return to_create + to_update


@transaction.atomic
def follow_up_mark_contacted(*, enrolment: Enrolment, gap_start: Meeting, user) -> FollowUp:
    """Note that a facilitator reached out after a run of absences (no free text on purpose)."""
    if gap_start.group_id != enrolment.group_id:
        raise AttendanceError(_("This meeting belongs to another group."), code="wrong_group")
    follow_up, created = FollowUp.objects.get_or_create(
        enrolment=enrolment,
        gap_start=gap_start,
        defaults={"contacted_by": user, "contacted_at": timezone.now()},
    )
    if created:
        enrolment_log(enrolment, "groups.follow_up.contacted", user=user)
    return follow_up


# --- "I can't come this time" ---------------------------------------------------------------


def _apology_check(*, enrolment: Enrolment, meeting: Meeting, now: dt.datetime) -> None:
    """Apologies are sent or withdrawn by a person with a confirmed place, for a meeting of
    their group that is on and has not started."""
    if enrolment.status != Enrolment.Status.CONFIRMED:
        raise AttendanceError(
            _("Only someone with a confirmed place can send apologies."), code="not_confirmed"
        )
    if meeting.group_id != enrolment.group_id:
        raise AttendanceError(_("This meeting belongs to another group."), code="wrong_group")
    if meeting.status == Meeting.Status.CANCELLED:
        raise AttendanceError(_("This meeting was cancelled."), code="cancelled")
    if meeting.starts_at <= now:
        raise AttendanceError(
            _(
                "This meeting has already started. If you cannot come, please tell the "
                "facilitators another way."
            ),
            code="started",
        )


@transaction.atomic
def apology_send(*, enrolment_id: int, meeting_id: int, now: dt.datetime | None = None) -> Apology:
    """Tell the facilitators the person cannot come to the meeting (shown on its register as
    sent apologies). Sending twice keeps the first."""
    now = now or timezone.now()
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
    meeting = Meeting.objects.get(pk=meeting_id)
    _apology_check(enrolment=enrolment, meeting=meeting, now=now)
    apology, created = Apology.objects.get_or_create(
        enrolment=enrolment, meeting=meeting, defaults={"sent_at": now}
    )
    if created:
        enrolment_log(enrolment, "groups.apology.sent", data={"meeting": meeting.pk})
    return apology


@transaction.atomic
def apology_withdraw(*, enrolment_id: int, meeting_id: int, now: dt.datetime | None = None) -> int:
    """ "I can come after all": take back the apologies until the meeting starts. Returns how
    many were taken back (0 if none had been sent)."""
    now = now or timezone.now()
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
    meeting = Meeting.objects.get(pk=meeting_id)
    _apology_check(enrolment=enrolment, meeting=meeting, now=now)
    deleted, _rows = Apology.objects.filter(enrolment=enrolment, meeting=meeting).delete()
    if deleted:
        enrolment_log(enrolment, "groups.apology.withdrawn", data={"meeting": meeting.pk})
    return deleted
