"""Error responses that work when nothing else does: no database, no site settings, no session.

They are in all three languages at once, since the failing request may not have got as far as
choosing one, and each carries the crisis helplines.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy as _

STATIC_PAGE_LANGUAGES = ("fi", "sv", "en")

MESSAGES = {
    500: {
        "title_fi": "Jotain meni vikaan",
        "title_sv": "Något gick fel",
        "title_en": "Something went wrong",
        "text_fi": "Virhe on kirjattu ja korjaamme sen. Tietojasi ei ole kadonnut. Yritä hetken päästä uudelleen.",  # noqa: E501
        "text_sv": "Felet har registrerats och vi åtgärdar det. Inga av dina uppgifter har gått förlorade. Försök igen om en stund.",  # noqa: E501
        "text_en": "The error has been recorded and we are fixing it. None of your data was lost. Please try again in a moment.",  # noqa: E501
    },
    503: {
        "title_fi": "Palvelu on hetken poissa käytöstä",
        "title_sv": "Tjänsten är tillfälligt otillgänglig",
        "title_en": "The service is briefly unavailable",
        "text_fi": "Emme saaneet yhteyttä tietokantaan. Mitään ei tallentunut puoliksi. Yritä uudelleen parin minuutin kuluttua.",  # noqa: E501
        "text_sv": "Vi fick ingen kontakt med databasen. Ingenting sparades till hälften. Försök igen om ett par minuter.",  # noqa: E501
        "text_en": "We could not reach the database. Nothing was half-saved. Please try again in a couple of minutes.",  # noqa: E501
    },
}


def render_static_error(status: int) -> str:
    """The page in three languages, each with its helplines. The database may be what failed, so
    the helplines are the setting's defaults (the network's published numbers and hours), made
    without a query."""
    from cms.models import HelplineSettings

    defaults = HelplineSettings()
    helplines = {f"helplines_{code}": defaults.for_language(code) for code in STATIC_PAGE_LANGUAGES}
    return loader.get_template("error_static.html").render(
        {**MESSAGES[status], **helplines, "exit_url": settings.QUICK_EXIT_URL}
    )


# Errors the site answers in the visitor's language, inside the normal layout (helplines bar,
# language switcher, footer helplines), with a way back.
PAGES = {
    400: (
        _("We could not read the form"),
        _("Something in what was sent did not fit. Go back and try again; nothing was saved."),
    ),
    404: (
        _("Page not found"),
        _("The page you were looking for is not here. It may have moved or ended."),
    ),
    413: (
        _("That was too much to send at once"),
        _(
            "What you sent is larger than this form accepts, so nothing was saved. Shorten "
            "the text or leave out the attachment, and try again."
        ),
    ),
    429: (
        _("Too many tries in a short time"),
        _(
            "We received many forms from your connection in a short time, so we paused for a "
            "while. Nothing is wrong on your side. Please try again a little later."
        ),
    ),
}


def error_page(request: HttpRequest, status: int) -> HttpResponse:
    """The kind page for `status`; if even that needs the database and it is gone, the
    static page in three languages."""
    title, text = PAGES[status]
    try:
        response = render(
            request,
            "error_page.html",
            {"title": title, "text": text, "status": status},
            status=status,
        )
    except DatabaseError:
        return HttpResponse(render_static_error(503), status=503)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None):
    return error_page(request, 413 if isinstance(exception, RequestDataTooBig) else 400)


def page_not_found(request, exception=None):
    return error_page(request, 404)


def server_error(request, *args, **kwargs):
    from django.http import HttpResponseServerError

    return HttpResponseServerError(render_static_error(500))


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection into a calm 503 page that asks to retry, instead of a
    stack trace; Django's CONN_HEALTH_CHECKS reconnects on the next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            from django.http import HttpResponse

            response = HttpResponse(render_static_error(503), status=503)
            response["Retry-After"] = "60"
            response["Cache-Control"] = "no-store"
            return response
        return None
