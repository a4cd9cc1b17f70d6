import os

import pytest
from django.core.cache import cache
from django.db import connection
from hypothesis import HealthCheck, settings

from cms.services.site import site_tree_ensure

# Property-based tests (hypothesis): few examples each, so the suite stays fast; no example
# database on disk. HYPOTHESIS_PROFILE=thorough for a longer hunt.
settings.register_profile(
    "ci",
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile("thorough", parent=settings.get_profile("ci"), max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made from
# that thread are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres need the real thing: they are skipped on SQLite (the `make test`
    run on PostgreSQL picks them up; in CI that run is mandatory)."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (TEST_DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def site_tree(db):
    """Locales, a home page per language and the default Site."""
    return site_tree_ensure()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no cached pages (the local-memory cache outlives a test)."""
    cache.clear()
