"""Wagtail admin for enrolments: lists, filters and coordinator actions.

Contact details and intake answers are not in the listing or inspect view; they leave the
system only through the roster export, which needs `groups.view_enrolment_contact`.
"""

import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup

from groups.models import Enrolment, OutboxMessage
from groups.scope import groups_for_user
from groups.viewsets import CentreScopedViewSet


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
    centre_lookup = "group__centre"
    icon = "group"
    menu_label = _("Enrolments")
    url_prefix = "enrolments"
    list_display = [
        "display_name",
        "group",
        "status",
        "queued_at",
        "offer_expires_at",
        "risk_flagged",
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
        "offer_expires_at",
        "decline_message",
        "created_at",
    ]
    # Coordinators reorder the queue by its time, note a risk call, adjust needs; the status
    # only changes through the actions (services), never by editing the field.
    form_fields = ["queued_at", "risk_call_done_at", "interpreter_language", "accessibility_needs"]
    index_template_name = "groups/admin/enrolment_index.html"

    def get_index_view_kwargs(self, **kwargs):
        # The group column names the course: fetch both with the enrolments in one query.
        return super().get_index_view_kwargs(
            queryset=Enrolment.objects.select_related("group__course"), **kwargs
        )


class OutboxMessageViewSet(CentreScopedViewSet):
    """Outgoing e-mails, to see what failed or got stuck; no addresses shown. A coordinator
    tied to centres sees the messages to their centres' participants only."""

    model = OutboxMessage
    centre_lookup = "enrolment__group__centre"
    icon = "mail"
    url_prefix = "outbox"
    list_display = ["template", "language", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "template"]
    ordering = ["-created_at"]
    # A stuck or failed message is re-queued by setting its next attempt time.
    form_fields = ["next_attempt_at"]


class EnrolmentViewSetGroup(ViewSetGroup):
    menu_label = _("Enrolments")
    menu_icon = "group"
    menu_order = 210
    items = (EnrolmentViewSet("enrolments"), OutboxMessageViewSet("outbox"))


enrolment_viewset_group = EnrolmentViewSetGroup()
