"""Upgrading keeps every row: a database made by the code before the `network` app (migrations,
the demo data, an enrolment erased on request, an anonymised expert; see build_fixture.py)
is migrated to today's layout by `manage.py migrate` in a separate process, then compared
table by table with what it held before."""

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
FIXTURE = DATA / "db_before_network_app.sqlite3.gz"
MANIFEST = json.loads((DATA / "db_before_network_app.json").read_text())

# The expert network's tables, by their name before the move and after it.
MOVED_TABLES = {
    f"courses_{model}": f"network_{model}"
    for model in (
        "expert",
        "expertdirectorypage",
        "training",
        "certification",
        "supervisionsession",
        "supervisionattendance",
    )
}
MOVED_MODELS = [table.removeprefix("courses_") for table in MOVED_TABLES]
# Columns renamed since: (table, name before) -> name now (groups.0026: the video link).
RENAMED_COLUMNS = {("groups_group", "remote_link"): "video_link"}
NEW_MIGRATIONS = {
    "courses.0003_expert_network_to_network_app",
    "network.0001_initial",
    "network.0002_network_tables",
}

# Read through the ORM after the upgrade, in the upgraded database's own process.
ORM_CHECK = """
import json
from django.contrib.auth.models import Group
from wagtail.models import ModelLogEntry, Page
from groups.services.roles import NETWORK_COORDINATORS
from network.models import Expert, ExpertDirectoryPage

expert = Expert.objects.get(pk=EXPERT)
entries = ModelLogEntry.objects.filter(object_id=str(EXPERT))
print(json.dumps({
    "directory_pages": [
        type(page.specific).__name__
        for page in Page.objects.type(ExpertDirectoryPage).order_by("pk")
    ],
    "expert": [expert.name, expert.certifications.count()],
    "log": sorted(
        (entry.action, entry.content_type.model_class().__name__, entry.label)
        for entry in entries
    ),
    "role_may_change_experts": Group.objects.filter(
        name=NETWORK_COORDINATORS,
        permissions__content_type__app_label="network",
        permissions__codename="change_expert",
    ).exists(),
}))
"""


def table_names(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    )
    return sorted(name for (name,) in rows)


def counts(connection: sqlite3.Connection) -> dict[str, int]:
    return {
        table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        for table in table_names(connection)
    }


def row(connection: sqlite3.Connection, table: str, pk, column: str = "id") -> dict | None:
    connection.row_factory = sqlite3.Row
    query = f'SELECT * FROM "{table}" WHERE "{column}" = ?'  # noqa: S608
    found = connection.execute(query, [pk]).fetchone()
    connection.row_factory = None
    return dict(found) if found else None


def manage(database: Path, *args: str) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        # The test settings prefer TEST_DATABASE_URL: the upgrade must never reach that one.
        if key not in {"TEST_DATABASE_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="cms.settings.test")
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory) -> dict:
    """The fixture before and after `migrate`, and what the ORM reads from it afterwards."""
    database = tmp_path_factory.mktemp("upgrade") / "db.sqlite3"
    with gzip.open(FIXTURE, "rb") as packed, database.open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    connection = sqlite3.connect(database)
    before = counts(connection)
    before_content_types = dict(
        connection.execute(
            "SELECT model, id FROM django_content_type WHERE app_label = 'courses'"
        ).fetchall()
    )
    connection.close()

    manage(database, "migrate", "--noinput", "-v0")
    expert = MANIFEST["anonymised_expert"]
    orm = json.loads(
        manage(database, "shell", "-c", ORM_CHECK.replace("EXPERT", str(expert)))
        .strip()
        .splitlines()[-1]
    )
    connection = sqlite3.connect(database)
    yield {
        "before": before,
        "before_content_types": before_content_types,
        "connection": connection,
        "orm": orm,
    }
    connection.close()


def test_the_fixture_is_the_one_the_manifest_describes(upgraded):
    assert upgraded["before"] == MANIFEST["counts"]
    assert "courses.0002_expert_network" in MANIFEST["migrations"]
    assert not NEW_MIGRATIONS & set(MANIFEST["migrations"])


