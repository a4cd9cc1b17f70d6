from .base import *
from .base import BASE_DIR, env, env_bool

DEBUG = env_bool("DEBUG", True)
# WhiteNoise serves static files straight from the apps' folders, with DEBUG off too: `make run`
# turns DEBUG off (demo/management/commands/serve.py) so that visitors meet the site's own
# error pages, with the helplines, and never Django's debug pages.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A development-only key, kept out of the repository: made once per checkout.
_key_file = BASE_DIR / ".secret_key"
if not SECRET_KEY:
    if not _key_file.exists():
        from django.core.management.utils import get_random_secret_key

        _key_file.write_text(get_random_secret_key())
    SECRET_KEY = _key_file.read_text().strip()

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Text messages are written as files to a folder `make run` prints (docs/messages.md).
SMS_BACKEND = env("SMS_BACKEND", "cms.sms.backends.filebased.SmsBackend")
SMS_FILE_PATH = env("SMS_FILE_PATH", str(BASE_DIR / "var" / "sms"))
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
