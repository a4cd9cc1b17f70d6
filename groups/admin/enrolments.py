"""Wagtail admin for enrolments: the listing and its filters, the coordinator actions (each
calls one service) and the roster export.

Contact details and intake answers are not in the listing or inspect view; they leave the
system only through the roster export, which needs `groups.view_enrolment_contact`.
"""

import django_filters
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup

from cms.exports import export_format, spreadsheet_response
from groups.admin.forms import PhoneEnrolmentForm
from groups.admin.viewsets import CentreScopedViewSet
from groups.contacts import phone_masked
from groups.exceptions import EnrolmentError
from groups.forms import intake_answers_readable
from groups.models import Enrolment, OutboxMessage
from groups.scope import enrolments_for_user, groups_for_user
from groups.selectors.enrolment import enrolments_for_roster
from groups.services import enrolment as services
from groups.services.outbox import message_kind_label
from groups.services.privacy import contact_data_exported_log


class RiskCallColumn(Column):
    """A risk answer in words: whether the call is still to be made, blank when there is none."""

    def get_value(self, instance):
        if not instance.risk_flagged:
            return ""
        return gettext("Called") if instance.risk_call_done_at else gettext("Call needed")


class EnrolmentActionsColumn(Column):
    """Links to the coordinator actions that make sense for the enrolment's status."""

    cell_template_name = "groups/admin/enrolment_actions_cell.html"

    ACTIONS_BY_STATUS = {
        Enrolment.Status.PENDING: ["approve", "waitlist", "decline"],
        Enrolment.Status.WAITLISTED: ["offer", "confirm", "decline", "cancel"],
        Enrolment.Status.OFFERED: ["cancel"],
        Enrolment.Status.CONFIRMED: ["waitlist", "decline", "cancel"],
    }
    LABELS = {
        "approve": _("Approve"),
        "confirm": _("Confirm"),
        "waitlist": _("To waiting list"),
        "offer": _("Offer a place"),
        "decline": _("Decline"),
        "cancel": _("Cancel"),
    }

    def get_value(self, instance):
        return [
            {
                "label": self.LABELS[action],
                "url": reverse("groups_enrolment_action", args=[instance.pk, action]),
            }
            for action in self.ACTIONS_BY_STATUS.get(instance.status, [])
        ]


def _groups_of_user(request):
    return groups_for_user(user=request.user).select_related("course") if request else None


class EnrolmentFilterSet(WagtailFilterSet):
    """The group filter offers only the groups of the coordinator's centres."""

    group = django_filters.ModelChoiceFilter(queryset=_groups_of_user, label=_("Group"))

    class Meta:
        model = Enrolment
        fields = ["status", "risk_flagged", "group"]


class EnrolmentViewSet(CentreScopedViewSet):
    model = Enrolment
    icon = "group"
    menu_label = _("Enrolments")
    url_prefix = "enrolments"
    list_display = [
        "display_name",
        "group",
        "status",
        "queued_at",
        "offer_expires_at",
        RiskCallColumn("risk_flagged", label=_("Risk answer")),
        "created_at",
        EnrolmentActionsColumn("actions", label=_("Actions")),
    ]
    filterset_class = EnrolmentFilterSet
    search_fields = ["display_name"]
    ordering = ["group", "queued_at", "created_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "display_name",
        "group",
        "status",
        "language",
        "interpreter_language",
        "accessibility_needs",
        "risk_flagged",
        "risk_call_done_at",
        "queued_at",
        "placed_at",
        "offer_expires_at",
        "decline_message",
        "created_at",
        "consented_at",
        "consent_taken_by",
    ]
    # Coordinators adjust needs here; a risk call is marked on its own page (`risk_call_view`).
    # The status and the queue's order (`queued_at`, `placed_at`, `offer_expires_at`) change
    # only through the actions, which call the services; the inspect view shows them read-only.
    form_fields = ["interpreter_language", "accessibility_needs"]
    index_template_name = "groups/admin/enrolment_index.html"

    def get_index_view_kwargs(self, **kwargs):
        # The group column names the course: fetch both with the enrolments in one query.
        return super().get_index_view_kwargs(
            queryset=Enrolment.objects.select_related("group__course"), **kwargs
        )


def _recipient_shown(message: OutboxMessage) -> str:
    """A text message's number masked (groups.contacts.phone_masked); no e-mail address."""
    if message.channel == OutboxMessage.Channel.SMS:
        return phone_masked(message.recipient)
    return ""