def test_every_table_keeps_its_row_count(upgraded):
    """No table loses a row. Later migrations may add rows (content types and permissions of new
    models, permissions granted to the roles), never take one away."""
    after = counts(upgraded["connection"])
    for table, count in MANIFEST["counts"].items():
        if table == "django_migrations":
            continue
        new_name = MOVED_TABLES.get(table, table)
        assert after.get(new_name) is not None, f"{table} -> {new_name} is gone"
        assert after[new_name] >= count, f"{table} -> {new_name} lost rows"
    assert not set(MOVED_TABLES) & set(after), "the old expert tables are gone, not copied"


def test_the_migrations_are_recorded(upgraded):
    applied = {
        f"{app}.{name}"
        for app, name in upgraded["connection"].execute("SELECT app, name FROM django_migrations")
    }
    assert set(MANIFEST["migrations"]) | NEW_MIGRATIONS <= applied


@pytest.mark.parametrize(
    "table", sorted(set(MANIFEST["samples"]) - {"erased_enrolment", "anonymised_expert"})
)
def test_sampled_rows_are_unchanged(upgraded, table):
    """Every column the row had keeps its value (a column added since may sit beside them)."""
    new_name = MOVED_TABLES.get(table, table)
    samples = MANIFEST["samples"][table]
    assert samples or MANIFEST["counts"][table] == 0
    for sample in samples:
        key = next(iter(sample))  # the primary key: the samples are ordered by it
        after = row(upgraded["connection"], new_name, sample[key], key)
        assert after is not None, f"{new_name} {key}={sample[key]}"
        if table == "django_content_type" and sample["model"] in MOVED_MODELS:
            sample = {**sample, "app_label": "network"}
        now = {column: after[RENAMED_COLUMNS.get((table, column), column)] for column in sample}
        assert now == sample


def test_the_erased_enrolment_stays_erased(upgraded):
    (sample,) = MANIFEST["samples"]["erased_enrolment"]
    after = row(upgraded["connection"], "groups_enrolment", MANIFEST["erased_enrolment"])
    assert {column: after[column] for column in sample} == sample
    assert after["anonymised_at"]
    assert (after["display_name"], after["email"], after["phone"]) == ("", "", "")
    assert after["intake_answers"] == "{}"
    leftover = upgraded["connection"].execute(
        "SELECT COUNT(*) FROM groups_outboxmessage WHERE enrolment_id = ? AND recipient != ''",
        [MANIFEST["erased_enrolment"]],
    )
    assert leftover.fetchone()[0] == 0


def test_the_anonymised_expert_stays_anonymised(upgraded):
    (sample,) = MANIFEST["samples"]["anonymised_expert"]
    after = row(upgraded["connection"], "network_expert", MANIFEST["anonymised_expert"])
    assert {column: after[column] for column in sample} == sample
    assert after["name"] == "Anonymised"
    assert upgraded["orm"]["expert"][0] == "Anonymised"


def test_content_types_move_with_their_ids(upgraded):
    """Pages, permissions, revisions and audit entries point at content types by id: the ids
    stay and only the label changes, so every one of them follows."""
    connection = upgraded["connection"]
    after = dict(
        connection.execute(
            "SELECT model, id FROM django_content_type WHERE app_label = 'network'"
        ).fetchall()
    )
    assert after == {model: upgraded["before_content_types"][model] for model in MOVED_MODELS}
    left_in_courses = connection.execute(
        "SELECT model FROM django_content_type WHERE app_label = 'courses'"
    ).fetchall()
    assert not {model for (model,) in left_in_courses} & set(MOVED_MODELS)


def test_pages_log_entries_roles_and_schedules_follow(upgraded):
    orm = upgraded["orm"]
    assert (
        orm["directory_pages"]
        == ["ExpertDirectoryPage"] * MANIFEST["counts"]["courses_expertdirectorypage"]
    )
    # Audit entries about a person are labelled by number since issue 22 (network 0003).
    number = f"#{MANIFEST['anonymised_expert']}"
    assert orm["log"] == [
        ["network.expert.anonymised", "Expert", number],
        ["network.expert.left", "Expert", number],
    ]
    assert orm["role_may_change_experts"]
    functions = [
        func for (func,) in upgraded["connection"].execute("SELECT func FROM django_q_schedule")
    ]
    assert not [func for func in functions if func.startswith("courses.")]
    assert "network.tasks.expert_supervision_reminders_task" in functions
    assert "network.tasks.expert_retention_task" in functions


def test_foreign_keys_hold(upgraded):
    assert upgraded["connection"].execute("PRAGMA foreign_key_check").fetchall() == []
