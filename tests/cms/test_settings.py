import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction

ROOT = Path(__file__).resolve().parents[2]


def settings_in_subprocess(module: str, env: dict[str, str], expression: str) -> str:
    """Import a settings module with a given environment in a fresh interpreter."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", f"import {module} as s; print(repr(({expression})))"],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_default_database_is_sqlite_with_wal_immediate_and_busy_timeout():
    out = settings_in_subprocess(
        "cms.settings.dev",
        {},
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['OPTIONS']",
    )
    assert "sqlite3" in out
    assert "journal_mode=WAL" in out
    assert "'transaction_mode': 'IMMEDIATE'" in out
    assert "'timeout': 20" in out


def test_database_url_switches_to_postgresql():
    out = settings_in_subprocess(
        "cms.settings.dev",
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/vertaistuki"},
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
        "s.DATABASES['default']['CONN_HEALTH_CHECKS']",
    )
    assert out == "('django.db.backends.postgresql', 'vertaistuki', True)"


def test_redis_url_switches_cache_and_task_broker_to_redis():
    out = settings_in_subprocess(
        "cms.settings.dev",
        {"REDIS_URL": "redis://127.0.0.1:6379/1"},
        "s.CACHES['default']['BACKEND'], s.Q_CLUSTER.get('redis'), 'orm' in s.Q_CLUSTER",
    )
    assert out == ("('cms.cache.ReusedClientRedisCache', 'redis://127.0.0.1:6379/1', False)")


def test_without_redis_url_cache_is_local_memory_and_broker_is_the_database():
    out = settings_in_subprocess(
        "cms.settings.dev", {}, "s.CACHES['default']['BACKEND'], s.Q_CLUSTER.get('orm')"
    )
    assert out == "('django.core.cache.backends.locmem.LocMemCache', 'default')"


def test_production_refuses_to_start_without_a_secret_key():
    clean = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "-c", "import cms.settings.production"],
        env=clean,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    """`manage.py check --deploy` with the production settings and the given environment."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if k != "DJANGO_ALLOW_ASYNC_UNSAFE" and not k.startswith("SMS_")
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **keep,
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "x" * 20 + "a-long-random-production-key-for-the-check-only",
            "ALLOWED_HOSTS": "vertaistuki.example",
            **env,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deploy_check():
    result = deploy_check(SMS_GATEWAYAPI_TOKEN="a-gatewayapi-token")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_refuses_the_gatewayapi_backend_without_its_token():
    result = deploy_check()
    assert result.returncode != 0
    assert "cms.E102" in result.stderr and "SMS_GATEWAYAPI_TOKEN is not set" in result.stderr
    # Another backend needs no token; a backend that cannot be imported is named.
    console = deploy_check(SMS_BACKEND="cms.sms.backends.console.SmsBackend")
    assert console.returncode == 0, console.stdout + console.stderr
    typo = deploy_check(SMS_BACKEND="cms.sms.backends.gatewayapi.SmsBakend")
    assert "cms.E101" in typo.stderr


def test_the_deploy_check_warns_of_a_gateway_address_without_https():
    result = deploy_check(
        SMS_GATEWAYAPI_TOKEN="a-gatewayapi-token", SMS_GATEWAYAPI_URL="http://gatewayapi.eu/rest"
    )
    assert result.returncode != 0
    assert "cms.W103" in result.stderr


def test_basics_of_the_base_settings():
    base = importlib.import_module("cms.settings.base")

    assert base.DEFAULT_AUTO_FIELD == "django.db.models.BigAutoField"
    assert base.TIME_ZONE == "Europe/Helsinki"
    assert [code for code, _ in base.LANGUAGES] == ["fi", "sv", "en"]
    assert base.LANGUAGE_CODE == "fi"
    assert base.WAGTAIL_I18N_ENABLED is True
    assert base.WAGTAIL_ENABLE_UPDATE_CHECK is False
    assert base.WAGTAIL_GRAVATAR_PROVIDER_URL is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_postgres_run_really_talks_to_postgresql_and_can_lock_rows():
    from cms.models import CrisisCentre

    centre = CrisisCentre.objects.create(name="Kriisikeskus Testi", city="Testi")
    assert connection.vendor == "postgresql"
    with transaction.atomic():
        locked = CrisisCentre.objects.select_for_update(nowait=True).get(pk=centre.pk)
    assert locked.pk == centre.pk
