from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
