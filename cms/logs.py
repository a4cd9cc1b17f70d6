"""Private keys never reach a log line (docs/privacy.md).

A manage link, the page after enrolling, a certificate, a feedback link, a text message's
short link (/s/<code>) and a password reset carry their key in the path. Access logs
(gunicorn), Django's request warnings ("Not Found: /fi/my/<key>/", "Gone: ...") and the
development server write paths; each goes through `private_paths_mask` first. No Django
import here: gunicorn.conf.py uses this module in the master process, before Django is loaded.
"""

import logging
import re

MASK = "[private]"

# The path segment after each private prefix (under any language prefix), and the two
# segments of a password reset link (Django's accounts and the Wagtail admin's).
PRIVATE_PATH = re.compile(
    r"(?P<prefix>/(?:my|enrol/done|certificate|feedback|s)/)[^/?#\s\"']+"
    r"|(?P<reset>/(?:reset|password_reset/confirm)/)[^/?#\s\"']+/[^/?#\s\"']+"
)


def _mask(match: re.Match) -> str:
    if match.group("prefix"):
        return f"{match.group('prefix')}{MASK}"
    return f"{match.group('reset')}{MASK}/{MASK}"


def private_paths_mask(text: str) -> str:
    return PRIVATE_PATH.sub(_mask, text)


class PrivateLinkFilter(logging.Filter):
    """Rewrites a record's message with its private keys masked (the arguments are merged into
    the message first, since the path usually comes in as one of them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = private_paths_mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
