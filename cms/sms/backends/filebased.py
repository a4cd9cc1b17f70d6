"""Development and the live tests: each message is one file in SMS_FILE_PATH (`make run`
prints the folder), named by time and the outbox's reference, so a repeat is easy to see."""

import json
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from cms.sms import SmsMessage
from cms.sms.backends.base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def __init__(self, file_path: str | None = None):
        path = file_path or getattr(settings, "SMS_FILE_PATH", "")
        if not path:
            raise ImproperlyConfigured("Set SMS_FILE_PATH for the file-based SMS backend.")
        self.folder = Path(path)
        self.folder.mkdir(parents=True, exist_ok=True)

    def send(self, message: SmsMessage) -> str:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
        name = f"{stamp}-{uuid.uuid4().hex[:8]}.json"
        record = {"to": message.to, "body": message.body, "reference": message.reference}
        # Written whole under a temporary name, then renamed: a reader never sees half a file.
        temporary = self.folder / f".{name}.tmp"
        temporary.write_text(json.dumps(record, ensure_ascii=False, indent=1))
        os.replace(temporary, self.folder / name)
        return name


def messages_in(folder: str | Path) -> list[dict]:
    """The messages a file backend wrote to `folder`, oldest first (for tests and the demo)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]
