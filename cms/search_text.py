"""How text becomes search terms, the same way for the documents and the queries.

Snowball stems per language (the algorithms PostgreSQL's `finnish`, `swedish` and `english`
configurations use), so "itsemurhan" finds "itsemurha" on SQLite as on PostgreSQL. Snowball
leaves Finnish consonant gradation alone ("menetys" and "menetyksen" stem apart), so a longer
query word also matches by the first PREFIX_LENGTH letters of its stem; an exact stem match
ranks above such a prefix match.
"""

import functools
import re
import unicodedata

import snowballstemmer

STEMMERS = {"fi": "finnish", "sv": "swedish", "en": "english"}
# PostgreSQL text-search configuration per page language.
POSTGRES_CONFIGS = STEMMERS
PREFIX_LENGTH = 5
MAX_QUERY_WORDS = 8
WORD = re.compile(r"[^\W_]+")
# Words a query may carry that say nothing of what is sought. PostgreSQL's configurations drop
# their own (longer) lists; these keep SQLite from requiring them in every document.
STOP_WORDS = {
    "fi": {"ja", "tai", "on", "ei", "se", "ne", "kun", "jos", "että", "myös", "sekä", "kanssa"},
    "sv": {"och", "att", "det", "som", "en", "ett", "för", "med", "till", "av", "på", "är"},
    "en": {"and", "the", "for", "with", "from", "that", "this", "are", "was", "its", "into"},
}


@functools.cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(STEMMERS.get(language, "finnish"))


def words(text: str) -> list[str]:
    """The lower-case words of a text: letters and digits only, so quotes, operators and
    control characters typed into a search box are never query syntax."""
    return WORD.findall(unicodedata.normalize("NFC", text or "").casefold())


def stems(text: str, language: str) -> list[str]:
    return _stemmer(language).stemWords(words(text))


def token_field(text: str, language: str) -> str:
    """Distinct stems, space-separated and space-framed, so ` stem ` finds a whole stem and
    ` pre` a stem's beginning with a plain `contains`."""
    unique = dict.fromkeys(stems(text, language))
    return f" {' '.join(unique)} " if unique else ""


def word_field(text: str) -> str:
    """Distinct unstemmed words, framed the same way: what autocomplete matches against."""
    unique = dict.fromkeys(words(text))
    return f" {' '.join(unique)} " if unique else ""


def query_terms(query: str, language: str) -> list[tuple[str, str, str]]:
    """(word, stem, prefix) for each distinct stem of the query, at most MAX_QUERY_WORDS; the
    prefix is empty for stems too short for it to mean anything. Stop words, and words of one or
    two letters, are left out when other words exist."""
    typed = list(dict.fromkeys(words(query)))
    if any(word not in STOP_WORDS.get(language, ()) for word in typed):
        typed = [word for word in typed if word not in STOP_WORDS.get(language, ())]
    if any(len(word) > 2 for word in typed):
        typed = [word for word in typed if len(word) > 2]
    terms: dict[str, tuple[str, str, str]] = {}
    for word in typed:
        stem = _stemmer(language).stemWord(word)
        prefix = stem[:PREFIX_LENGTH] if len(stem) > PREFIX_LENGTH else ""
        terms.setdefault(stem, (word, stem, prefix))
    return list(terms.values())[:MAX_QUERY_WORDS]
