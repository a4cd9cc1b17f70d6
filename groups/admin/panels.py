"""Wagtail dashboard panels: what needs a coordinator's attention, of their own centres.

Each panel is shown only to users with the permission to act on it (`permission`), costs a
constant number of queries (a count and the first rows) and renders nothing when all is well.
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from groups.admin.interest import MostWantedPanel
from groups.selectors.dashboard import (
    DASHBOARD_ROWS,
    groups_missing_facilitator,
    groups_under_minimum,
    offers_expiring,
    outbox_failing,
    risk_calls_waiting,
)


def _short_date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def short_datetime(value) -> str:
    """In the admin user's language, Helsinki time."""
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else ""


class GoNoGoPanel(Component):
    name = "go_no_go"
    order = 50
    template_name = "groups/admin/go_no_go_panel.html"
    permission = "groups.change_group"

    def __init__(self, user=None):
        self.user = user

    def get_context_data(self, parent_context):
        return {"groups": list(groups_under_minimum(user=self.user))}

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not context["groups"]:
            return ""
        return super().render_html(parent_context)


class AttentionPanel(Component):
    """A heading, how many there are, and the first rows, each a link to where to act."""

    template_name = "groups/admin/attention_panel.html"
    heading = ""
    explanation = ""
    permission = ""

    def __init__(self, user):
        self.user = user

    def queryset(self):
        raise NotImplementedError

    def row(self, item) -> dict:
        raise NotImplementedError

    def get_context_data(self, parent_context=None):
        queryset = self.queryset()
        count = queryset.count()
        rows = [self.row(item) for item in queryset[:DASHBOARD_ROWS]] if count else []
        return {
            "panel": self,
            "count": count,
            "rows": rows,
            "more": max(count - DASHBOARD_ROWS, 0),
        }

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not context["count"]:
            return ""
        return render_to_string(self.template_name, context)


class MissingFacilitatorPanel(AttentionPanel):
    name = "missing_facilitator"
    order = 60
    heading = _("Groups missing a facilitator")
    explanation = _("Every group needs two facilitators.")
    permission = "groups.change_group"

    def queryset(self):
        return groups_missing_facilitator(user=self.user)

    def row(self, group) -> dict:
        return {
            "label": str(group),
            "detail": _short_date(group.starts_on),
            "url": reverse("groups_group:edit", args=[group.pk]),
        }


class RiskCallsPanel(AttentionPanel):
    name = "risk_calls"
    order = 40
    heading = _("Risk answers waiting for a call")
    explanation = _("Open a row to see who to call and their answers, then mark the call done.")
    permission = "groups.view_enrolment_contact"

    def queryset(self):
        return risk_calls_waiting(user=self.user)

    def row(self, enrolment) -> dict:
        return {
            "label": f"#{enrolment.pk} {enrolment.group}",
            "detail": short_datetime(enrolment.created_at),
            "url": reverse("groups_risk_call", args=[enrolment.pk]),
        }


class OffersExpiringPanel(AttentionPanel):
    name = "offers_expiring"
    order = 70
    heading = _("Offers about to expire")
    explanation = _("These offered places lapse within a day unless the person accepts.")
    permission = "groups.change_enrolment"

    def queryset(self):
        return offers_expiring(user=self.user)

    def row(self, enrolment) -> dict:
        return {
            "label": f"#{enrolment.pk} {enrolment.group}",
            "detail": short_datetime(enrolment.offer_expires_at),
            "url": reverse("enrolments:inspect", args=[enrolment.pk]),
        }


class OutboxFailingPanel(AttentionPanel):
    name = "outbox_failing"
    order = 80
    heading = _("Messages that could not be sent")
    explanation = _(
        "Check the e-mail address or phone number with the person; set a new attempt time "
        "to resend."
    )
    permission = "groups.change_outboxmessage"

    def queryset(self):
        return outbox_failing(user=self.user)

    def row(self, message) -> dict:
        return {
            "label": f"{message.template} #{message.pk} ({message.get_channel_display()})",
            "detail": short_datetime(message.created_at),
            "url": reverse("outbox:edit", args=[message.pk]),
        }


DASHBOARD_PANELS = [
    GoNoGoPanel,
    RiskCallsPanel,
    MissingFacilitatorPanel,
    OffersExpiringPanel,
    OutboxFailingPanel,
    MostWantedPanel,
]


def dashboard_panels(user) -> list[Component]:
    """The panels this user may act on."""
    return [panel(user) for panel in DASHBOARD_PANELS if user.has_perm(panel.permission)]
