"""The admin views' URLs, mounted under the Wagtail admin by `groups/wagtail_hooks.py`. The
names are global (`groups_*`): templates, e-mails and the permission matrix reverse them."""

from django.urls import path

from groups.admin import (
    certificates,
    enrolments,
    feedback,
    groups,
    imports,
    interest,
    meetings,
    privacy,
    reports,
    residential,
    risk_calls,
)

urlpatterns = [
    # A group as a whole
    path("group-schedule-preview/", groups.schedule_preview_view, name="groups_schedule_preview"),
    path("facilitator-load/", groups.facilitator_load_view, name="groups_facilitator_load"),
    path("group-import/", imports.group_import_view, name="groups_group_import"),
    path("group-extend/<int:pk>/", groups.group_extend_view, name="groups_group_extend"),
    path("group-cancel/<int:pk>/", groups.group_cancel_view, name="groups_group_cancel"),
    path("group-merge/<int:pk>/", groups.group_merge_view, name="groups_group_merge"),
    path(
        "group-feedback/<int:pk>/",
        feedback.group_feedback_send_view,
        name="groups_group_feedback_send",
    ),
    # One meeting of a group
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel_view, name="groups_meeting_cancel"),
    path("meetings/<int:pk>/move/", meetings.meeting_move_view, name="groups_meeting_move"),
    path(
        "meetings/<int:pk>/video-link/",
        meetings.meeting_video_link_view,
        name="groups_meeting_video_link",
    ),
    path("group-meetings/<int:pk>/add/", meetings.meeting_add_view, name="groups_meeting_add"),
    # Enrolments
    path(
        "enrolments/<int:pk>/do/<slug:action>/",
        enrolments.enrolment_action,
        name="groups_enrolment_action",
    ),
    path("enrolments/roster/", enrolments.roster_export, name="groups_roster_export"),
    path("enrolments/phone/", enrolments.enrolment_phone_view, name="groups_enrolment_phone"),
    path(
        "enrolments/approve/", enrolments.enrolments_approve_view, name="groups_enrolments_approve"
    ),
    path("risk-calls/<int:pk>/", risk_calls.risk_call_view, name="groups_risk_call"),
    # Reports
    path("reports/groups/", reports.attendance_report, name="groups_attendance_report"),
    path("reports/feedback/", feedback.results, name="groups_feedback_results"),
    path("reports/interest/", interest.interest_report, name="groups_interest_report"),
    path(
        "reports/groups/<int:pk>/certificates/",
        certificates.group_certificates,
        name="groups_certificates",
    ),
    # Residential courses
    path("residential/", residential.residential_index, name="groups_residential_index"),
    path(
        "residential/<int:pk>/programme/",
        residential.programme_view,
        name="groups_residential_programme",
    ),
    path(
        "residential/<int:pk>/rooms/", residential.allocation_view, name="groups_residential_rooms"
    ),
    path(
        "residential/<int:pk>/rooming-list/",
        residential.rooming_view,
        name="groups_residential_rooming",
    ),
    path("residential/<int:pk>/meals/", residential.meals_view, name="groups_residential_meals"),
    path(
        "residential/<int:pk>/arrivals/",
        residential.arrivals_view,
        name="groups_residential_arrivals",
    ),
    # Personal data
    path("privacy/requests/", privacy.data_request, name="groups_data_request"),
    path("privacy/retention/", privacy.retention_report, name="groups_retention_report"),
]
