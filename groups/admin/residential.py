"""Coordinator screens of a residential course in the Wagtail admin: the programme, room
allocation, rooming list, meal counts and arrivals (printable, and as CSV/XLSX).

Every screen gets its course through the centre boundary (`groups.scope`): a residential
course belongs to the crisis centre that organises it (`Group.centre`); another centre's course
is a 404, for GET and POST alike.

Who sees what: the lists name people and hold their travel, room and diet, so every screen
needs `groups.view_stay`; allocating rooms needs `groups.change_stay`, editing the programme
`groups.change_meeting`.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets import AdminDateInput, AdminTimeInput

from cms.exports import spreadsheet_response
from courses.models import CourseFormat
from groups.exceptions import AllocationError, ScheduleError
from groups.models import Group, Meeting
from groups.scope import groups_for_user, scoped_object
from groups.selectors.residential import (
    allergy_summary,
    arrivals,
    group_stays,
    meal_counts,
    programme_days,
    residential_groups,
    rooming_list,
    venue_rooms,
)
from groups.services.residential import (
    programme_session_add,
    programme_session_move,
    rooms_allocate,
)
from groups.services.schedule import meeting_cancel

MEAL_LABELS = {
    "breakfast": gettext_lazy("Breakfast"),
    "lunch": gettext_lazy("Lunch"),
    "dinner": gettext_lazy("Dinner"),
}
EXPORT_FORMATS = ("csv", "xlsx")


def _group(request: HttpRequest, pk: int) -> Group:
    """The residential course, if the centre organising it is one of the user's (else 404)."""
    return scoped_object(
        Group.objects.select_related("course", "venue").filter(
            course__format=CourseFormat.RESIDENTIAL
        ),
        user=request.user,
        pk=pk,
    )


def _page(request, template: str, group: Group | None, title: str, **context) -> TemplateResponse:
    header = f"{title}: {group}" if group else title
    return TemplateResponse(
        request,
        template,
        {
            "group": group,
            "page_title": header,
            "header_title": header,
            "header_icon": "home",
            **context,
        },
    )


def _yes(value: bool) -> str:
    return _("yes") if value else ""


@permission_required("groups.view_stay", raise_exception=True)
def residential_index(request: HttpRequest) -> TemplateResponse:
    return _page(
        request,
        "groups/admin/residential_index.html",
        None,
        _("Residential courses"),
        groups=list(groups_for_user(user=request.user, queryset=residential_groups())),
    )


class SessionForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Day"), widget=AdminDateInput)
    starts = forms.TimeField(label=gettext_lazy("Starts"), widget=AdminTimeInput)
    ends = forms.TimeField(label=gettext_lazy("Ends"), widget=AdminTimeInput)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    title_sv = forms.CharField(
        label=gettext_lazy("Title in Swedish"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Shown on Swedish pages; empty: the Finnish title, marked as Finnish."
        ),
    )
    title_en = forms.CharField(
        label=gettext_lazy("Title in English"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Shown on English pages; empty: the Finnish title, marked as Finnish."
        ),
    )


class SessionMoveForm(SessionForm):
    title = None
    title_sv = None
    title_en = None


def _session_initial(meeting: Meeting) -> dict:
    starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    return {"day": starts.date(), "starts": starts.time(), "ends": ends.time()}


