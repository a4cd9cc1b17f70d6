"""Backups restore into a working site that keeps every enrolment (docs/operations.md, "Backups").

PostgreSQL: `pg_dump --format=custom` of a live database, `pg_restore` into an empty one.
SQLite: the online backup API (what `sqlite3 db.sqlite3 ".backup ..."` uses), safe under WAL
while the site is writing.
"""

import shutil
import sqlite3
import subprocess
import sys

import psycopg
import pytest
from django.db import connection

from cms.services.site import site_tree_ensure
from groups.models import Enrolment
from tests.factories import EnrolmentFactory, GroupFactory
from tests.live.processes import BASE_DIR, database_url_for_processes, live_env

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def enrolments_made() -> set[tuple]:
    site_tree_ensure()
    group = GroupFactory()
    for status in ("confirmed", "confirmed", "offered", "waitlisted", "cancelled", "pending"):
        EnrolmentFactory(group=group, status=status, display_name="Tähti 🌟 نجمة")
    return set(Enrolment.objects.values_list("pk", "status", "email", "display_name"))


def site_checks(database_url: str) -> None:
    """`manage.py check` and `migrate --check` (no migration missing) on the restored copy."""
    env = live_env(database_url=database_url)
    for command in (["check"], ["migrate", "--check", "--noinput"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.postgres
def test_pg_dump_restored_into_an_empty_database_keeps_every_enrolment(tmp_path):
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.fail("pg_dump and pg_restore (postgresql-client) are needed for this test")
    expected = enrolments_made()
    source = database_url_for_processes()
    db = connection.settings_dict
    restored_name = f"{db['NAME']}_restored"
    server = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    dump = tmp_path / "vertaistuki.dump"

    subprocess.run(
        [shutil.which("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", source],
        check=True,
        timeout=120,
    )
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
        admin.execute(f'CREATE DATABASE "{restored_name}"')
    try:
        subprocess.run(
            [
                shutil.which("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                f"--dbname={server}/{restored_name}",
                str(dump),
            ],
            check=True,
            timeout=120,
        )
        site_checks(f"{server}/{restored_name}")
        with psycopg.connect(f"{server}/{restored_name}") as copy:
            rows = copy.execute(
                "SELECT id, status, email, display_name FROM groups_enrolment"
            ).fetchall()
        assert set(rows) == expected
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')


@pytest.mark.sqlite
def test_sqlite_online_backup_keeps_every_enrolment(tmp_path):
    expected = enrolments_made()
    copy_path = tmp_path / "backup.sqlite3"

    connection.ensure_connection()
    with sqlite3.connect(copy_path) as copy:
        connection.connection.backup(copy)  # the API behind sqlite3's `.backup`
    site_checks(f"sqlite:///{copy_path}")
    with sqlite3.connect(copy_path) as copy:
        rows = copy.execute("SELECT id, status, email, display_name FROM groups_enrolment")
        assert set(rows.fetchall()) == expected
