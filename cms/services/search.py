"""Writes of the site search: its documents and the counts of searches that found nothing.

Each app describes its own things (`cms.search_documents`, `groups.search_documents`,
`network.search_documents`) and keeps them current from its signals; a full rebuild runs every
app's registered rebuild (`manage.py search_index_rebuild`, after bulk loads such as the bench's
scale data)."""

import datetime as dt
from collections.abc import Callable, Iterable
from html import unescape
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.fields import StreamValue

from cms.models import SearchDocument, SearchMiss
from cms.search_text import token_field, word_field, words
from cms.towns import town_names

_REBUILDERS: list[Callable[[], None]] = []


def search_rebuilder_register(rebuild: Callable[[], None]) -> None:
    """An app's function that writes every document it owns (called by the full rebuild)."""
    if rebuild not in _REBUILDERS:
        _REBUILDERS.append(rebuild)


def search_index_rebuild() -> int:
    """Every document from scratch; returns how many there are."""
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        for rebuild in _REBUILDERS:
            rebuild()
    return SearchDocument.objects.count()


def source_of(instance: models.Model) -> str:
    return f"{instance._meta.label_lower}:{instance.pk}"


def plain_text(value) -> str:
    """The readable text of a field: rich text without its tags, a StreamField's searchable
    content (what Wagtail's own index takes from it)."""
    if isinstance(value, StreamValue):
        return " ".join(
            strip_tags(unescape(str(part)))
            for part in value.stream_block.get_searchable_content(value)
        )
    return strip_tags(unescape(str(value or "")))


def places_text(towns: Iterable[str], names: Iterable[str] = ()) -> str:
    """Towns in every official language, then other place names (centres), each once."""
    found: dict[str, None] = {}
    for town in towns:
        for name in town_names(town) if town else ():
            found[name] = None
    for name in names:
        if name:
            found[name] = None
    return ", ".join(found)


def search_document_put(
    *,
    source: str,
    language: str,
    kind: int,
    title: str,
    url: str,
    summary: str = "",
    body: str = "",
    places: str = "",
    translation_key: UUID | None = None,
) -> SearchDocument:
    """Write (or rewrite) the document of one thing in one language."""
    document, _created = SearchDocument.objects.update_or_create(
        source=source,
        language=language,
        defaults={
            "kind": kind,
            "title": title[:300],
            "url": url[:500],
            "summary": summary,
            "body": body,
            "places": places,
            "title_tokens": token_field(title, language),
            "tokens": token_field(" ".join([title, summary, body, places]), language),
            "words": word_field(" ".join([title, places])),
            "translation_key": translation_key,
        },
    )
    return document


def search_documents_remove(*, source: str, languages: Iterable[str] | None = None) -> None:
    documents = SearchDocument.objects.filter(source=source)
    if languages is not None:
        documents = documents.filter(language__in=list(languages))
    documents.delete()


def search_query_normalise(query: str) -> str:
    """What is counted of a query: its words in lower case, nothing else."""
    return " ".join(words(query))[:200]


def search_miss_record(*, query: str, language: str, day: dt.date | None = None) -> None:
    """Count one search that found nothing. Only the normalised words, the language and the
    day are kept: never who searched, from where or when in the day."""
    text = search_query_normalise(query)
    if not text:
        return
    day = day or timezone.localdate()
    counted = SearchMiss.objects.filter(query=text, language=language, day=day).update(
        count=F("count") + 1
    )
    if counted:
        return
    try:
        with transaction.atomic():
            SearchMiss.objects.create(query=text, language=language, day=day)
    except IntegrityError:  # the same words counted at the same moment by another request
        SearchMiss.objects.filter(query=text, language=language, day=day).update(
            count=F("count") + 1
        )


def search_misses_purge(*, today: dt.date | None = None) -> int:
    """Delete the counts older than SEARCH_MISS_DAYS; returns how many rows went."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=settings.SEARCH_MISS_DAYS)
    deleted, _per_model = SearchMiss.objects.filter(day__lt=cutoff).delete()
    return deleted
