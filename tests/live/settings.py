"""Settings for the processes the live tests start: the test settings, with real q2 workers,
the e-mail and text-message sinks below, and Redis when REDIS_URL is given (cache and broker
shared between processes, as in production)."""

from cms.settings.test import *  # noqa: F403
from cms.settings.test import DATABASES, LOGGING, Q_CLUSTER, env

Q_CLUSTER = {
    **{key: value for key, value in Q_CLUSTER.items() if key != "sync"},
    "workers": int(env("Q_WORKERS", "2")),
    "timeout": 30,
    "retry": 40,
    "poll": 0.1,
}
if env("REDIS_URL"):
    Q_CLUSTER.pop("orm", None)
    Q_CLUSTER["redis"] = env("REDIS_URL")
    CACHES = {
        "default": {
            "BACKEND": "cms.cache.ReusedClientRedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "vt-live"),
        }
    }
# Persistent, health-checked connections as in production (the test settings turn them off).
DATABASES["default"]["CONN_MAX_AGE"] = int(env("CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

EMAIL_BACKEND = "tests.live.mail_sink.FileSinkBackend"
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", "/tmp/vt-live-mail")  # noqa: S108
SMS_BACKEND = "tests.live.mail_sink.SmsFileSinkBackend"
SMS_FILE_PATH = env("SMS_FILE_PATH", "/tmp/vt-live-sms")  # noqa: S108
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
