"""The site's URLs and the floor's view (`tests.bench.floor`), for the load run only: the
production URLconf (`cms.urls`) never mounts it."""

from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns
from tests.bench.floor import floor_enrol

urlpatterns = [
    path("bench/floor/<int:group_id>/", floor_enrol, name="bench_floor"),
    *site_urlpatterns,
]
