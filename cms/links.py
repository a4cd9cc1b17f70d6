"""Absolute links (e-mails, the sitemap, canonical links, structured data, calendar files) all
start with settings.BASE_URL, the one address of the site, never with whatever Host header a
request happened to carry. The Wagtail Site's hostname and port follow it too
(cms.services.site.site_address_sync)."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """BASE_URL followed by `path` (a path from the site root, e.g. from reverse())."""
    return f"{settings.BASE_URL}{path}"


def page_absolute_url(page, request=None) -> str:
    """A Wagtail page's address on BASE_URL."""
    url = page.get_url(request=request) or "/"
    parts = urlsplit(url)
    return absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""))


def base_url_host_and_port() -> tuple[str, int]:
    parts = urlsplit(settings.BASE_URL)
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)
