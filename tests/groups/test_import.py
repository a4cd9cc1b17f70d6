"""Importing a season's groups from a spreadsheet: dry run with row errors, then confirm."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group as AuthGroup
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from groups.models import Group
from groups.selectors.facilitators import FACILITATORS_GROUP
from tests.factories import CoursePageFactory, CrisisCentreFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "course,name,centre,mode,language,capacity,min_size,facilitator_1,facilitator_2,"
    "schedule,schedule_from,start_time,duration_minutes,status\n"
)


@pytest.fixture(autouse=True)
def upload_storage(settings, tmp_path):
    """Uploads wait in a folder of this test (the media storage, as without Redis)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "import_export": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    return tmp_path / "django-import-export"


@pytest.fixture
def season(client, site_tree):
    client.force_login(UserFactory(username="koordinaattori", is_superuser=True, is_staff=True))
    facilitators = AuthGroup.objects.get_or_create(name=FACILITATORS_GROUP)[0]
    for username in ("aino", "bertta", "cecilia"):
        UserFactory(username=username).groups.add(facilitators)
    CrisisCentreFactory(name="Kriisikeskus Turku")
    return CoursePageFactory(slug="surevat")


def row(name, first="aino", second="bertta", rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12"):
    return (
        f"surevat,{name},Kriisikeskus Turku,in_person,fi,10,5,{first},{second},"
        f"{rule},2027-01-12,17:30,90,open\n"
    )


def upload(client, text, name="groups.csv"):
    file = SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)
    return client.post(reverse("groups_group_import"), {"file": file})


def test_valid_file_is_previewed_then_saved_on_confirm(client, season):
    response = upload(
        client,
        HEADER
        + row("Tiistai")
        + row("Keskiviikko", "cecilia", "aino", "RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=10"),
    )
    html = response.content.decode()
    assert "Tiistai" in html and "Keskiviikko" in html
    assert not Group.objects.exists()
    stored = response.context["stored"]
    confirm = client.post(reverse("groups_group_import"), {"stored": stored, "confirm": "1"})
    assert confirm.status_code == 302
    assert Group.objects.count() == 2
    assert Group.objects.get(name="Tiistai").meetings.count() == 12


def test_bad_rows_are_reported_with_row_number_and_nothing_is_saved(client, season):
    response = upload(
        client,
        HEADER
        + row("Hyvä")
        + row("Sama ohjaaja", "aino", "aino")
        + row("Liian lyhyt", rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3"),
    )
    problems = response.context["problems"]
    assert {problem["row"] for problem in problems} == {2, 3}
    assert "stored" not in response.context
    html = response.content.decode()
    assert "Ohjaajien täytyy olla kaksi eri henkilöä." in html
    assert not Group.objects.exists()


def test_a_coordinator_tied_to_a_centre_imports_only_that_centres_groups(client, season):
    from groups.models import CoordinatorProfile
    from groups.services.roles import COORDINATORS, roles_ensure

    coordinator = UserFactory(username="tampere")
    coordinator.groups.add(roles_ensure()[COORDINATORS])
    profile = CoordinatorProfile.objects.create(user=coordinator)
    profile.centres.add(CrisisCentreFactory(name="Kriisikeskus Tampere"))
    client.force_login(coordinator)

    response = upload(client, HEADER + row("Turun ryhmä"))

    problems = response.context["problems"]
    assert [(problem["row"], problem["field"]) for problem in problems] == [(1, "centre")]
    assert "omien kriisikeskustesi" in response.content.decode()
    assert "stored" not in response.context
    assert not Group.objects.exists()


def test_huge_file_is_rejected_with_a_clear_message(client, season):
    response = upload(client, HEADER + "x" * (2 * 1024 * 1024 + 1))
    assert "liian suuri" in response.content.decode()
    assert not Group.objects.exists()


def test_too_many_rows_are_rejected(client, season):
    response = upload(client, HEADER + row("Rivi") * 5001)
    assert "liian monta riviä" in response.content.decode()
    assert not Group.objects.exists()


def test_confirm_with_a_forged_file_name_is_refused(client, season):
    response = client.post(
        reverse("groups_group_import"), {"stored": "../../etc/passwd", "confirm": "1"}
    )
    assert response.status_code == 302
    assert not Group.objects.exists()


def test_the_upload_waits_in_the_shared_storage_and_is_removed_on_confirm(
    client, season, upload_storage
):
    stored = upload(client, HEADER + row("Tiistai")).context["stored"]
    assert os.listdir(upload_storage) == [stored]  # not in this host's temp folder

    confirm = client.post(reverse("groups_group_import"), {"stored": stored, "confirm": "1"})
    assert confirm.status_code == 302
    assert os.listdir(upload_storage) == []
    again = client.post(
        reverse("groups_group_import"), {"stored": stored, "confirm": "1"}, follow=True
    )
    assert "vanhentunut" in again.content.decode()
    assert Group.objects.count() == 1


def test_with_redis_the_upload_waits_in_the_cache(client, season, settings, upload_storage):
    settings.IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
    stored = upload(client, HEADER + row("Tiistai")).context["stored"]
    assert cache.get(f"django-import-export-{stored}") is not None
    assert not upload_storage.exists()

    client.post(reverse("groups_group_import"), {"stored": stored, "confirm": "1"})
    assert cache.get(f"django-import-export-{stored}") is None
    assert Group.objects.get().name == "Tiistai"


@pytest.mark.parametrize(
    "redis_url, storage",
    [
        ("redis://127.0.0.1:6379/1", "import_export.tmp_storages.CacheStorage"),
        ("", "import_export.tmp_storages.MediaStorage"),
    ],
)
def test_settings_pick_a_storage_every_host_shares(redis_url, storage):
    env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "cms.settings.base"}
    code = (
        "from django.conf import settings; "
        "print(settings.IMPORT_EXPORT_TMP_STORAGE_CLASS, "
        "settings.STORAGES['import_export']['OPTIONS']['location'])"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert output[0] == storage
    assert output[1] == str(django_settings.MEDIA_ROOT / "import-tmp")