class OutboxMessageViewSet(CentreScopedViewSet):
    """Outgoing e-mails and text messages, to see what failed or got stuck; no addresses
    shown, a phone number only masked. A coordinator tied to centres sees the messages to
    their centres' participants only."""

    model = OutboxMessage
    icon = "mail"
    url_prefix = "outbox"
    list_display = [
        Column(
            "template",
            label=_("Message"),
            accessor=lambda message: message_kind_label(message.template),
        ),
        "channel",
        Column("recipient", label=_("Recipient"), accessor=_recipient_shown),
        "language",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "template"]
    ordering = ["-created_at"]
    # A stuck or failed message is re-queued by setting its next attempt time.
    form_fields = ["next_attempt_at"]


class EnrolmentViewSetGroup(ViewSetGroup):
    menu_label = _("Enrolments")
    menu_icon = "group"
    menu_order = 210
    items = (EnrolmentViewSet("enrolments"), OutboxMessageViewSet("outbox"))


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
            messages.success(request, gettext("Done: %(action)s.") % {"action": label})
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
            gettext("yes") if enrolment.risk_flagged else "",
            timezone.localtime(enrolment.queued_at).isoformat() if enrolment.queued_at else "",
            "; ".join(f"{q}: {a}" for q, a in intake_answers_readable(enrolment.intake_answers)),
        ]
        for enrolment in enrolments
    ]
    response = spreadsheet_response(ROSTER_HEADERS, rows, export_format(request), "roster")
    response["Cache-Control"] = "no-store"
    return response


@permission_required("groups.change_enrolment", raise_exception=True)
def enrolment_phone_view(request: HttpRequest) -> HttpResponse:
    """An enrolment taken by phone, through the same service as the public form (the group's
    lock and places left hold), with the consent recorded as given orally to this user."""
    form = PhoneEnrolmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enrolment = services.enrolment_create(
                group_id=data["group"].pk,
                display_name=data["display_name"],
                email=data["email"],
                phone=data["phone"],
                message_channel=data["message_channel"],
                language=data["language"],
                interpreter_language=data["interpreter_language"],
                accessibility_needs=data["accessibility_needs"],
                consent_text_version=settings.ENROLMENT_CONSENT_VERSION,
                consent_taken_by=request.user,
            )
        except EnrolmentError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                gettext("Enrolment added: %(status)s.")
                % {"status": enrolment.get_status_display()},
            )
            return redirect(f"{reverse('enrolments:index')}?group={enrolment.group_id}")
    title = gettext("Add an enrolment taken by phone")
    return TemplateResponse(
        request,
        "groups/admin/enrolment_phone.html",
        {"form": form, "page_title": title, "header_title": title, "header_icon": "mobile-alt"},
        status=400 if form.errors else 200,
    )


@permission_required("groups.change_enrolment", raise_exception=True)
def enrolments_approve_view(request: HttpRequest) -> HttpResponse:
    """Approve pending enrolments in one go (optionally of one group): each one through the
    approval service, under the group's lock, logged; who could not be approved is said."""
    queryset = enrolments_for_user(
        user=request.user,
        queryset=Enrolment.objects.filter(status=Enrolment.Status.PENDING).select_related(
            "group__course"
        ),
    )
    group_id = request.GET.get("group", "")
    if group_id.isdigit():
        queryset = queryset.filter(group_id=int(group_id))
    if request.method == "POST":
        chosen = [int(pk) for pk in request.POST.getlist("enrolment") if pk.isdigit()]
        # Only enrolments this user may see: the centre boundary, as for one approval.
        allowed = list(queryset.filter(pk__in=chosen).values_list("pk", flat=True))
        approved, refused = services.enrolments_approve(enrolment_ids=allowed, user=request.user)
        if approved:
            messages.success(
                request,
                ngettext(
                    "%(count)d enrolment approved.", "%(count)d enrolments approved.", len(approved)
                )
                % {"count": len(approved)},
            )
        if refused:
            messages.warning(
                request,
                ngettext(
                    "%(count)d enrolment could not be approved: %(reasons)s",
                    "%(count)d enrolments could not be approved: %(reasons)s",
                    len(refused),
                )
                % {"count": len(refused), "reasons": " ".join(sorted(set(refused.values())))},
            )
        return redirect(request.get_full_path())
    title = gettext("Approve pending enrolments")
    return TemplateResponse(
        request,
        "groups/admin/enrolments_approve.html",
        {
            "enrolments": list(queryset.order_by("group__starts_on", "group_id", "created_at")),
            "page_title": title,
            "header_title": title,
            "header_icon": "tick",
        },
    )
