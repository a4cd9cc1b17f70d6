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


def _has_nul(query_dict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query_dict.lists()
    )


class RequestLimitsMiddleware:
    """Refuses, before anything reads the body or touches the database, a body larger than the
    path allows (413), a NUL character anywhere in the path or the form (400: PostgreSQL cannot
    store one, and no person types it) and a burst of form posts from one address (429); each
    with a kind page in the visitor's language and the helplines."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = f"/{settings.ADMIN_PATH}/"

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = (
            settings.ADMIN_REQUEST_MAX_BYTES
            if request.path.startswith(self.admin_prefix)
            else settings.PUBLIC_REQUEST_MAX_BYTES
        )
        if length > limit:
            from cms.errors import error_page

            return error_page(request, 413)
        if "\x00" in request.path or _has_nul(request.GET):
            from cms.errors import error_page

            return error_page(request, 400)
        response = self.get_response(request)
        counted = getattr(request, "rate_limit_counted", None)
        if counted is not None and response.status_code == 400:
            from cms.services.rate_limit import client_address, rate_limit_refund

            rate_limit_refund(scope=counted, key=client_address(request))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        from cms.services.rate_limit import client_address, rate_limit_for_view, rate_limit_hit

        if request.method != "POST" or request.resolver_match is None:
            return None
        if not request.content_type.startswith("multipart/") and _has_nul(request.POST):
            from cms.errors import error_page

            return error_page(request, 400)
        rule = rate_limit_for_view(request.resolver_match.view_name)
        if rule is None:
            return None
        limit, window_seconds = rule
        request.rate_limit_counted = request.resolver_match.view_name
        if rate_limit_hit(
            scope=request.resolver_match.view_name,
            key=client_address(request),
            limit=limit,
            window_seconds=window_seconds,
        ):
            from cms.errors import error_page

            response = error_page(request, 429)
            response["Retry-After"] = str(window_seconds)
            return response
        return None
