"""Builds tests/migrations/data/db_before_network_app.sqlite3.gz and its manifest.

Run once, at commit "Migration test fixture" (the layout before the `network` app), with
`python tests/migrations/build_fixture.py`: today's migrations, `seed_demo`, then one
enrolment erased on request through the privacy service and one expert who left anonymised.
It is kept as the record of how the fixture was made; after the move it no longer runs (it
imports `courses.experts`). test_upgrade.py migrates a copy of the result to the new layout.
"""

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
FIXTURE = DATA / "db_before_network_app.sqlite3.gz"
MANIFEST = DATA / "db_before_network_app.json"

# The tables sampled row by row (first rows by primary key), and the erased enrolment.
SAMPLED_TABLES = [
    "courses_expert",
    "courses_training",
    "courses_certification",
    "courses_supervisionsession",
    "courses_supervisionattendance",
    "courses_expertdirectorypage",
    "groups_group",
    "groups_enrolment",
    "groups_outboxmessage",
    "django_content_type",
]
SAMPLE_SIZE = 3

ERASE = """
import datetime as dt
from django.utils import timezone
from courses.experts.models import Expert
from courses.experts.services import expert_anonymise, expert_mark_left
from groups.models import Enrolment
from groups.services.privacy import person_data_erase

# A confirmed place, with e-mails if the demo queued any (erasing empties those too).
confirmed = Enrolment.objects.filter(status=Enrolment.Status.CONFIRMED).order_by("pk")
enrolment = confirmed.filter(outbox_messages__isnull=False).first() or confirmed.first()
person_data_erase(enrolments=[enrolment], user=None)
expert = Expert.objects.filter(status=Expert.Status.ACTIVE).order_by("pk").first()
expert_mark_left(expert=expert, now=timezone.now() - dt.timedelta(days=800))
expert_anonymise(expert=expert)
print(f"erased_enrolment={enrolment.pk} anonymised_expert={expert.pk}")
"""


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return result.stdout


def tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [name for (name,) in rows]


def rows_sample(connection: sqlite3.Connection, table: str, where: str = "") -> list[dict]:
    connection.row_factory = sqlite3.Row
    query = f'SELECT * FROM "{table}" {where} ORDER BY 1 LIMIT {SAMPLE_SIZE}'  # noqa: S608
    rows = [dict(row) for row in connection.execute(query)]
    connection.row_factory = None
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "db.sqlite3"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DATABASE_URL": f"sqlite:///{database}",
            "SECRET_KEY": "fixture-only-key-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo")
        output = manage(env, "shell", "-c", ERASE).strip().splitlines()[-1]
        ids = dict(part.split("=") for part in output.split())
        connection = sqlite3.connect(database)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        migrations = connection.execute(
            "SELECT app, name FROM django_migrations ORDER BY app, name"
        ).fetchall()
        manifest = {
            "made_by": "tests/migrations/build_fixture.py",
            "erased_enrolment": int(ids["erased_enrolment"]),
            "anonymised_expert": int(ids["anonymised_expert"]),
            "migrations": [f"{app}.{name}" for app, name in migrations],
            "counts": {
                table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in tables(connection)
            },
            "samples": {table: rows_sample(connection, table) for table in SAMPLED_TABLES},
        }
        manifest["samples"]["erased_enrolment"] = rows_sample(
            connection, "groups_enrolment", f"WHERE id = {int(ids['erased_enrolment'])}"
        )
        manifest["samples"]["anonymised_expert"] = rows_sample(
            connection, "courses_expert", f"WHERE id = {int(ids['anonymised_expert'])}"
        )
        connection.execute("VACUUM")
        connection.close()
        DATA.mkdir(exist_ok=True)
        with database.open("rb") as source, gzip.open(FIXTURE, "wb", compresslevel=9) as target:
            shutil.copyfileobj(source, target)
        MANIFEST.write_text(json.dumps(manifest, indent=1, ensure_ascii=False, default=str) + "\n")
    print(f"{FIXTURE}: {FIXTURE.stat().st_size} bytes; {MANIFEST}")


if __name__ == "__main__":
    main()
