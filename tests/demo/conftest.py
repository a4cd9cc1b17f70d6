import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo_seeded(django_db_setup, django_db_blocker):
    """`seed_demo` once for a whole module (on PostgreSQL it is the slow part of these tests),
    inside a transaction that is never committed. Each test runs in its own savepoint on top of
    it, as Django's TestCase does with setUpTestData, so a test's changes vanish after it and
    the seeded data after the module. A test that calls `seed_demo` again sees the second run
    on an existing demo, which is what "can run twice" asks. The modules using it keep their
    tests on one xdist worker (`xdist_group`), so each seeds once."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo")
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
