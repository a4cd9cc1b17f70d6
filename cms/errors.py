"""Error responses that work when nothing else does: no database, no site settings, no session.

They are in all three languages at once, since the failing request may not have got as far as
choosing one, and each carries the crisis helplines.
"""

from django.db import InterfaceError, OperationalError
from django.template import loader

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
    return loader.get_template("error_static.html").render(MESSAGES[status])


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
