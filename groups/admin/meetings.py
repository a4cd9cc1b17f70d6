"""Admin views of one meeting: cancel it, move it, or add one outside the rule. Each says
first how many people will be told, then calls the schedule service (which tells them through
the outbox after the commit). URLs in `groups/admin/urls.py`; the meeting list is on the
group's edit and inspect pages (`groups/admin/viewsets.py`)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cms.formats import meeting_format
from groups.admin.forms import (
    MeetingAddForm,
    MeetingCancelForm,
    MeetingTimeForm,
    MeetingVideoLinkForm,
)
from groups.exceptions import ScheduleError
from groups.models import Group, Meeting
from groups.scope import groups_for_user
from groups.selectors.meetings import (
    group_meeting_rows,
    meetings_for_user,
    people_to_tell,
    people_told_of_video_links,
)
from groups.services.schedule import (
    HELSINKI,
    meeting_add_extra,
    meeting_cancel,
    meeting_move,
    meeting_start,
)
from groups.services.video_links import meeting_video_link_set


def _wall_clock(value: dt.datetime) -> dt.datetime:
    """Helsinki wall-clock time, whatever time zone the admin user's profile has."""
    return value.astimezone(HELSINKI).replace(tzinfo=None)


def _place(group: Group) -> str:
    if group.mode == Group.Mode.REMOTE:
        return str(Group.Mode.REMOTE.label)
    place = str(group.venue or group.centre or "")
    if group.mode == Group.Mode.HYBRID:
        return f"{place} / {Group.Mode.REMOTE.label}" if place else str(Group.Mode.REMOTE.label)
    return place


def group_meetings_context(*, group: Group, user) -> dict:
    """The meeting list of a group's edit and inspect pages: date, time (Helsinki), place,
    status and note of each meeting, with the links to change it for who may."""
    can_change = user.has_perm("groups.change_group") and group.pk is not None
    place = _place(group) if group.pk else ""
    rows = []
    for meeting in group_meeting_rows(group=group) if group.pk else ():
        is_cancelled = meeting.status == Meeting.Status.CANCELLED
        rows.append(
            {
                "date": meeting_format(_wall_clock(meeting.starts_at), "MEETING_DATE_FORMAT"),
                "time": "\N{EN DASH}".join(
                    meeting_format(_wall_clock(value), "MEETING_TIME_FORMAT")
                    for value in (meeting.starts_at, meeting.ends_at)
                ),
                "iso": meeting.starts_at.isoformat(),
                "place": place,
                "status": meeting.get_status_display(),
                "is_cancelled": is_cancelled,
                "is_extra": meeting.is_extra,
                "title": meeting.title,
                "note": meeting.note,
                "register_taken": meeting.attendance_count > 0,
                "cancel_url": reverse("groups_meeting_cancel", args=[meeting.pk])
                if can_change and not is_cancelled
                else "",
                "move_url": reverse("groups_meeting_move", args=[meeting.pk])
                if can_change and not is_cancelled
                else "",
                "has_own_video_link": bool(meeting.video_link),
                "video_link_url": reverse("groups_meeting_video_link", args=[meeting.pk])
                if can_change and not is_cancelled
                else "",
            }
        )
    return {
        "meeting_rows": rows,
        "meeting_add_url": reverse("groups_meeting_add", args=[group.pk])
        if can_change and group.status != Group.Status.CANCELLED
        else "",
    }


def _render(request, *, form, group, meeting, title, submit_label, danger=False, video_link=False):
    told = (people_told_of_video_links if video_link else people_to_tell)(group=group).count()
    return TemplateResponse(
        request,
        "groups/admin/meeting_change.html",
        {
            "form": form,
            "group": group,
            "meeting": meeting,
            "meeting_when": meeting_format(
                _wall_clock(meeting.starts_at), "MEETING_DATETIME_FORMAT"
            )
            if meeting
            else "",
            "told": told,
            "video_link": video_link,
            "back_url": reverse("groups_group:edit", args=[group.pk]),
            "submit_label": submit_label,
            "danger": danger,
            "page_title": title,
            "header_title": _("%(title)s: %(group)s") % {"title": title, "group": group},
            "header_icon": "calendar",
        },
    )


def _done(request, group, message):
    messages.success(request, message)
    return redirect("groups_group:edit", group.pk)


def _meeting(request, pk: int):
    return get_object_or_404(meetings_for_user(user=request.user), pk=pk)


@permission_required("groups.change_group")
def meeting_cancel_view(request, pk: int):
    meeting = _meeting(request, pk)
    form = MeetingCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_cancel(meeting=meeting, user=request.user, note=form.cleaned_data["reason"])
        except ScheduleError as error:
            form.add_error(None, error.message)
        else:
            return _done(
                request, meeting.group, _("The meeting is cancelled; the participants are told.")
            )
    return _render(
        request,
        form=form,
        group=meeting.group,
        meeting=meeting,
        title=_("Cancel a meeting"),
        submit_label=_("Cancel the meeting"),
        danger=True,
    )


@permission_required("groups.change_group")
def meeting_move_view(request, pk: int):
    meeting = _meeting(request, pk)
    local_start = meeting.starts_at.astimezone(HELSINKI)
    initial = {
        "day": local_start.date(),
        "start_time": local_start.time().replace(second=0, microsecond=0),
        "duration_minutes": int((meeting.ends_at - meeting.starts_at) / dt.timedelta(minutes=1)),
    }
    form = MeetingTimeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting_move(
                meeting=meeting,
                starts_at=meeting_start(day=data["day"], start_time=data["start_time"]),
                duration_minutes=data["duration_minutes"],
                user=request.user,
                note=data["reason"],
            )
        except ScheduleError as error:
            form.add_error(None, error.message)
        else:
            return _done(
                request, meeting.group, _("The meeting is moved; the participants are told.")
            )
    return _render(
        request,
        form=form,
        group=meeting.group,
        meeting=meeting,
        title=_("Move a meeting"),
        submit_label=_("Move the meeting"),
    )


@permission_required("groups.change_group")
def meeting_add_view(request, pk: int):
    group = get_object_or_404(groups_for_user(user=request.user).select_related("course"), pk=pk)
    form = MeetingAddForm(
        request.POST or None,
        initial={"start_time": group.start_time, "duration_minutes": group.duration_minutes},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting_add_extra(
                group=group,
                starts_at=meeting_start(day=data["day"], start_time=data["start_time"]),
                duration_minutes=data["duration_minutes"],
                user=request.user,
                title=data["title"],
                note=data["reason"],
            )
        except ScheduleError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, group, _("The meeting is added; the participants are told."))
    return _render(
        request,
        form=form,
        group=group,
        meeting=None,
        title=_("Add a meeting"),
        submit_label=_("Add the meeting"),
    )


@permission_required("groups.change_group")
def meeting_video_link_view(request, pk: int):
    """A meeting's own video link (a one-off online meeting, or a new room for one meeting)."""
    meeting = _meeting(request, pk)
    form = MeetingVideoLinkForm(request.POST or None, initial={"video_link": meeting.video_link})
    if request.method == "POST" and form.is_valid():
        meeting_video_link_set(
            meeting=meeting, video_link=form.cleaned_data["video_link"], user=request.user
        )
        return _done(request, meeting.group, _("The meeting's video link is saved."))
    return _render(
        request,
        form=form,
        group=meeting.group,
        meeting=meeting,
        title=_("Video link of a meeting"),
        submit_label=_("Save the video link"),
        video_link=True,
    )
