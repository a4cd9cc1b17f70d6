"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def database_from_url(url: str | None) -> dict:
    """One DATABASES entry from a URL; SQLite gets WAL, IMMEDIATE transactions and a busy timeout.

    IMMEDIATE makes a write transaction take SQLite's write lock at BEGIN, so two enrolments
    racing for the last place queue behind each other instead of failing on lock upgrade.
    """
    config = dj_database_url.parse(
        url or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


SECRET_KEY = env("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "courses",
    "groups",
    "network",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    "recurrence",
    "import_export",
    "django_q",
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "cms.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cms.middleware.RequestLimitsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cms.page_cache.AnonymousPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.errors.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cms.cache.ReusedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "vertaistuki",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "vertaistuki",
        }
    }

# Anonymous visitors get whole pages from the cache; any publish or data change clears it.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "300"))

# django-q2: Redis is the broker when REDIS_URL is set, else the database (ORM broker).
Q_CLUSTER = {
    "name": "vertaistuki",
    "workers": int(env("Q_WORKERS", "2")),
    "timeout": 60,
    "retry": 120,
    "max_attempts": 5,
    "ack_failures": True,
    "catch_up": False,
    "label": "Django Q2",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: after 5 failed logins for one username from one address, wait an hour.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False  # its log lines carry usernames and addresses
# The visitor's address by the same rule as every rate limit (cms/client_address.py).
AXES_CLIENT_IP_CALLABLE = "cms.client_address.client_address"
# Reverse proxies in front of the site that append to X-Forwarded-For (nginx with
# $proxy_add_x_forwarded_for: 1). 0: the site faces the internet and the header is ignored.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fi"
LANGUAGES = [
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# A spreadsheet upload waits on its row (cms.models.SheetImport) in the shared database.

# What the spreadsheet import pipeline (cms/imports.py) imports: kind -> its ImportKind.
SHEET_IMPORT_KINDS = {
    "groups": "groups.resources.GROUP_IMPORT",
    "experts": "network.resources.EXPERT_IMPORT",
}
# A file with more rows than this is checked and imported by a background task, with a
# progress bar; a smaller one right away.
SHEET_IMPORT_SYNC_ROWS = int(env("SHEET_IMPORT_SYNC_ROWS", "200"))
# How long a background import may run (django-q2's timeout for that task), in seconds.
SHEET_IMPORT_TASK_TIMEOUT = int(env("SHEET_IMPORT_TASK_TIMEOUT", "1800"))

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A hung SMTP server must not hold a worker past the q2 timeout (and the outbox lease).
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Vertaistuki <noreply@vertaistuki.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

WAGTAIL_SITE_NAME = "Vertaistuki"
# The site's address: every absolute link (e-mails, sitemap, canonical links, calendar files)
# starts with it (cms/links.py), and the Wagtail Site's hostname and port follow it.
BASE_URL = (env("BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_FINDERS = []  # no outside network: no oEmbed look-ups
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "xlsx", "csv", "txt"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(env("WAGTAILDOCS_MAX_UPLOAD_SIZE", str(20 * 1024 * 1024)))
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.forms.DocumentForm"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Wagtail 7+ runs its own background jobs through django-tasks; immediate is right for one box.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

ADMIN_PATH = (env("ADMIN_PATH", "admin") or "admin").strip("/")
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/facilitate/"
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
# A shared or lost phone should not stay logged in to the register.
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
PASSWORD_RESET_TIMEOUT = int(env("PASSWORD_RESET_TIMEOUT", str(24 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp). The public site: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The Wagtail admin (cms.middleware.ContentSecurityPolicyMiddleware): Wagtail's own templates
# write scripts and styles inline, so those are allowed there, still only from this site;
# the editor's live preview frames the admin's own preview page, and image uploads show blobs.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}

# Personal data of ended groups is erased after this many days (DESIGN.md §5).
RETENTION_DAYS = int(env("RETENTION_DAYS", "180"))
SEARCH_MISS_DAYS = 30  # searches that found nothing are counted per day and kept this long
# Private links (docs/privacy.md): the page right after enrolling works this many hours; a
# training certificate's link this many days after the training ended (stated on it).
DONE_LINK_HOURS = int(env("DONE_LINK_HOURS", "24"))
CERTIFICATE_LINK_DAYS = int(env("CERTIFICATE_LINK_DAYS", "180"))
# A group's feedback results and comments stay hidden until it has this many answers.
FEEDBACK_MIN_ANSWERS = int(env("FEEDBACK_MIN_ANSWERS", "5"))

# Where "Exit this page" (and Shift pressed 3 times) takes a visitor: a neutral site.
QUICK_EXIT_URL = env("QUICK_EXIT_URL", "https://yle.fi/saa")
# Accessibility feedback must be answered within two weeks (Act 306/2019, section 18).
ACCESSIBILITY_FEEDBACK_REPLY_DAYS = int(env("ACCESSIBILITY_FEEDBACK_REPLY_DAYS", "14"))

# Private keys in paths (manage links, certificates, feedback, password resets) are masked in
# every line (cms/logs.py): on the one handler, and on the loggers that write request paths, so
# that whatever else listens to them (a test's caplog, an error tracker) gets them masked too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"private_links": {"()": "cms.logs.PrivateLinkFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["private_links"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (an unfiltered console, mail to ADMINS with the request) go;
        # its records reach the filtered console above.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {
            "handlers": ["console"],
            "level": "WARNING",
            "propagate": False,
            "filters": ["private_links"],
        },
        "django.request": {"level": "WARNING", "filters": ["private_links"]},
        "django_tasks": {"level": "WARNING"},
    },
}


def require_secret_key() -> str:
    if not SECRET_KEY:
        raise ImproperlyConfigured("Set the SECRET_KEY environment variable.")
    return SECRET_KEY


# Enrolment (issue 6): hours a waiting-list offer stays open, enrolment POSTs allowed per IP
# per hour (0 switches the limit off, e.g. for load tests), the consent text's version.
OFFER_HOURS = int(env("OFFER_HOURS", "48"))
# Online meetings (issue 26): the video link shows on the manage page of people with a
# confirmed place from this many hours before a meeting until it ends.
VIDEO_LINK_SHOWN_HOURS_BEFORE = int(env("VIDEO_LINK_SHOWN_HOURS_BEFORE", "24"))
# An open offer is reminded of (e-mail and text message) this many hours before it lapses.
OFFER_REMINDER_HOURS = int(env("OFFER_REMINDER_HOURS", "12"))
ENROLMENT_RATE_LIMIT = int(env("ENROLMENT_RATE_LIMIT", "20"))
ENROLMENT_CONSENT_VERSION = env("ENROLMENT_CONSENT_VERSION", "2026-1")
# Interest lists (issue 27, docs/interest.md): hours a place is kept for someone who left an
# interest, months an interest waits before it ends (a reminder INTEREST_REMINDER_DAYS before),
# and the consent text's version of the interest form.
INTEREST_HOLD_HOURS = int(env("INTEREST_HOLD_HOURS", "48"))
INTEREST_MONTHS = int(env("INTEREST_MONTHS", "6"))
INTEREST_REMINDER_DAYS = int(env("INTEREST_REMINDER_DAYS", "14"))
INTEREST_CONSENT_VERSION = env("INTEREST_CONSENT_VERSION", "2026-1")
# Login POSTs allowed per address per ten minutes, the site's and the admin's login together
# (0: no limit); django-axes still locks a username after AXES_FAILURE_LIMIT wrong passwords.
LOGIN_RATE_LIMIT = int(env("LOGIN_RATE_LIMIT", "30"))
# Password-reset POSTs per hour (both reset forms together): per address, and per e-mail
# address asked for. Which views spend which budget: cms/services/rate_limit.py.
PASSWORD_RESET_RATE_LIMIT = int(env("PASSWORD_RESET_RATE_LIMIT", "10"))
PASSWORD_RESET_ACCOUNT_RATE_LIMIT = int(env("PASSWORD_RESET_ACCOUNT_RATE_LIMIT", "3"))
# Largest request body accepted: public pages take forms only; the admin takes uploads
# (images up to WAGTAILIMAGES_MAX_UPLOAD_SIZE, documents, import spreadsheets).
PUBLIC_REQUEST_MAX_BYTES = int(env("PUBLIC_REQUEST_MAX_BYTES", str(256 * 1024)))
ADMIN_REQUEST_MAX_BYTES = int(env("ADMIN_REQUEST_MAX_BYTES", str(25 * 1024 * 1024)))
# Outbox: how many times a failing e-mail is tried before a person must look at it.
OUTBOX_MAX_ATTEMPTS = int(env("OUTBOX_MAX_ATTEMPTS", "6"))
# A message a worker started sending is taken back after this many seconds if it is still not
# sent (the worker died). Longer than the q2 task timeout and the SMTP timeout together.
OUTBOX_SENDING_LEASE_SECONDS = int(env("OUTBOX_SENDING_LEASE_SECONDS", "600"))
# Text messages (docs/messages.md, docs/configuration.md): the backend class, as EMAIL_BACKEND.
# GatewayAPI in production (token from the environment); the file backend in development.
SMS_BACKEND = env("SMS_BACKEND", "cms.sms.backends.gatewayapi.SmsBackend")
SMS_FILE_PATH = env("SMS_FILE_PATH", "")
SMS_SENDER = env("SMS_SENDER", "Vertaistuki")
SMS_TIMEOUT = int(env("SMS_TIMEOUT", "20"))
SMS_GATEWAYAPI_TOKEN = env("SMS_GATEWAYAPI_TOKEN", "")
SMS_GATEWAYAPI_URL = env("SMS_GATEWAYAPI_URL", "https://gatewayapi.eu/rest/mtsms")
# "standard", or "secret": the gateway then hides the text from its own logs and staff.
SMS_GATEWAYAPI_CLASS = env("SMS_GATEWAYAPI_CLASS", "standard")
# Linity/ASSIP expert network (network/). Keeping up: {variant: (at least N supervision
# sessions, in the last M months)}; an expert practising several variants must meet each rule.
EXPERT_SUPERVISION_RULE = {
    "assip": (4, 12),
    "adoassip": (4, 12),
    "home": (4, 12),
}
# "Due": meets the rule today but will not in this many days unless they attend again.
EXPERT_SUPERVISION_DUE_DAYS = int(env("EXPERT_SUPERVISION_DUE_DAYS", "60"))
# Experts who left the network are anonymised after this many days (counts are kept).
EXPERT_RETENTION_DAYS = int(env("EXPERT_RETENTION_DAYS", "365"))
EXPERT_NETWORK_COORDINATOR_EMAIL = env("EXPERT_NETWORK_COORDINATOR_EMAIL", "")
# Whether facilitators see participants' e-mail and phone on the roster (an organisation's choice).
FACILITATORS_SEE_CONTACTS = env_bool("FACILITATORS_SEE_CONTACTS", False)
# Dates, times and numbers as written in Finland in each language (cms/formats/<lang>).
FORMAT_MODULE_PATH = ["cms.formats"]
