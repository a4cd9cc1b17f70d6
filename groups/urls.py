from django.urls import path

from groups.views import calendar, enrolment

app_name = "groups"

urlpatterns = [
    path("calendar/group/<int:group_id>.ics", calendar.group_calendar, name="group_calendar"),
    path("calendar/course/<int:course_id>.ics", calendar.course_calendar, name="course_calendar"),
    path("enrol/<int:group_id>/", enrolment.enrol, name="enrol"),
    path("enrol/done/<str:token>/", enrolment.enrol_done, name="enrol_done"),
    path("my/<str:token>/", enrolment.manage, name="manage"),
    path("my/<str:token>/calendar.ics", enrolment.manage_calendar, name="manage_calendar"),
    path("my/<str:token>/needs/", enrolment.manage_needs, name="manage_needs"),
    path("my/<str:token>/stay/", enrolment.manage_stay, name="manage_stay"),
    path("my/<str:token>/cancel/", enrolment.manage_cancel, name="manage_cancel"),
    path("my/<str:token>/offer/", enrolment.manage_offer, name="offer"),
]
