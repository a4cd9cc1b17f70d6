"""Towns with two official names: the Swedish name of a Finnish municipality and back.

Used wherever a town is shown to a Swedish reader or searched for in either language (search
documents carry both names, so "Åbo" finds what "Turku" does). Names as the Institute for the
Languages of Finland publishes them; towns with one name are simply absent.
"""

from collections.abc import Iterable

from cms.search_text import query_terms, token_field

SWEDISH_NAMES = {
    "Espoo": "Esbo",
    "Hamina": "Fredrikshamn",
    "Hanko": "Hangö",
    "Helsinki": "Helsingfors",
    "Huittinen": "Vittis",
    "Hyvinkää": "Hyvinge",
    "Hämeenlinna": "Tavastehus",
    "Kajaani": "Kajana",
    "Kaskinen": "Kaskö",
    "Kauniainen": "Grankulla",
    "Kirkkonummi": "Kyrkslätt",
    "Kokkola": "Karleby",
    "Kristiinankaupunki": "Kristinestad",
    "Lahti": "Lahtis",
    "Lappeenranta": "Villmanstrand",
    "Loviisa": "Lovisa",
    "Maarianhamina": "Mariehamn",
    "Mikkeli": "S:t Michel",
    "Mustasaari": "Korsholm",
    "Naantali": "Nådendal",
    "Närpiö": "Närpes",
    "Oulu": "Uleåborg",
    "Parainen": "Pargas",
    "Pietarsaari": "Jakobstad",
    "Pori": "Björneborg",
    "Porvoo": "Borgå",
    "Raasepori": "Raseborg",
    "Rauma": "Raumo",
    "Savonlinna": "Nyslott",
    "Sipoo": "Sibbo",
    "Tampere": "Tammerfors",
    "Tornio": "Torneå",
    "Turku": "Åbo",
    "Uusikaarlepyy": "Nykarleby",
    "Uusikaupunki": "Nystad",
    "Vaasa": "Vasa",
    "Vantaa": "Vanda",
    "Vihti": "Vichtis",
}
FINNISH_NAMES = {swedish: finnish for finnish, swedish in SWEDISH_NAMES.items()}


def town_name(town: str, language: str) -> str:
    """The town as a reader of `language` knows it: the Swedish name on Swedish pages."""
    if language == "sv":
        return SWEDISH_NAMES.get(town, town)
    return FINNISH_NAMES.get(town, town) if language == "fi" else town


def town_names(town: str) -> list[str]:
    """Every official name of the town, Finnish first."""
    finnish = FINNISH_NAMES.get(town, town)
    swedish = SWEDISH_NAMES.get(finnish)
    return [finnish, swedish] if swedish else [finnish]


def town_aliases(word: str) -> list[str]:
    """The town's other official name when `word` (any case) is one of a bilingual town's."""
    folded = word.casefold()
    for finnish, swedish in SWEDISH_NAMES.items():
        if folded == finnish.casefold():
            return [swedish]
        if folded == swedish.casefold():
            return [finnish]
    return []


def towns_named(query: str, language: str, towns: Iterable[str]) -> list[str]:
    """The towns of `towns` that a search query names, in either official language and in any
    word form the site search itself matches ("Åbo", "helsingissä"): the same stems and stem
    prefixes as `cms.selectors.site_search`, so a town the search found is a town named here."""
    terms = query_terms(query, language)
    named = []
    for town in towns:
        tokens = " ".join(token_field(name, language) for name in town_names(town))
        if any(
            f" {stem} " in tokens or (prefix and f" {prefix}" in tokens)
            for _word, stem, prefix in terms
        ):
            named.append(town)
    return named
