"""A shortened bot burst over loopback HTTP (the full minute runs in `make bench`).

On PostgreSQL: the live server's threads need a database that takes concurrent writers (an
in-memory SQLite shared between threads refuses them instead of waiting)."""

import pytest

from groups.models import Enrolment
from tests.bench.abuse_http import burst
from tests.factories import GroupFactory


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_hundred_posts_in_seconds_from_one_address_get_429s_and_no_errors(
    live_server, settings
):
    from cms.services.site import site_tree_ensure

    site_tree_ensure()
    settings.ENROLMENT_RATE_LIMIT = 20
    settings.LOGIN_RATE_LIMIT = 30
    group = GroupFactory(capacity=10, min_size=5)

    result = burst(base_url=live_server.url, group_id=group.pk, requests=200, seconds=4)

    assert result["server_errors"] == 0 and result["stack_traces"] == 0, result
    assert result["enrol"][429] == 100 - 20, result
    assert result["login"][429] == 100 - 30, result
    # Only the allowed posts reached the database: at most 20 enrolments, capacity kept.
    assert Enrolment.objects.filter(group=group).count() == 20
    assert Enrolment.objects.filter(group=group, status="confirmed").count() == 10
