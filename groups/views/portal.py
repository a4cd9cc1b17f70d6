"""The facilitator portal: my groups, the roster, the register and the reach-out list.

Thin: check the role, read through selectors, write through services. Someone else's group,
meeting or register is a 404, never a hint that it exists.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from groups.exceptions import AttendanceError
from groups.forms import RegisterForm
from groups.models import Meeting
from groups.selectors.portal import (
    group_meetings,
    group_roster,
    groups_facilitated_by,
    meeting_register,
    meetings_facilitated_by,
    portal_groups,
    reach_out_list,
    user_is_facilitator,
)
from groups.services.attendance import attendance_record_bulk, follow_up_mark_contacted
from groups.services.privacy import contact_data_viewed_log


def facilitator_required(view):
    """Logged in as a facilitator; never stored by a browser or proxy (every portal page names
    participants)."""

    @never_cache
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not user_is_facilitator(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@facilitator_required
def my_groups(request):
    return render(
        request, "groups/portal/my_groups.html", {"groups": portal_groups(user=request.user)}
    )


@facilitator_required
def group_detail(request, pk: int):
    group = get_object_or_404(groups_facilitated_by(user=request.user), pk=pk)
    roster = group_roster(group=group)
    if settings.FACILITATORS_SEE_CONTACTS:
        contact_data_viewed_log(group=group, user=request.user)
    return render(
        request,
        "groups/portal/group_detail.html",
        {
            "group": group,
            "roster": roster,
            "meetings": group_meetings(group=group),
            "reach_out": reach_out_list(group=group),
            "show_contacts": settings.FACILITATORS_SEE_CONTACTS,
        },
    )


@facilitator_required
def meeting_register_view(request, pk: int):
    meeting = get_object_or_404(meetings_facilitated_by(user=request.user), pk=pk)
    register = meeting_register(meeting=meeting)
    form = RegisterForm(request.POST if request.method == "POST" else None, register=register)
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = attendance_record_bulk(
                    meeting=meeting, statuses=form.statuses(), user=request.user
                )
            except AttendanceError as error:
                form.add_error(None, error.message)
            else:
                message = _("Register saved.")
                if wants_json(request):
                    return JsonResponse({"message": message, "saved": len(saved)})
                messages.success(request, message)
                return redirect("portal:register", pk=meeting.pk)
        if wants_json(request):
            errors = [str(error) for error in form.non_field_errors()]
            return JsonResponse({"message": " ".join(errors)}, status=400)
    return render(
        request,
        "groups/portal/register.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "form": form,
            "is_cancelled": meeting.status == Meeting.Status.CANCELLED,
            # The service refuses a register before the meeting starts; the form is not shown.
            "is_future": meeting.starts_at > timezone.now(),
        },
    )


@require_POST
@facilitator_required
def follow_up_contacted(request, group_pk: int, enrolment_pk: int, meeting_pk: int):
    group = get_object_or_404(groups_facilitated_by(user=request.user), pk=group_pk)
    enrolment = get_object_or_404(group.enrolments, pk=enrolment_pk)
    gap_start = get_object_or_404(group.meetings, pk=meeting_pk)
    follow_up_mark_contacted(enrolment=enrolment, gap_start=gap_start, user=request.user)
    messages.success(request, _("Marked as contacted."))
    return redirect("portal:group", pk=group.pk)
