"""A cache of public pages as anonymous visitors see them.

Pages are stored whole, keyed by host, path and query (the path carries the language), under a
version number. Publishing or unpublishing a page, or saving any of the site's records (groups,
enrolments, centres, topics, settings), bumps the version, so the next visitor gets a fresh page
at once; the time limit only bounds how long an untouched page may stay.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse

VERSION_KEY = "page-cache:version"
# Apps whose records are shown on public pages.
CONTENT_APPS = {"cms", "courses", "groups", "network", "wagtailcore"}
# Wagtail's audit entries: written beside the rows they tell of, never shown to the public.
NEVER_SHOWN = {"wagtailcore.modellogentry", "wagtailcore.pagelogentry"}
# A visitor with one of these cookies may see something personal (a message, a login).
PERSONAL_COOKIES = {"sessionid", "messages", "csrftoken"}
# Views whose anonymous answers are stored: Wagtail's pages and the site search. A view opts a
# single answer out with `response.page_cache_skip = True` (a search that found nothing is
# counted on every request).
CACHED_VIEWS = {"wagtail_serve", "search", "search_suggest"}


def page_cache_seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 300)


def page_cache_clear() -> None:
    """Start a new version: every page stored so far is unreachable from now on. A fresh
    value, set in one write (an increment is a read and a write on Redis)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def page_cache_clear_on_commit(**kwargs) -> None:
    """Clear once the change is committed: at once outside a transaction, else after its
    commit (registered once per transaction, however many rows it saves). A page rendered
    before the commit shows the old rows under the old version or a newer one, and every such
    version is left behind by the clear after the commit; a clear before it would buy nothing."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        page_cache_clear()
    elif not any(
        callback is page_cache_clear for _sids, callback, _robust in connection.run_on_commit
    ):
        transaction.on_commit(page_cache_clear, robust=True)


def _shown_on_public_pages(sender, instance, *, added_or_removed: bool) -> bool:
    """Whether saving or deleting this row may change what a public page shows. A model says
    it never does with `page_cache_ignore = True` (mail, attendance), or answers per row with
    `page_cache_affected(added_or_removed=...)` (an enrolment: only one holding a place)."""
    if (
        sender._meta.app_label not in CONTENT_APPS
        or sender._meta.label_lower in NEVER_SHOWN
        or getattr(sender, "page_cache_ignore", False)
    ):
        return False
    affected = getattr(instance, "page_cache_affected", None)
    return affected is None or affected(added_or_removed=added_or_removed)


def content_saved(sender, instance=None, created=False, **kwargs) -> None:
    if _shown_on_public_pages(sender, instance, added_or_removed=created):
        page_cache_clear_on_commit()


def content_deleted(sender, instance=None, **kwargs) -> None:
    if _shown_on_public_pages(sender, instance, added_or_removed=True):
        page_cache_clear_on_commit()


def is_cacheable_request(request: HttpRequest) -> bool:
    return (
        page_cache_seconds() > 0
        and request.method in {"GET", "HEAD"}
        and not PERSONAL_COOKIES & set(request.COOKIES)
        and not getattr(getattr(request, "user", None), "is_authenticated", False)
    )


def _key(request: HttpRequest) -> str:
    """A short key whatever the address: a path of kilobytes (a bot's, say) would otherwise make
    a key of kilobytes."""
    version = cache.get_or_set(VERSION_KEY, "1", timeout=None)
    address = f"{request.get_host()}{request.get_full_path()}".encode()
    return f"page-cache:{version}:{hashlib.sha256(address).hexdigest()}"


def cached_page(request: HttpRequest) -> HttpResponse | None:
    return cache.get(_key(request)) if is_cacheable_request(request) else None


def page_store(request: HttpRequest, response: HttpResponse) -> None:
    match = getattr(request, "resolver_match", None)
    if (
        match is None
        or match.url_name not in CACHED_VIEWS
        or getattr(response, "page_cache_skip", False)
        or response.status_code != 200
        or response.cookies
        or getattr(response, "streaming", False)
        or "private" in response.get("Cache-Control", "")
        or not is_cacheable_request(request)
    ):
        return
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    cache.set(_key(request), response, timeout=page_cache_seconds())


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cached = cached_page(request)
        if cached is not None:
            return cached
        response = self.get_response(request)
        page_store(request, response)
        return response
