"""`manage.py check --deploy`: text messages can go out. Without this the first text message of a
production site would fail in a worker (ImproperlyConfigured, retried until marked failed) and
a phone-only participant would hear nothing; the check says so before the site starts."""

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from cms.sms.backends.gatewayapi import SmsBackend as GatewayApiBackend


@checks.register("sms", deploy=True)
def sms_backend_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        backend = import_string(settings.SMS_BACKEND)
    except ImportError:
        return [
            checks.Error(
                f"SMS_BACKEND {settings.SMS_BACKEND!r} cannot be imported.",
                hint="Name a class from cms.sms.backends (docs/configuration.md).",
                id="cms.E101",
            )
        ]
    if not (isinstance(backend, type) and issubclass(backend, GatewayApiBackend)):
        return []
    errors = []
    if not settings.SMS_GATEWAYAPI_TOKEN:
        errors.append(
            checks.Error(
                "SMS_GATEWAYAPI_TOKEN is not set: the GatewayAPI backend cannot send text "
                "messages, so phone-only participants get no confirmation, offer or reminder.",
                hint="Set SMS_GATEWAYAPI_TOKEN in the environment (GatewayAPI: Settings, API "
                "keys), or choose another SMS_BACKEND (docs/configuration.md).",
                id="cms.E102",
            )
        )
    if settings.SMS_GATEWAYAPI_URL and not settings.SMS_GATEWAYAPI_URL.startswith("https://"):
        errors.append(
            checks.Warning(
                "SMS_GATEWAYAPI_URL is not an https:// address: the token and the messages "
                "would travel unencrypted.",
                hint="Use https://gatewayapi.eu/rest/mtsms (the default).",
                id="cms.W103",
            )
        )
    return errors
