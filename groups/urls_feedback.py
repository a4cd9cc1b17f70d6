from django.urls import path

from groups.views import feedback

app_name = "feedback"

urlpatterns = [
    path("<str:token>/", feedback.answer, name="answer"),
]
