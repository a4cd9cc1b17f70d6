"""The admin menu entries of groups; each is shown only to users who may open it (the view
checks again). `groups/wagtail_hooks.py` registers them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from groups.admin.reports import user_sees_reports


class PermissionMenuItem(MenuItem):
    """A menu link shown only to users with `permission` (the view checks it again)."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return user_sees_reports(request.user)


# --- The main menu --------------------------------------------------------------------------


def group_import_menu_item():
    return PermissionMenuItem(
        _("Import groups"),
        reverse("groups_group_import"),
        icon_name="upload",
        order=151,
        permission="groups.add_group",
    )


def residential_menu_item():
    return PermissionMenuItem(
        _("Residential courses"),
        reverse("groups_residential_index"),
        icon_name="home",
        order=152,
        permission="groups.view_stay",
    )


# --- The reports menu -----------------------------------------------------------------------


def facilitator_load_menu_item():
    return PermissionMenuItem(
        _("Facilitator load"),
        reverse("groups_facilitator_load"),
        icon_name="group",
        order=700,
        permission="groups.change_group",
    )


def attendance_report_menu_item():
    return ReportsMenuItem(
        _("Groups and attendance"),
        reverse("groups_attendance_report"),
        icon_name="table",
        order=700,
    )


def interest_report_menu_item():
    return ReportsMenuItem(
        _("Interest in groups"),
        reverse("groups_interest_report"),
        icon_name="group",
        order=705,
    )


def feedback_results_menu_item():
    return ReportsMenuItem(
        _("Group feedback"),
        reverse("groups_feedback_results"),
        icon_name="help",
        order=710,
    )


def data_request_menu_item():
    return PermissionMenuItem(
        _("Data requests"),
        reverse("groups_data_request"),
        icon_name="user",
        order=720,
        permission="groups.manage_personal_data",
    )


def retention_menu_item():
    return PermissionMenuItem(
        _("Retention"),
        reverse("groups_retention_report"),
        icon_name="bin",
        order=730,
        permission="groups.manage_personal_data",
    )
