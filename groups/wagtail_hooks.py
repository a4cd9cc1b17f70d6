from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from groups.admin_panels import dashboard_panels
from groups.admin_views import (
    facilitator_load_view,
    group_cancel_view,
    group_extend_view,
    group_feedback_send_view,
    group_import_view,
    group_merge_view,
    schedule_preview_view,
)
from groups.views import certificates, feedback, reports
from groups.views.reports import user_sees_reports
from groups.viewsets import GroupsViewSetGroup


@hooks.register("register_admin_viewset")
def register_group_viewsets():
    return GroupsViewSetGroup()


class PermissionMenuItem(MenuItem):
    """A menu link shown only to users with `permission` (the view checks it again)."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_urls")
def register_schedule_preview_url():
    return [
        path("group-schedule-preview/", schedule_preview_view, name="groups_schedule_preview"),
        path("facilitator-load/", facilitator_load_view, name="groups_facilitator_load"),
        path("group-import/", group_import_view, name="groups_group_import"),
        path("group-extend/<int:pk>/", group_extend_view, name="groups_group_extend"),
        path("group-cancel/<int:pk>/", group_cancel_view, name="groups_group_cancel"),
        path("group-merge/<int:pk>/", group_merge_view, name="groups_group_merge"),
        path(
            "group-feedback/<int:pk>/", group_feedback_send_view, name="groups_group_feedback_send"
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_facilitator_load_menu_item():
    return PermissionMenuItem(
        _("Facilitator load"),
        reverse("groups_facilitator_load"),
        icon_name="group",
        order=700,
        permission="groups.change_group",
    )


@hooks.register("insert_global_admin_css")
def schedule_admin_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("groups/css/recurrence-admin.css")
    )


@hooks.register("insert_global_admin_js")
def schedule_admin_js():
    return format_html('<script src="{}" defer></script>', static("groups/js/schedule-preview.js"))


@hooks.register("register_log_actions")
def register_schedule_log_actions(actions):
    actions.register_action(
        "groups.group.scheduled", _("Schedule: meetings updated"), _("Meetings updated")
    )
    actions.register_action("groups.group.cancelled", _("Group cancelled"), _("Group cancelled"))
    actions.register_action(
        "groups.meeting.cancelled", _("Meeting cancelled"), _("Meeting cancelled")
    )
    actions.register_action("groups.meeting.moved", _("Meeting moved"), _("Meeting moved"))
    actions.register_action(
        "groups.meeting.added", _("Extra meeting added"), _("Extra meeting added")
    )
    actions.register_action(
        "groups.group.under_minimum", _("Under the minimum size"), _("Under the minimum size")
    )
    actions.register_action(
        "groups.group.enrolment_extended", _("Enrolment extended"), _("Enrolment extended")
    )
    actions.register_action(
        "groups.group.merged", _("Merged into another group"), _("Merged into another group")
    )
    actions.register_action(
        "groups.group.merged_into",
        _("Another group merged into this one"),
        _("Another group merged into this one"),
    )
    actions.register_action(
        "groups.group.feedback_links_sent", _("Feedback links sent"), _("Feedback links sent")
    )


@hooks.register("construct_homepage_panels")
def add_attention_panels(request, panels):
    panels.extend(dashboard_panels(request.user))


@hooks.register("register_admin_menu_item")
def register_group_import_menu_item():
    return PermissionMenuItem(
        _("Import groups"),
        reverse("groups_group_import"),
        icon_name="upload",
        order=151,
        permission="groups.add_group",
    )


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
    "groups.enrolment.moved": (_("Moved to another group"), _("Moved to another group")),
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


@hooks.register("register_log_actions")
def register_groups_log_actions(actions):
    actions.register_action(
        "groups.attendance.recorded", _("Record attendance"), _("Attendance recorded")
    )
    actions.register_action(
        "groups.follow_up.contacted", _("Mark contacted"), _("Participant contacted")
    )


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return user_sees_reports(request.user)


@hooks.register("register_admin_urls")
def register_groups_report_urls():
    return [
        path("reports/groups/", reports.attendance_report, name="groups_attendance_report"),
        path("reports/feedback/", feedback.results, name="groups_feedback_results"),
        path(
            "reports/groups/<int:pk>/certificates/",
            certificates.group_certificates,
            name="groups_certificates",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_groups_report_menu_item():
    return ReportsMenuItem(
        _("Groups and attendance"),
        reverse("groups_attendance_report"),
        icon_name="table",
        order=700,
    )


@hooks.register("register_reports_menu_item")
def register_feedback_menu_item():
    return ReportsMenuItem(
        _("Group feedback"),
        reverse("groups_feedback_results"),
        icon_name="help",
        order=710,
    )


# --- Residential intensive courses (groups/views/residential_admin.py) ------------------------


@hooks.register("register_admin_urls")
def register_residential_urls():
    from groups.views import residential_admin as views

    return [
        path("residential/", views.residential_index, name="groups_residential_index"),
        path(
            "residential/<int:pk>/programme/",
            views.programme_view,
            name="groups_residential_programme",
        ),
        path("residential/<int:pk>/rooms/", views.allocation_view, name="groups_residential_rooms"),
        path(
            "residential/<int:pk>/rooming-list/",
            views.rooming_view,
            name="groups_residential_rooming",
        ),
        path("residential/<int:pk>/meals/", views.meals_view, name="groups_residential_meals"),
        path(
            "residential/<int:pk>/arrivals/",
            views.arrivals_view,
            name="groups_residential_arrivals",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_residential_menu_item():
    return PermissionMenuItem(
        _("Residential courses"),
        reverse("groups_residential_index"),
        icon_name="home",
        order=152,
        permission="groups.view_stay",
    )


# --- Personal data: data requests, retention, audit (issue 10) ---------------------------------


@hooks.register("register_admin_urls")
def register_privacy_admin_urls():
    from groups.views import privacy_admin

    return [
        path("privacy/requests/", privacy_admin.data_request, name="groups_data_request"),
        path("privacy/retention/", privacy_admin.retention_report, name="groups_retention_report"),
    ]


@hooks.register("register_reports_menu_item")
def register_data_request_menu_item():
    return PermissionMenuItem(
        _("Data requests"),
        reverse("groups_data_request"),
        icon_name="user",
        order=720,
        permission="groups.manage_personal_data",
    )


@hooks.register("register_reports_menu_item")
def register_retention_menu_item():
    return PermissionMenuItem(
        _("Retention"),
        reverse("groups_retention_report"),
        icon_name="bin",
        order=730,
        permission="groups.manage_personal_data",
    )


@hooks.register("register_log_actions")
def register_residential_log_actions(actions):
    actions.register_action(
        "groups.stay.updated", _("Stay details updated"), _("Stay details updated")
    )
    actions.register_action(
        "groups.group.rooms_allocated", _("Rooms allocated"), _("Rooms allocated")
    )


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    actions.register_action(
        "groups.group.contacts_exported",
        _("Contact details exported"),
        _("Contact details exported"),
    )
    actions.register_action(
        "groups.group.contacts_viewed",
        _("Contact details viewed on the roster"),
        _("Contact details viewed on the roster"),
    )
    actions.register_action(
        "groups.group.personal_data_erased",
        _("Personal data erased after the retention period"),
        _("Personal data erased after the retention period"),
    )
    actions.register_action(
        "groups.enrolment.data_exported",
        _("Person's data exported on request"),
        _("Person's data exported on request"),
    )
    actions.register_action(
        "groups.enrolment.erased",
        _("Person's data erased on request"),
        _("Person's data erased on request"),
    )
