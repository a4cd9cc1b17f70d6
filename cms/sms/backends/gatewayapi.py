"""Production: GatewayAPI's REST API (https://gatewayapi.com/docs/apis/rest/), an EU gateway
with its data in the EU. Configured from the environment (docs/configuration.md):
SMS_GATEWAYAPI_TOKEN, SMS_GATEWAYAPI_URL (the EU endpoint by default), SMS_SENDER and
SMS_GATEWAYAPI_CLASS.

One POST per message, JSON `{"sender", "message", "recipients": [{"msisdn"}], "userref"}`
with `Authorization: Token ...`; the answer `{"ids": [...]}` means accepted. The gateway's
refusals are sorted for the outbox: a request it will never take (HTTP 400, 422: a bad number
or text) fails at once; anything else (429 too many requests, 5xx, bad credentials, a timeout
or a lost connection) is tried again later with a growing delay, then given up.
"""

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cms.sms import SmsError, SmsMessage, gsm7_length
from cms.sms.backends.base import BaseSmsBackend

EU_ENDPOINT = "https://gatewayapi.eu/rest/mtsms"
# Answers that will be the same however often the message is sent again.
PERMANENT_STATUSES = {400, 413, 422}


class SmsBackend(BaseSmsBackend):
    def __init__(self):
        self.token = settings.SMS_GATEWAYAPI_TOKEN
        self.url = settings.SMS_GATEWAYAPI_URL or EU_ENDPOINT
        self.sender = settings.SMS_SENDER
        self.message_class = settings.SMS_GATEWAYAPI_CLASS
        self.timeout = settings.SMS_TIMEOUT
        if not self.token:
            raise ImproperlyConfigured("Set SMS_GATEWAYAPI_TOKEN for the GatewayAPI backend.")

    def payload(self, message: SmsMessage) -> dict:
        payload = {
            "sender": self.sender,
            "message": message.body,
            "recipients": [{"msisdn": int(message.to.lstrip("+"))}],
            "class": self.message_class,
        }
        if message.reference:
            payload["userref"] = message.reference
        if gsm7_length(message.body) is None:
            payload["encoding"] = "UCS2"
        return payload

    def send(self, message: SmsMessage) -> str:
        request = urllib.request.Request(  # noqa: S310 (an https URL from the settings)
            self.url,
            data=json.dumps(self.payload(message)).encode(),
            headers={
                "Authorization": f"Token {self.token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise SmsError(
                f"GatewayAPI HTTP {error.code} {_error_code(error)}".strip(),
                permanent=error.code in PERMANENT_STATUSES,
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsError(f"GatewayAPI unreachable ({type(error).__name__})") from None
        except ValueError:
            raise SmsError("GatewayAPI answered with something other than JSON") from None
        ids = answer.get("ids") if isinstance(answer, dict) else None
        if not ids:
            raise SmsError("GatewayAPI accepted nothing")
        return str(ids[0])


def _error_code(error: urllib.error.HTTPError) -> str:
    """The gateway's own error code (e.g. "0x0216"), never its message, which may quote the
    number or the text."""
    try:
        body = json.loads(error.read() or b"{}")
    except (ValueError, OSError):
        return ""
    code = body.get("code") if isinstance(body, dict) else None
    return str(code)[:20] if code else ""
