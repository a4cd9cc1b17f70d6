"""Wagtail admin screens of the expert network; courses/wagtail_hooks.py registers them."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from courses.experts.models import Certification, Expert, SupervisionSession, Training

LOG_ACTIONS = {
    "courses.expert.paused": _("Expert paused"),
    "courses.expert.resumed": _("Expert resumed"),
    "courses.expert.left": _("Expert left the network"),
    "courses.expert.consent_given": _("Public listing consent given"),
    "courses.expert.consent_withdrawn": _("Public listing consent withdrawn"),
    "courses.expert.anonymised": _("Expert anonymised"),
    "courses.expert.imported": _("Expert imported"),
    "courses.supervision.attendance_recorded": _("Supervision attendance recorded"),
}


def expert_log_actions_register(actions) -> None:
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)


class ExpertViewSet(ModelViewSet):
    model = Expert
    icon = "user"
    menu_label = _("Experts")
    list_display = ["name", "organisation", "county", "city", "status"]
    list_filter = ["county", "status", "practises_assip", "practises_adoassip", "practises_home"]
    search_fields = ["name", "organisation", "city", "email"]
    form_fields = [
        "name",
        "title",
        "organisation",
        "county",
        "city",
        "email",
        "phone",
        "languages",
        "practises_assip",
        "practises_adoassip",
        "practises_home",
        "status",
        "public_listing_consent",
        "public_email_consent",
    ]
    inspect_view_enabled = True


class TrainingViewSet(ModelViewSet):
    model = Training
    icon = "doc-full"
    menu_label = _("Trainings")
    list_display = ["name", "starts_on", "ends_on", "place"]
    search_fields = ["name", "place", "trainers"]
    form_fields = ["name", "starts_on", "ends_on", "trainers", "place", "group"]


class CertificationViewSet(ModelViewSet):
    model = Certification
    icon = "tick-inverse"
    menu_label = _("Certifications")
    list_display = ["expert", "training", "certified_on", "certifier"]
    list_filter = ["training"]
    form_fields = ["expert", "training", "certified_on", "certifier"]


class SupervisionSessionViewSet(ModelViewSet):
    model = SupervisionSession
    icon = "group"
    menu_label = _("Supervision")
    list_display = ["held_on", "supervisor", "format"]
    list_filter = ["format"]
    search_fields = ["supervisor"]
    form_fields = ["held_on", "supervisor", "format", "attendees"]


class ExpertNetworkViewSetGroup(ViewSetGroup):
    menu_label = _("Linity/ASSIP network")
    menu_icon = "user"
    menu_order = 300
    items = [ExpertViewSet, TrainingViewSet, CertificationViewSet, SupervisionSessionViewSet]


expert_network_viewset_group = ExpertNetworkViewSetGroup()
