"""Counting requests per address in the shared cache (Redis in production, so every web
process counts together): a bot's burst meets a kind 429 page and never reaches the database.

A budget is shared by every view that names it: the site's login and the Wagtail admin's login
spend one budget, and so do the two password-reset forms. The reset forms are also counted per
e-mail address asked for, so nobody can fill one person's inbox from many addresses.
"""

import contextlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from cms.client_address import client_address


@dataclass(frozen=True)
class Budget:
    name: str
    setting: str  # the setting holding the number of POSTs allowed per window (0: no limit)
    window_seconds: int
    field: str | None = None  # counted per value of this form field instead of per address

    @property
    def limit(self) -> int:
        return getattr(settings, self.setting)


ENROLMENT = Budget("enrolment", "ENROLMENT_RATE_LIMIT", 60 * 60)
ACCESSIBILITY_FEEDBACK = Budget("accessibility-feedback", "ENROLMENT_RATE_LIMIT", 60 * 60)
LOGIN = Budget("login", "LOGIN_RATE_LIMIT", 10 * 60)
PASSWORD_RESET = Budget("password-reset", "PASSWORD_RESET_RATE_LIMIT", 60 * 60)
PASSWORD_RESET_ACCOUNT = Budget(
    "password-reset-account", "PASSWORD_RESET_ACCOUNT_RATE_LIMIT", 60 * 60, field="email"
)

# POSTs to these views (URL names) spend these budgets.
BUDGETS_BY_VIEW: dict[str, tuple[Budget, ...]] = {
    "groups:enrol": (ENROLMENT,),
    "accessibility_statement": (ACCESSIBILITY_FEEDBACK,),
    "login": (LOGIN,),
    "wagtailadmin_login": (LOGIN,),
    "password_reset": (PASSWORD_RESET, PASSWORD_RESET_ACCOUNT),
    "wagtailadmin_password_reset": (PASSWORD_RESET, PASSWORD_RESET_ACCOUNT),
}


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


def _budget_key(budget: Budget, request: HttpRequest) -> str | None:
    if budget.field is None:
        return client_address(request)
    value = request.POST.get(budget.field, "").strip().lower()
    if not value:
        return None
    # A keyed hash: the cache (Redis) never holds the e-mail address itself.
    return salted_hmac("rate-limit", value).hexdigest()


def rate_limit_exceeded(request: HttpRequest, view_name: str) -> int | None:
    """Count a POST to `view_name` against each of its budgets; the window in seconds of the
    first budget it is over, or None when it is within all of them. What was counted is kept
    on the request (`rate_limit_counted`), to be refunded if the form comes back with errors."""
    request.rate_limit_counted = []
    for budget in BUDGETS_BY_VIEW.get(view_name, ()):
        key = _budget_key(budget, request)
        if key is None:
            continue
        request.rate_limit_counted.append((budget.name, key))
        if rate_limit_hit(
            scope=budget.name,
            key=key,
            limit=budget.limit,
            window_seconds=budget.window_seconds,
        ):
            return budget.window_seconds
    return None
