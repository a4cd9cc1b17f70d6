"""The public URLs of groups: what participants, visitors and facilitators open (the admin's
are in `groups/admin/urls.py`). `cms/urls.py` mounts each list under its prefix and namespace;
the paths and names are those links, e-mails and the permission matrix use."""

from django.urls import path

from groups.admin import history
from groups.views import interest, portal, public

app_name = "groups"

urlpatterns = [
    path("calendar/group/<int:group_id>.ics", public.group_calendar, name="group_calendar"),
    path("calendar/course/<int:course_id>.ics", public.course_calendar, name="course_calendar"),
    path("enrol/<int:group_id>/", public.enrol, name="enrol"),
    path("enrol/done/<str:token>/", public.enrol_done, name="enrol_done"),
    path("my/<str:token>/", public.manage, name="manage"),
    path("my/<str:token>/calendar.ics", public.manage_calendar, name="manage_calendar"),
    path("my/<str:token>/needs/", public.manage_needs, name="manage_needs"),
    path("my/<str:token>/phone/", public.manage_phone, name="manage_phone"),
    path("my/<str:token>/messages/", public.manage_channel, name="manage_channel"),
    path("my/<str:token>/stay/", public.manage_stay, name="manage_stay"),
    path("my/<str:token>/cancel/", public.manage_cancel, name="manage_cancel"),
    path("my/<str:token>/offer/", public.manage_offer, name="offer"),
    path(
        "my/<str:token>/meetings/<int:meeting_id>/cant-come/",
        public.manage_apology,
        name="apology",
    ),
]

# /interest/... (namespace "interest"), under the language prefix: leave an interest, its
# private page, and a place kept for it.
interest_urlpatterns = (
    [
        path("", interest.interest_new, name="new"),
        path("thank-you/", interest.interest_done, name="done"),
        path("my/<str:token>/", interest.interest_manage, name="manage"),
        path("my/<str:token>/keep/", interest.interest_keep, name="keep"),
        path("my/<str:token>/withdraw/", interest.interest_withdraw, name="withdraw"),
        path("place/<str:token>/", interest.hold_page, name="hold"),
    ],
    "interest",
)

# /certificate/<token>/ (namespace "certificates"), under the language prefix
certificate_urlpatterns = (
    [path("<str:token>/", public.certificate, name="certificate")],
    "certificates",
)

# /feedback/<token>/ (namespace "feedback"), under the language prefix
feedback_urlpatterns = ([path("<str:token>/", public.answer, name="answer")], "feedback")

# /facilitate/ (namespace "portal"), outside the language prefix
portal_urlpatterns = (
    [
        path("", portal.my_groups, name="home"),
        path("groups/<int:pk>/", portal.group_detail, name="group"),
        path("meetings/<int:pk>/register/", portal.meeting_register_view, name="register"),
        path(
            "groups/<int:group_pk>/reach-out/<int:enrolment_pk>/<int:meeting_pk>/",
            portal.follow_up_contacted,
            name="contacted",
        ),
    ],
    "portal",
)

# Wagtail's Site history behind the centre boundary (`groups/admin/history.py`), mounted at
# `<admin>/reports/` in front of Wagtail's own paths.
site_history_urlpatterns = history.urlpatterns
