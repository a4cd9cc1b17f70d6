"""Read queries for the site skeleton."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import and_

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

from cms.models import (
    AccessibilityFeedback,
    HelplineSettings,
    SearchDocument,
    SearchMiss,
    ShortLink,
)
from cms.search_text import POSTGRES_CONFIGS, query_terms, words


def helplines_for(*, request: HttpRequest | None = None, language: str | None = None) -> dict:
    """The helplines to show, in the language of the page or e-mail.

    Without a request (e-mails, tasks) the default site's setting is used; with no site at all
    the model defaults still give the real numbers, so a helpline is never missing.
    """
    if request is not None:
        setting = HelplineSettings.for_request(request)
    else:
        site = Site.objects.filter(is_default_site=True).first()
        setting = HelplineSettings.for_site(site) if site else HelplineSettings()
    return setting.for_language(language or get_language())


def page_translations(page: Page) -> dict[str, Page]:
    """The live translations of a page keyed by language code, in one query."""
    translations = (
        Page.objects.live()
        .filter(translation_key=page.translation_key)
        .select_related("locale")
        .only("id", "url_path", "locale__language_code", "translation_key")
    )
    return {translation.locale.language_code: translation for translation in translations}


def page_translation_fallback(*, page: Page, language: str, translations: dict) -> Page | None:
    """Where a reader asking for a language this page lacks is sent: the page in the default
    language, else the nearest ancestor that exists in the asked language (a home page always
    does). `translations` is `page_translations(page)`."""
    default = translations.get(settings.LANGUAGE_CODE)
    if default is not None:
        return default
    keys = page.get_ancestors().filter(depth__gt=1).values("translation_key")
    return (
        Page.objects.live()
        .filter(translation_key__in=keys, locale__language_code=language)
        .order_by("-depth")
        .first()
    )


def locale_for(language_code: str) -> Locale | None:
    return Locale.objects.filter(language_code=language_code).first()


# --- Site search --------------------------------------------------------------------------------

# How many matching documents are ranked; far more than anyone reads, few enough to rank fast.
SEARCH_CANDIDATES = 200
SEARCH_RESULTS = 50
SUGGESTIONS = 8
# Other sources of results (the expert directory) registered by the apps that own them: each
# takes (query words, language, limit) and returns result-like objects of one query's cost.
_EXTRA_SEARCHES: list[Callable[[list[str], str, int], list]] = []


def search_source_register(search: Callable[[list[str], str, int], list]) -> None:
    if search not in _EXTRA_SEARCHES:
        _EXTRA_SEARCHES.append(search)


@dataclass
class SearchSection:
    kind: int
    label: str
    results: list


@dataclass
class SearchResults:
    query: str
    sections: list[SearchSection] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(section.results) for section in self.sections)

    @property
    def results(self) -> list:
        return [result for section in self.sections for result in section.results]


def _postgres_matches(documents: QuerySet, terms, language: str) -> QuerySet:
    """Full-text search in the page language's PostgreSQL configuration: each word must match
    as a word of that language (any inflection the configuration knows) or by the beginning of
    its stem (consonant gradation)."""
    from django.contrib.postgres.search import SearchQuery, SearchVector

    config = POSTGRES_CONFIGS.get(language, "simple")
    vector = SearchVector("title", "summary", "body", "places", config=config)
    queries = []
    for word, _stem, prefix in terms:
        query = SearchQuery(word, config=config)
        if prefix:
            query |= SearchQuery(f"{prefix}:*", config="simple", search_type="raw")
        queries.append(query)
    return documents.annotate(vector=vector).filter(vector=reduce(and_, queries))


def _token_matches(documents: QuerySet, terms) -> QuerySet:
    """The same on SQLite, over the stems written with each document (`cms.search_text`)."""
    conditions = []
    for _word, stem, prefix in terms:
        condition = Q(tokens__contains=f" {stem} ")
        if prefix:
            condition |= Q(tokens__contains=f" {prefix}")
        conditions.append(condition)
    return documents.filter(reduce(and_, conditions))


def _score(document: SearchDocument, terms) -> int:
    score = 0
    for _word, stem, prefix in terms:
        if f" {stem} " in document.title_tokens:
            score += 4
        elif prefix and f" {prefix}" in document.title_tokens:
            score += 2
        if f" {stem} " in document.tokens:
            score += 2
        elif prefix and f" {prefix}" in document.tokens:
            score += 1
    return score


def site_search(*, query: str, language: str) -> SearchResults:
    """What a visitor finds for `query` on pages of `language`: best first within each kind,
    courses first. A fixed number of queries whatever the index holds."""
    terms = query_terms(query, language)
    results = SearchResults(query=query)
    if not terms:
        return results
    documents = SearchDocument.objects.filter(language=language).only(
        "kind", "title", "url", "summary", "title_tokens", "tokens", "translation_key", "source"
    )
    if connection.vendor == "postgresql":
        documents = _postgres_matches(documents, terms, language)
    else:
        documents = _token_matches(documents, terms)
    found = sorted(
        documents.order_by("kind", "pk")[:SEARCH_CANDIDATES],
        key=lambda document: (document.kind, -_score(document, terms), document.title),
    )
    by_kind: dict[int, list] = {}
    for document in found:
        by_kind.setdefault(document.kind, []).append(document)
    for search in _EXTRA_SEARCHES:
        for result in search([word for word, _stem, _prefix in terms], language, 10):
            by_kind.setdefault(result.kind, []).append(result)
    labels = dict(SearchDocument.Kind.choices)
    remaining = SEARCH_RESULTS
    for kind in sorted(by_kind):
        shown = by_kind[kind][:remaining]
        remaining -= len(shown)
        if shown:
            results.sections.append(SearchSection(kind=kind, label=labels[kind], results=shown))
    return results


def search_suggestions(*, query: str, language: str) -> list[str]:
    """Titles to offer while a visitor types: every word typed is the beginning of a word of
    the title or of the places it is about ("Åb" offers the courses with a group in Turku)."""
    typed = words(query)[:5]
    if not typed or len(typed[-1]) < 2:
        return []
    documents = SearchDocument.objects.filter(language=language)
    for word in typed:
        documents = documents.filter(words__contains=f" {word}")
    titles = documents.order_by("kind", "title").values_list("title", flat=True)
    return list(dict.fromkeys(titles[: SUGGESTIONS * 2]))[:SUGGESTIONS]


def search_misses_top(*, days: int | None = None, limit: int = 10) -> list[dict]:
    """The words searched most often without results, summed over the kept days."""
    days = days or settings.SEARCH_MISS_DAYS
    since = timezone.localdate() - dt.timedelta(days=days)
    return list(
        SearchMiss.objects.filter(day__gte=since)
        .values("query", "language")
        .annotate(total=Sum("count"))
        .order_by("-total", "query")[:limit]
    )


class _SettingValues(dict):
    """`{SETTING_NAME}` in a retention text reads the setting's current value."""

    def __missing__(self, key):
        return getattr(settings, key)


