"""Registers the groups admin with Wagtail; what is registered lives in `groups/admin/`."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from groups.admin import menu
from groups.admin.enrolments import EnrolmentViewSetGroup
from groups.admin.history import site_history_menu_hide
from groups.admin.log_actions import log_actions_register
from groups.admin.panels import dashboard_panels
from groups.admin.urls import urlpatterns as admin_urlpatterns
from groups.admin.viewsets import GroupsViewSetGroup


@hooks.register("register_admin_viewset")
def register_group_viewsets():
    return GroupsViewSetGroup()


@hooks.register("register_admin_viewset")
def register_enrolment_viewsets():
    return EnrolmentViewSetGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return admin_urlpatterns


hooks.register("register_reports_menu_item", menu.facilitator_load_menu_item)
hooks.register("register_admin_menu_item", menu.group_import_menu_item)
hooks.register("register_reports_menu_item", menu.attendance_report_menu_item)
hooks.register("register_reports_menu_item", menu.interest_report_menu_item)
hooks.register("register_reports_menu_item", menu.feedback_results_menu_item)
hooks.register("register_admin_menu_item", menu.residential_menu_item)
hooks.register("register_reports_menu_item", menu.data_request_menu_item)
hooks.register("register_reports_menu_item", menu.retention_menu_item)
hooks.register("register_log_actions", log_actions_register)
hooks.register("construct_reports_menu", site_history_menu_hide)


@hooks.register("construct_homepage_panels")
def add_attention_panels(request, panels):
    panels.extend(dashboard_panels(request.user))


@hooks.register("insert_global_admin_css")
def schedule_admin_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("groups/css/recurrence-admin.css")
    )


@hooks.register("insert_global_admin_js")
def schedule_admin_js():
    return format_html('<script src="{}" defer></script>', static("groups/js/schedule-preview.js"))
