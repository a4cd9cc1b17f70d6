"""PostgreSQL restarts and stops under a serving site: requests fail cleanly (503 page with the
helplines), the site recovers by itself, and no enrolment is half-saved.

Runs its OWN throw-away PostgreSQL cluster (initdb into a temporary directory as the `postgres`
user, a free port), never the shared server. Skipped only when the server binaries are missing
outside CI; in CI (CI set) that is a failure.
"""

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
from pathlib import Path

import psycopg
import pytest

from cms.services.site import site_tree_ensure
from tests.bench.abuse_http import _session
from tests.factories import GroupFactory
from tests.live.processes import (
    database_url_for_processes,
    free_port,
    gunicorn_start,
    http_up,
    live_env,
    stop_group,
    wait_for,
)

RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def as_postgres(*args: str) -> None:
    subprocess.run([RUNUSER, "-u", "postgres", "--", *args], check=True, timeout=120)


@pytest.fixture
def own_cluster():
    """A PostgreSQL cluster of this test alone: (port, pg_ctl command prefix)."""
    if not (PG_BIN / "initdb").exists() or shutil.which("runuser") is None:
        message = f"PostgreSQL server binaries not found in {PG_BIN}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    directory = Path(tempfile.mkdtemp(prefix="vt-pg-"))
    shutil.chown(directory, "postgres", "postgres")
    data = directory / "data"
    port = free_port()
    as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                "-E", "UTF8", "--no-sync")  # fmt: skip
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(directory / "log"), "-o", options]
    as_postgres(*pg_ctl, "-w", "start")
    try:
        yield port, pg_ctl
    finally:
        subprocess.run(
            [RUNUSER, "-u", "postgres", "--", *pg_ctl, "-m", "immediate", "stop"],
            timeout=60,
            check=False,
        )
        shutil.rmtree(directory, ignore_errors=True)


def test_a_restarting_database_gives_kind_503s_then_the_site_recovers_alone(own_cluster, tmp_path):
    port, pg_ctl = own_cluster
    site_tree_ensure()
    group = GroupFactory(capacity=10, min_size=5)
    # The site's data, copied into the throw-away cluster.
    dump = tmp_path / "site.dump"
    subprocess.run(
        [shutil.which("pg_dump"), "-Fc", "--no-owner", f"--file={dump}",
         database_url_for_processes()],
        check=True, timeout=120,
    )  # fmt: skip
    own_url = f"postgres://postgres@127.0.0.1:{port}/vt"
    with psycopg.connect(f"postgres://postgres@127.0.0.1:{port}/postgres", autocommit=True) as c:
        c.execute("CREATE DATABASE vt")
    subprocess.run(
        [shutil.which("pg_restore"), "--no-owner", f"--dbname={own_url}", str(dump)],
        check=True, timeout=120,
    )  # fmt: skip

    web_port = free_port()
    base = f"http://127.0.0.1:{web_port}"
    env = live_env(
        database_url=own_url, ENROLMENT_RATE_LIMIT="0", CONN_MAX_AGE="600", Q_WORKERS="1"
    )
    web = gunicorn_start(env, tmp_path / "web.log", web_port, workers=2)
    answers: list[tuple[int, bytes, str]] = []
    stop = threading.Event()
    enrol_url = f"{base}/fi/enrol/{group.pk}/"

    def person(n: int) -> None:
        while not stop.is_set():
            try:
                opener, token = _session(enrol_url)
            except urllib.error.HTTPError as error:  # the form page itself got a 503
                answers.append((error.code, error.read(), ""))
                time.sleep(0.2)
                continue
            except OSError:  # the server itself is not answering (never seen so far)
                time.sleep(0.2)
                continue
            data = {
                "csrfmiddlewaretoken": token,
                "display_name": f"Henkilö {n}",
                "email": f"restart{n}-{time.monotonic_ns()}@example.invalid",
                "language": "fi",
                "consent": "on",
            }
            request = urllib.request.Request(  # noqa: S310 - loopback
                enrol_url, urllib.parse.urlencode(data).encode(), headers={"Referer": enrol_url}
            )
            try:
                response = opener.open(request, timeout=60)
                answers.append((response.status, response.read(), ""))
            except urllib.error.HTTPError as error:
                answers.append((error.code, error.read(), error.headers.get("Location", "")))

    try:
        wait_for(lambda: http_up(f"{base}/healthz"), seconds=90, what="gunicorn")
        people = [threading.Thread(target=person, args=(n,)) for n in range(4)]
        for thread in people:
            thread.start()
        wait_for(lambda: len(answers) >= 4, seconds=60, what="enrolments before the restart")
        as_postgres(*pg_ctl, "-m", "fast", "-w", "restart")  # drops every connection
        time.sleep(1)
        as_postgres(*pg_ctl, "-m", "fast", "-w", "stop")  # and stays down a moment
        wait_for(lambda: any(code == 503 for code, *_ in answers), seconds=30, what="a 503")
        as_postgres(*pg_ctl, "-w", "start")
        wait_for(lambda: http_up(f"{base}/healthz") and _healthy(base), seconds=60,
                 what="recovery")  # fmt: skip
        during = len(answers)
        time.sleep(3)
        stop.set()
        for thread in people:
            thread.join(timeout=90)
    finally:
        stop.set()
        stop_group(web)

    codes = [code for code, *_ in answers]
    server_errors = [body[:300] for code, body, _loc in answers if code >= 500 and code != 503]
    log = (tmp_path / "web.log").read_text(errors="replace")
    assert not [code for code in codes if code >= 500 and code != 503], (server_errors, log[-3000:])
    assert set(codes) <= {302, 400, 503}, codes
    for code, body, _location in answers:
        assert b"Traceback" not in body
        if code == 503:
            html = body.decode()
            assert "Palvelu on hetken poissa käytöstä" in html and "09 2525 0111" in html
    # Recovered by itself: after the database came back, every enrolment went through.
    assert codes[during:] and set(codes[during:]) == {302}, codes[during:]

    with psycopg.connect(own_url) as copy:
        half_saved = copy.execute(
            """SELECT e.id FROM groups_enrolment e
               WHERE NOT EXISTS (SELECT 1 FROM groups_outboxmessage m WHERE m.enrolment_id = e.id)
                  OR e.status NOT IN ('confirmed', 'waitlisted')"""
        ).fetchall()
        count = copy.execute("SELECT count(*) FROM groups_enrolment").fetchone()[0]
        held = copy.execute(
            "SELECT count(*) FROM groups_enrolment WHERE status IN ('confirmed', 'offered')"
        ).fetchone()[0]
    assert half_saved == []
    assert count >= codes.count(302)
    assert held == min(10, count)


def _healthy(base: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # noqa: S310
            return response.status == 200 and re.search(rb'"database": "ok"', response.read())
    except OSError:
        return False
