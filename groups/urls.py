from django.urls import path

from groups.views import calendar

app_name = "groups"

urlpatterns = [
    path("calendar/group/<int:group_id>.ics", calendar.group_calendar, name="group_calendar"),
    path("calendar/course/<int:course_id>.ics", calendar.course_calendar, name="course_calendar"),
]
