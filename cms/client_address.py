"""The visitor's address, the one rule every rate limit and django-axes use.

Behind reverse proxies REMOTE_ADDR is the nearest proxy, and X-Forwarded-For is a list each
proxy appends the address it saw to. Only the right-most TRUSTED_PROXY_COUNT entries were
written by our own proxies; anything left of them came from the visitor and can be anything.
So with N trusted proxies the visitor is the N-th entry from the right, and with none (the
default, a server facing the internet) the header is ignored altogether.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address_or_none(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()
    ]
    if len(forwarded) < proxies:
        # The request did not come through the whole chain of proxies (or one of them does
        # not add the header): nothing in the header can be trusted.
        return remote
    return _address_or_none(forwarded[-proxies]) or remote
