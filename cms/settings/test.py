from .base import *
from .base import database_from_url, env

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]

# SQLite by default; PostgreSQL when TEST_DATABASE_URL (or DATABASE_URL) points at it.
DATABASES = {"default": database_from_url(env("TEST_DATABASE_URL") or env("DATABASE_URL"))}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A test database is thrown away: a commit need not wait for its WAL to reach the disk
    # (PostgreSQL's own per-session setting; a crash loses at most the last moments, never
    # consistency). The transactional tests' commits and flushes stop waiting on fsync.
    DATABASES["default"]["OPTIONS"] = {"options": "-c synchronous_commit=off"}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "cms.sms.backends.locmem.SmsBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
}

# Django's test client logs in without a request, which django-axes refuses; the lockout tests
# switch it back on with override_settings.
AXES_ENABLED = False
