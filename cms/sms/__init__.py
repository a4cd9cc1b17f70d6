"""Text messages: a pluggable backend, as Django's e-mail backends are (docs/messages.md).

`SMS_BACKEND` names the class; `sms_send(to=..., body=...)` sends one message through it. The
outbox (groups/services/outbox.py) is the only caller in the project: it decides what is sent
and makes sure each message goes out once; a backend only delivers.

Backends raise `SmsError` for a failure: `permanent=True` when trying again cannot help (a
number the gateway refuses, bad credentials), else the outbox tries again later.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

# The GSM 03.38 basic alphabet, one septet each (Finnish and Swedish letters included) ...
GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# ... and its extension table, two septets each (an escape, then the character).
GSM7_EXTENDED = "^{}\\[~]|€\f"
# One message: 160 septets in GSM-7, 70 characters in UCS-2.
SMS_GSM7_LIMIT = 160
SMS_UCS2_LIMIT = 70


def gsm7_length(text: str) -> int | None:
    """Septets `text` takes in GSM-7, or None when it holds a character outside GSM-7 (the
    whole message would then go as UCS-2, 70 characters a message)."""
    length = 0
    for char in text:
        if char in GSM7_BASIC:
            length += 1
        elif char in GSM7_EXTENDED:
            length += 2
        else:
            return None
    return length


def sms_fits_one(text: str) -> bool:
    """Whether `text` goes as one message (160 GSM-7 septets, else 70 UCS-2 characters)."""
    septets = gsm7_length(text)
    if septets is None:
        return len(text) <= SMS_UCS2_LIMIT
    return septets <= SMS_GSM7_LIMIT


# Typographic characters a template or a name may bring that GSM-7 lacks, and their plain twins:
# without them one curly quote would turn a whole message into UCS-2 (70 characters).
GSM7_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2212": "-",
    }
)


def sms_plain(text: str) -> str:
    """One line of text as a message carries it: spaces collapsed, typographic characters
    that GSM-7 lacks replaced by their plain twins."""
    return " ".join(text.translate(GSM7_PLAIN).split())


@dataclass(frozen=True)
class SmsMessage:
    to: str  # E.164, e.g. +358401234567
    body: str
    # Fixed by the sender (the outbox row): the same on every attempt of one message, so a
    # gateway that keeps references can tell a repeat.
    reference: str = ""


class SmsError(Exception):
    """Sending failed. `permanent`: trying again cannot help. The text is safe to store: no
    number and no message body (backends put only the gateway's status and code in it)."""

    def __init__(self, message: str = "", *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def sms_backend(path: str | None = None):
    """An instance of the configured backend (or of `path`)."""
    return import_string(path or settings.SMS_BACKEND)()


def sms_send(*, to: str, body: str, reference: str = "") -> str:
    """Send one text message; returns the gateway's id for it (or "" if it gives none)."""
    return sms_backend().send(SmsMessage(to=to, body=body, reference=reference))