@permission_required("groups.change_meeting", raise_exception=True)
def programme_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme day by day; a session is added, moved or cancelled here, and everyone
    holding a place is told of the change by e-mail."""
    group = _group(request, pk)
    action = request.POST.get("action", "")
    meeting_id = request.POST.get("meeting") or request.GET.get("move") or ""
    moving = None
    if meeting_id.isdigit() and action != "cancel":
        moving = get_object_or_404(Meeting, pk=int(meeting_id), group=group)
    if moving is not None:
        form = SessionMoveForm(
            request.POST if action == "move" else None, initial=_session_initial(moving)
        )
    else:
        form = SessionForm(request.POST if action == "add" else None)
    if request.method == "POST":
        try:
            if action == "cancel":
                meeting = get_object_or_404(Meeting, pk=meeting_id, group=group)
                meeting_cancel(meeting=meeting, user=request.user)
                messages.success(request, _("The session is cancelled; participants are told."))
                return redirect("groups_residential_programme", pk=group.pk)
            if form.is_valid():
                if moving is not None:
                    programme_session_move(meeting=moving, user=request.user, **form.cleaned_data)
                    messages.success(request, _("The session is moved; participants are told."))
                else:
                    programme_session_add(group=group, user=request.user, **form.cleaned_data)
                    messages.success(request, _("The session is added."))
                return redirect("groups_residential_programme", pk=group.pk)
        except ScheduleError as error:
            form.add_error(None, error.message)
    response = _page(
        request,
        "groups/admin/residential_programme.html",
        group,
        _("Programme"),
        days=programme_days(group.meetings.all()),
        form=form,
        moving=moving,
    )
    response.status_code = 400 if form.errors else 200
    return response


def _room_field_name(enrolment_id: int) -> str:
    return f"room-{enrolment_id}"


@permission_required(["groups.view_stay", "groups.change_stay"], raise_exception=True)
def allocation_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One select per person; the whole allocation is checked and saved at once. On an error
    the coordinator's choices stay in the form with the reason beside each row."""
    group = _group(request, pk)
    rooms = venue_rooms(group=group)
    stays = list(group_stays(group=group))
    errors: dict = {}
    message = ""
    chosen = {stay.enrolment_id: stay.room_id for stay in stays}
    if request.method == "POST":
        for stay in stays:
            value = request.POST.get(_room_field_name(stay.enrolment_id), "")
            chosen[stay.enrolment_id] = int(value) if value.isdigit() else None
        try:
            rooms_allocate(group_id=group.pk, allocation=chosen, user=request.user)
        except AllocationError as error:
            errors, message = error.errors, error.message
        else:
            messages.success(request, _("The rooms are saved."))
            return redirect("groups_residential_rooms", pk=group.pk)
    rows = [
        {
            "stay": stay,
            "field": _room_field_name(stay.enrolment_id),
            "chosen": chosen.get(stay.enrolment_id),
            "errors": errors.get(stay.enrolment_id, []),
        }
        for stay in stays
    ]
    response = _page(
        request,
        "groups/admin/residential_allocation.html",
        group,
        _("Room allocation"),
        rows=rows,
        rooms=rooms,
        error_message=message,
    )
    response.status_code = 400 if errors else 200
    return response


def _wants_export(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "")
    return fmt if fmt in EXPORT_FORMATS else ""


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@permission_required("groups.view_stay", raise_exception=True)
def rooming_view(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    rooms, unallocated = rooming_list(group=group)
    fmt = _wants_export(request)
    if fmt:
        header = [_("Room"), _("Beds"), _("Accessible"), _("Name"), _("Arrival"), _("Departure")]
        body = [
            [
                room.name,
                room.beds,
                _yes(room.accessible),
                stay.enrolment.display_name,
                stay.arrives_on.isoformat(),
                stay.departs_on.isoformat(),
            ]
            for room in rooms
            for stay in room.occupants
        ] + [
            ["", "", "", stay.enrolment.display_name, stay.arrives_on.isoformat(), ""]
            for stay in unallocated
        ]
        return _no_store(spreadsheet_response(header, body, fmt, f"rooming-list-{group.pk}"))
    return _page(
        request,
        "groups/admin/residential_rooming.html",
        group,
        _("Rooming list"),
        rooms=rooms,
        unallocated=unallocated,
    )


@permission_required("groups.view_stay", raise_exception=True)
def meals_view(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    rows = meal_counts(group=group)
    for row in rows:
        row.label = MEAL_LABELS[row.meal]
    fmt = _wants_export(request)
    if fmt:
        header = [
            _("Day"),
            _("Meal"),
            _("Meals"),
            _("Vegetarian"),
            _("Vegan"),
            _("Gluten-free"),
            _("Lactose-free"),
            _("With allergies"),
        ]
        body = [
            [
                row.day.isoformat(),
                str(row.label),
                row.total,
                row.vegetarian,
                row.vegan,
                row.gluten_free,
                row.lactose_free,
                row.allergies,
            ]
            for row in rows
        ]
        return _no_store(spreadsheet_response(header, body, fmt, f"meal-counts-{group.pk}"))
    return _page(
        request,
        "groups/admin/residential_meals.html",
        group,
        _("Meal counts"),
        rows=rows,
        allergies=allergy_summary(group=group),
    )


@permission_required("groups.view_stay", raise_exception=True)
def arrivals_view(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    stays, pickups = arrivals(group=group)
    fmt = _wants_export(request)
    if fmt:
        header = [
            _("Name"),
            _("Arrival"),
            _("Time"),
            _("Travel"),
            _("Pickup from the station"),
            _("Departure"),
        ]
        body = [
            [
                stay.enrolment.display_name,
                stay.arrives_on.isoformat(),
                stay.arrival_time.strftime("%H:%M") if stay.arrival_time else "",
                str(stay.get_travel_mode_display()) if stay.travel_mode else "",
                _yes(stay.pickup_wanted),
                stay.departs_on.isoformat(),
            ]
            for stay in stays
        ]
        return _no_store(spreadsheet_response(header, body, fmt, f"arrivals-{group.pk}"))
    return _page(
        request,
        "groups/admin/residential_arrivals.html",
        group,
        _("Arrivals"),
        stays=stays,
        pickups=pickups,
    )
