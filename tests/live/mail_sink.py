"""An SMTP stand-in and a text-message gateway stand-in that outlive the worker: each accepted
message becomes one file, written atomically (temporary file, fsync, rename), after a short
delay like a real server's."""

import os
import time
import uuid
from email import message_from_bytes
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

from cms.sms.backends import filebased

DELAY_SECONDS = float(os.environ.get("MAIL_SINK_DELAY", "0.1"))


class FileSinkBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        directory = Path(settings.EMAIL_FILE_PATH)
        directory.mkdir(parents=True, exist_ok=True)
        for email_message in email_messages:
            time.sleep(DELAY_SECONDS)
            name = uuid.uuid4().hex
            temporary = directory / f".{name}.tmp"
            with open(temporary, "wb") as handle:
                handle.write(email_message.message().as_bytes())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, directory / f"{name}.eml")  # the server's "250 accepted"
        return len(email_messages)


def delivered_message_ids(directory: Path) -> list[str]:
    """The Message-ID of every delivered copy (a repeat shows up twice)."""
    return [
        message_from_bytes(path.read_bytes())["Message-ID"]
        for path in sorted(Path(directory).glob("*.eml"))
    ]


class SmsFileSinkBackend(filebased.SmsBackend):
    """The gateway's "accepted" is the file's rename (cms.sms.backends.filebased), after the
    same delay as the mail sink's."""

    def send(self, message):
        time.sleep(DELAY_SECONDS)
        return super().send(message)


def delivered_sms_references(directory: Path) -> list[str]:
    """The outbox reference of every delivered text message (a repeat shows up twice)."""
    return [message["reference"] for message in filebased.messages_in(directory)]
