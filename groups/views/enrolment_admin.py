"""Small Wagtail admin views: each coordinator action calls one service; the roster export."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.exports import spreadsheet_response
from groups.exceptions import EnrolmentError
from groups.models import Enrolment
from groups.scope import enrolments_for_user
from groups.selectors.enrolment import enrolments_for_roster
from groups.services import enrolment as services
from groups.services.privacy import contact_data_exported_log
from groups.viewsets_enrolment import EnrolmentActionsColumn

ACTIONS = {
    "approve": lambda enrolment, user, data: services.enrolment_approve(
        enrolment_id=enrolment.pk, user=user
    ),
    "confirm": lambda enrolment, user, data: services.enrolment_confirm(
        enrolment_id=enrolment.pk, user=user
    ),
    "waitlist": lambda enrolment, user, data: services.enrolment_waitlist(
        enrolment_id=enrolment.pk, user=user
    ),
    "offer": lambda enrolment, user, data: services.place_offer(
        enrolment_id=enrolment.pk, user=user
    ),
    "decline": lambda enrolment, user, data: services.enrolment_decline(
        enrolment_id=enrolment.pk, message=data.get("message", ""), user=user
    ),
    "cancel": lambda enrolment, user, data: services.enrolment_cancel(
        enrolment_id=enrolment.pk, user=user
    ),
}


@permission_required("groups.change_enrolment", raise_exception=True)
def enrolment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise PermissionDenied
    enrolment = get_object_or_404(
        enrolments_for_user(
            user=request.user, queryset=Enrolment.objects.select_related("group__course")
        ),
        pk=pk,
    )
    label = EnrolmentActionsColumn.LABELS[action]
    back_url = reverse("enrolments:index")
    error = None
    if request.method == "POST":
        try:
            ACTIONS[action](enrolment, request.user, request.POST)
        except EnrolmentError as exc:
            error = exc.message
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": label})
            return redirect(back_url)
    return render(
        request,
        "groups/admin/enrolment_action.html",
        {
            "enrolment": enrolment,
            "action_label": label,
            "page_title": label,
            "needs_message": action == "decline",
            "message": request.POST.get("message", ""),
            "error": error,
            "back_url": back_url,
        },
        status=400 if error else 200,
    )


ROSTER_HEADERS = [
    "group",
    "status",
    "display_name",
    "email",
    "phone",
    "language",
    "interpreter_language",
    "accessibility_needs",
    "risk_flagged",
    "queued_at",
    "intake_answers",
]


@permission_required("groups.view_enrolment_contact", raise_exception=True)
def roster_export(request: HttpRequest) -> HttpResponse:
    """Participants with contact details, for people allowed to see them (CSV or XLSX)."""
    queryset = enrolments_for_user(
        user=request.user, queryset=Enrolment.objects.filter(status__in=Enrolment.ACTIVE)
    )
    if request.GET.get("group", "").isdigit():
        queryset = queryset.filter(group_id=int(request.GET["group"]))
    enrolments = list(enrolments_for_roster(queryset))
    contact_data_exported_log(enrolments=enrolments, user=request.user, how="roster")
    rows = [
        [
            str(enrolment.group),
            str(enrolment.get_status_display()),
            enrolment.display_name,
            enrolment.email,
            enrolment.phone,
            enrolment.language,
            enrolment.interpreter_language,
            enrolment.accessibility_needs,
            _("yes") if enrolment.risk_flagged else "",
            timezone.localtime(enrolment.queued_at).isoformat() if enrolment.queued_at else "",
            "; ".join(f"{q}: {a}" for q, a in enrolment.intake_answers.items()),
        ]
        for enrolment in enrolments
    ]
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    response = spreadsheet_response(ROSTER_HEADERS, rows, fmt, "roster")
    response["Cache-Control"] = "no-store"
    return response