def privacy_notice() -> list[dict]:
    """What the system stores about people, read from the models themselves: every model that
    declares `personal_data` (cms.personal_data.PersonalData), with each of its fields but the
    primary key, links to other records and the ones it calls technical, by verbose name and
    help text; its purpose, retention (with the settings' values) and erasure."""
    records = []
    for model in apps.get_models():
        declared = getattr(model, "personal_data", None)
        if declared is None:
            continue
        fields = [
            {"name": declared.labels.get(field.name, field.verbose_name), "help": field.help_text}
            for field in model._meta.concrete_fields
            if not field.primary_key
            and not field.is_relation
            and field.name not in declared.technical
        ]
        records.append(
            {
                "label": model._meta.label_lower,
                "name": model._meta.verbose_name_plural,
                "purpose": declared.purpose,
                "retention": str(declared.retention).format_map(_SettingValues()),
                "erasure": declared.erasure,
                "fields": fields,
            }
        )
    return records


def accessibility_feedback_unanswered(*, limit: int = 10) -> tuple[int, list]:
    """How many accessibility messages wait for a reply, and the oldest `limit` of them, each
    with its reply deadline (`reply_due`: ACCESSIBILITY_FEEDBACK_REPLY_DAYS after it came)."""
    waiting = AccessibilityFeedback.objects.filter(replied_at__isnull=True)
    days = dt.timedelta(days=settings.ACCESSIBILITY_FEEDBACK_REPLY_DAYS)
    rows = list(waiting.order_by("received_at")[:limit])
    for row in rows:
        row.reply_due = row.received_at + days
    return waiting.count(), rows


def short_link_by_code(code: str) -> ShortLink | None:
    """The short link with this code (codes are written in lower case), or None."""
    return ShortLink.objects.filter(code=code.strip().lower()).first()
