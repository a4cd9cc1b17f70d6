from django.urls import path

from groups.views import certificates

app_name = "certificates"

urlpatterns = [
    path("<str:token>/", certificates.certificate, name="certificate"),
]
