"""Tests: messages are kept in `cms.sms.backends.locmem.outbox` (cleared by the tests'
autouse fixture), as Django's locmem e-mail backend keeps `django.core.mail.outbox`."""

from cms.sms import SmsMessage
from cms.sms.backends.base import BaseSmsBackend

outbox: list[SmsMessage] = []


class SmsBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> str:
        outbox.append(message)
        return f"locmem-{len(outbox)}"
