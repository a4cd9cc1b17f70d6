"""Counting requests per address in the shared cache (Redis in production, so every web
process counts together): a bot's burst meets a kind 429 page and never reaches the database."""

import contextlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    # Behind the production proxy REMOTE_ADDR is set from X-Forwarded-For by the proxy itself.
    return request.META.get("REMOTE_ADDR", "unknown")


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one request; True when it is over `limit` in the current window (0: no limit)."""
    if limit <= 0:
        return False
    cache_key = f"rate:{scope}:{key}"
    cache.add(cache_key, 0, window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, window_seconds)
        count = 1
    return count > limit


def rate_limit_refund(*, scope: str, key: str) -> None:
    """Take back one counted request: a form sent back with its errors (400) is a person
    correcting a mistake, not a burst, and must not use up their enrolments."""
    with contextlib.suppress(ValueError):  # the window expired meanwhile: nothing to take back
        cache.decr(f"rate:{scope}:{key}")


def rate_limit_for_view(view_name: str) -> tuple[int, int] | None:
    """(limit, window in seconds) of POSTs to a named view, from settings.RATE_LIMITS."""
    if view_name not in settings.RATE_LIMITS:
        return None
    setting, window_seconds = settings.RATE_LIMITS[view_name]
    return getattr(settings, setting), window_seconds
