from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cms.selectors import page_search


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


@require_GET
def search(request):
    """Site search in the visitor's language (Wagtail search over every page type)."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    results = page_search(query=query, language=language)
    return render(request, "cms/search.html", {"query": query, "results": results})
