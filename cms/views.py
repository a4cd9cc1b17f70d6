import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cms.public_forms import AccessibilityFeedbackForm
from cms.selectors import privacy_notice, search_suggestions, short_link_by_code, site_search
from cms.services.accessibility import accessibility_feedback_create
from cms.services.search import search_miss_record


@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


SEARCH_MAX_LENGTH = 200


def _search_query(request) -> tuple[str, str]:
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    return query, (get_language() or settings.LANGUAGE_CODE)[:2]


@require_GET
def search(request):
    """Site search in the visitor's language: courses, crisis centres, pages and the expert
    directory, grouped. A search that finds nothing is counted (words, language and day only)
    and its page is not cached, so every such search counts."""
    query, language = _search_query(request)
    results = site_search(query=query, language=language)
    response = render(request, "cms/search.html", {"query": query, "results": results})
    if query and not results.count:
        search_miss_record(query=query, language=language)
        response.page_cache_skip = True
    return response


@require_GET
def search_suggest(request):
    """Titles for the header search box while the visitor types (static/js/search.js)."""
    query, language = _search_query(request)
    return JsonResponse({"suggestions": search_suggestions(query=query, language=language)})


@require_GET
def staying_safe(request):
    """Staying safe online: private browsing, clearing the history, the quick exit."""
    return render(request, "cms/staying_safe.html", {"exit_url": settings.QUICK_EXIT_URL})


# When the accessibility statement was last reviewed (change it with the statement's text).
STATEMENT_DATE = dt.date(2026, 12, 5)


@require_http_methods(["GET", "POST"])
def accessibility_statement(request):
    """The accessibility statement (Act 306/2019) with its feedback form."""
    form = AccessibilityFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accessibility_feedback_create(
            **form.cleaned_data, language=(get_language() or settings.LANGUAGE_CODE)[:2]
        )
        messages.success(
            request,
            _("Thank you. Your feedback has reached our coordinators; we reply within two weeks."),
        )
        return redirect("accessibility_statement")
    return render(
        request,
        "cms/accessibility_statement.html",
        {
            "form": form,
            "reply_days": settings.ACCESSIBILITY_FEEDBACK_REPLY_DAYS,
            "statement_date": STATEMENT_DATE,
        },
        status=400 if form.errors else 200,
    )


@require_GET
def privacy(request):
    """The privacy notice, generated from what the models store (cms.selectors.privacy_notice)."""
    return render(
        request,
        "cms/privacy_notice.html",
        {"records": privacy_notice(), "retention_days": settings.RETENTION_DAYS},
    )


@never_cache
@require_GET
def short_link(request, code: str):
    """A text message's short link: on to its page while it works; a kind page with the
    helplines once it has expired (410), the site's 404 page for a code that never was."""
    link = short_link_by_code(code)
    if link is None:
        raise Http404
    if link.expires_at <= timezone.now():
        # In the language of the page it led to (the path begins with it).
        language = translation.get_language_from_path(link.target) or get_language()
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = render(request, "cms/short_link_expired.html", status=410)
        response["X-Robots-Tag"] = "noindex"
        return response
    response = redirect(link.target)
    response["Referrer-Policy"] = "no-referrer"
    return response
