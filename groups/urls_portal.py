from django.urls import path

from groups.views import portal

app_name = "portal"

urlpatterns = [
    path("", portal.my_groups, name="home"),
    path("groups/<int:pk>/", portal.group_detail, name="group"),
    path("meetings/<int:pk>/register/", portal.meeting_register_view, name="register"),
    path(
        "groups/<int:group_pk>/reach-out/<int:enrolment_pk>/<int:meeting_pk>/",
        portal.follow_up_contacted,
        name="contacted",
    ),
]
