from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

PUBLIC_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no 'unsafe-inline') on everything but the Wagtail admin,
    whose own scripts and styles are inline; plus a Permissions-Policy that turns off what a
    support site never needs."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt_prefixes = (f"/{settings.ADMIN_PATH}/", "/django-admin/")

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.exempt_prefixes):
            response.headers.setdefault("Content-Security-Policy", PUBLIC_CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that a 404 from a view outside the language prefix stays a 404.

    Django redirects an unprefixed 404 to `/<lang>/<path>` when that path resolves, and
    Wagtail's catch-all resolves everything, so `/facilitate/groups/1/` for someone else's group
    would become a redirect. When the unprefixed path did resolve to a view (the portal, the
    login pages), the 404 is that view's answer and is returned as it is.
    """

    def process_response(self, request, response):
        if response.status_code == 404 and getattr(request, "resolver_match", None):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
