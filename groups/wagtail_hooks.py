from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

ENROLMENT_LOG_ACTIONS = {
    "groups.enrolment.created": (_("Enrolment received"), _("Enrolment received")),
    "groups.enrolment.risk_flagged": (_("Risk answer: call needed"), _("Risk answer given")),
    "groups.enrolment.approved": (_("Enrolment approved"), _("Enrolment approved")),
    "groups.enrolment.confirmed": (_("Place confirmed"), _("Place confirmed")),
    "groups.enrolment.waitlisted": (_("Moved to the waiting list"), _("Moved to waiting list")),
    "groups.enrolment.declined": (_("Enrolment declined"), _("Enrolment declined")),
    "groups.enrolment.cancelled": (_("Enrolment cancelled"), _("Enrolment cancelled")),
    "groups.enrolment.completed": (_("Enrolment completed"), _("Enrolment completed")),
    "groups.enrolment.needs_updated": (_("Needs updated"), _("Needs updated")),
    "groups.enrolment.offered": (_("Place offered"), _("Place offered")),
    "groups.enrolment.offer_accepted": (_("Offer accepted"), _("Offer accepted")),
    "groups.enrolment.offer_declined": (_("Offer declined"), _("Offer declined")),
    "groups.enrolment.offer_expired": (_("Offer expired"), _("Offer expired")),
}


@hooks.register("register_log_actions")
def register_enrolment_log_actions(actions):
    for action, (label, message) in ENROLMENT_LOG_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("register_admin_viewset")
def register_enrolment_viewsets():
    from groups.viewsets_enrolment import enrolment_viewset_group

    return enrolment_viewset_group


@hooks.register("register_admin_urls")
def register_enrolment_admin_urls():
    from groups.views import enrolment_admin

    return [
        path(
            "enrolments/<int:pk>/do/<slug:action>/",
            enrolment_admin.enrolment_action,
            name="groups_enrolment_action",
        ),
        path("enrolments/roster/", enrolment_admin.roster_export, name="groups_roster_export"),
    ]
