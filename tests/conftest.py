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


# Benchmarks are measured by `make bench` (tests/bench/run.py), never collected by the suite
# (the rest of tests/bench is: a real test may live beside them). BENCH=1 collects them.
BENCHMARKS = ["bench/test_expert_import.py"]
collect_ignore = [] if os.environ.get("BENCH") else BENCHMARKS

# Tests that hold one database engine to its word. `make test` runs the suite once on each,
# deselecting the other engine's tests (-m), so that no test is skipped.
ENGINE_MARKERS = {"postgres": "postgresql", "sqlite": "sqlite"}


def pytest_report_header(config):
    return f"database: {connection.vendor}"


def pytest_collection_modifyitems(config, items):
    """A test marked for the other database engine is deselected, never skipped (`pytest` with
    no -m on SQLite runs what SQLite can run; the `make test` run on PostgreSQL picks up the
    rest). The live tests start real processes on shared ports, files and a fixed Redis
    database: under xdist they all go to one worker, one after the other (--dist loadgroup)."""
    kept, deselected = [], []
    for item in items:
        engines = [
            engine for marker, engine in ENGINE_MARKERS.items() if item.get_closest_marker(marker)
        ]
        if engines and connection.vendor not in engines:
            deselected.append(item)
            continue
        if item.path.parent.name == "live":
            item.add_marker(pytest.mark.xdist_group("live"))
        kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (CI set) a skipped test is a failed one: every test must run there, and a missing
    dependency (a server binary, a browser) must not pass quietly."""
    report = yield
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped in CI, where every test must run: {reason}"
    return report


@pytest.fixture
def site_tree(db):
    """Locales, a home page per language and the default Site."""
    return site_tree_ensure()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no cached pages (the local-memory cache outlives a test)."""
    cache.clear()


@pytest.fixture(autouse=True)
def smsoutbox():
    """The text messages the locmem backend sent in this test (as pytest-django's mailoutbox)."""
    from cms.sms.backends import locmem

    locmem.outbox.clear()
    return locmem.outbox
