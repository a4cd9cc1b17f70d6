from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from groups.views import certificates, feedback, reports
from groups.views.reports import user_sees_reports


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
