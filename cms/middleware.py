from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with two policies: CONTENT_SECURITY_POLICY (strict, no inline
    code) for the public site, and ADMIN_CONTENT_SECURITY_POLICY for the Wagtail admin, whose
    own templates write some scripts and styles inline (date pickers, inline panels).

    A page's preview is rendered by passing a request for the page's own path through this
    stack, so it gets the public policy; only its framing is widened to this site, so that the
    editor's preview panel can show it."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if request.path_info.startswith(f"/{settings.ADMIN_PATH}/"):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        elif getattr(request, "is_preview", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts


class PermissionsPolicyMiddleware:
    """Turns off the browser features a support site never needs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
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
        if counted and response.status_code == 400:
            from cms.services.rate_limit import rate_limit_refund

            for scope, key in counted:
                rate_limit_refund(scope=scope, key=key)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        from cms.services.rate_limit import rate_limit_exceeded

        if request.method != "POST" or request.resolver_match is None:
            return None
        if not request.content_type.startswith("multipart/") and _has_nul(request.POST):
            from cms.errors import error_page

            return error_page(request, 400)
        window_seconds = rate_limit_exceeded(request, request.resolver_match.view_name)
        if window_seconds is None:
            return None
        from cms.errors import error_page

        response = error_page(request, 429)
        response["Retry-After"] = str(window_seconds)
        return response
