"""The expert network in the Wagtail admin: its menu and snippets, bulk actions, log actions,
the training certification screen and the dashboard panel. Everything of the network that
the admin shows is registered here."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet

from groups.admin.panels import AttentionPanel
from network.models import Training
from network.selectors import experts_due_reminder
from network.views import training_certify_view
from network.viewsets import (
    ExpertMarkLeftBulkAction,
    ExpertNetworkViewSetGroup,
    ExpertPauseBulkAction,
)

# Every audit action of the network, by its dotted name.
LOG_ACTIONS = {
    "network.expert.paused": _("Expert paused"),
    "network.expert.left": _("Expert left the network"),
    "network.expert.consent_given": _("Public listing consent given"),
    "network.expert.consent_withdrawn": _("Public listing consent withdrawn"),
    "network.expert.anonymised": _("Expert anonymised"),
    "network.expert.imported": _("Expert imported"),
    "network.expert.created_from_training": _("Expert created from a training group"),
    "network.expert.certified": _("Certified for a training"),
    "network.training.participants_certified": _("Group's participants certified"),
}

register_snippet(ExpertNetworkViewSetGroup)
hooks.register("register_bulk_action", ExpertPauseBulkAction)
hooks.register("register_bulk_action", ExpertMarkLeftBulkAction)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)


# --- Linity/ASSIP trainings run as groups (network/services/certification.py) ------------------


@hooks.register("register_admin_urls")
def register_training_certify_url():
    return [
        path(
            "expert-training/<int:pk>/certify/",
            training_certify_view,
            name="network_training_certify",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def training_certify_listing_button(snippet, user, next_url=None):
    if (
        isinstance(snippet, Training)
        and snippet.group_id
        and user.has_perm("network.change_expert")
    ):
        yield Button(
            _("Certify the group's participants"),
            url=reverse("network_training_certify", args=[snippet.pk]),
            icon_name="tick-inverse",
            priority=50,
        )


# --- Dashboard ---------------------------------------------------------------------------------


class ExpertsDuePanel(AttentionPanel):
    """Linity/ASSIP experts who will fall behind the supervision rule unless they attend soon
    (the rule of `network.selectors.experts_with_keeping_up`). Experts belong to the whole
    network, not to a centre."""

    name = "experts_due"
    order = 90
    heading = _("Experts due for supervision")
    explanation = _("They meet the supervision rule today but will not in a while.")
    permission = "network.change_expert"

    def queryset(self):
        return experts_due_reminder().order_by("name", "pk")

    def row(self, expert) -> dict:
        return {
            "label": expert.name,
            "detail": expert.city,
            "url": reverse("wagtailsnippets_network_expert:edit", args=[expert.pk]),
        }


@hooks.register("construct_homepage_panels")
def add_experts_due_panel(request, panels):
    if request.user.has_perm(ExpertsDuePanel.permission):
        panels.append(ExpertsDuePanel(request.user))
