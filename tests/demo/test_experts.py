import pytest
from django.core.management import call_command

from network.models import Expert, ExpertDirectoryPage, Training
from network.selectors import experts_public_list, keeping_up_counts

# seed_demo has run once for the module (tests/demo/conftest.py); a test's own call is the next run.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo_seeded"),
    pytest.mark.xdist_group("demo-experts"),
]


def test_demo_network_is_realistic_and_seeding_twice_adds_nothing():
    call_command("seed_demo")

    assert 140 <= Expert.objects.count() <= 160
    assert Training.objects.count() == 3
    assert ExpertDirectoryPage.objects.count() == 3
    counts = keeping_up_counts()
    assert all(counts[state] > 0 for state in ("current", "due", "lapsed"))
    assert experts_public_list(county="pohjanmaa", language="sv", variant="adoassip").exists()
