from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cms.selectors import search_suggestions, site_search
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
