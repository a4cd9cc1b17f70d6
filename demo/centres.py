"""The crisis centres of the network and their directory page in three languages."""

from wagtail.models import Locale

from cms.models import CrisisCentre, CrisisCentreIndexPage, HomePage
from cms.services.site import crisis_centres_ensure
from demo.site import seed_site

DIRECTORY = {
    "fi": ("Kriisikeskukset", "kriisikeskukset", "Kriisikeskukset ympäri Suomen ja niiden ryhmät."),
    "sv": ("Kriscenter", "kriscenter", "Kriscentren runt om i Finland och deras grupper."),
    "en": (
        "Crisis centres",
        "crisis-centres",
        "Crisis centres around Finland and their groups.",
    ),
}


def seed_centre_directory(homes: dict[str, HomePage]) -> None:
    directory = CrisisCentreIndexPage.objects.child_of(homes["fi"]).first()
    if directory is None:
        title, slug, intro = DIRECTORY["fi"]
        directory = homes["fi"].add_child(
            instance=CrisisCentreIndexPage(
                title=title, slug=slug, introduction=intro, show_in_menus=True
            )
        )
        directory.save_revision().publish()
    for code, (title, slug, intro) in DIRECTORY.items():
        locale = Locale.objects.get(language_code=code)
        if code == "fi" or directory.get_translation_or_none(locale) is not None:
            continue
        translation = directory.copy_for_translation(locale)
        translation.title, translation.slug, translation.introduction = title, slug, intro
        translation.show_in_menus = True
        translation.save_revision().publish()


# Invented contact details, marked as examples in every language so nobody calls or visits them.
EXAMPLE_PHONE = "050 000 0000 (esimerkki / exempel / example)"
EXAMPLE_HOURS = {
    "opening_hours": "ma–pe 9–16 (esimerkki)",  # noqa: RUF001
    "opening_hours_sv": "mån–fre 9–16 (exempel)",  # noqa: RUF001
    "opening_hours_en": "Mon–Fri 9–16 (example)",  # noqa: RUF001
}
# Demo choice: centres in bilingual and big towns say an interpreter can be booked.
INTERPRETER_TOWNS = {"Helsinki", "Pietarsaari", "Tampere", "Turku", "Vaasa"}


def centre_examples_fill(centre: CrisisCentre) -> None:
    """Example contact details for a centre that has none (an editor's never change)."""
    if centre.phone or centre.address:
        return
    centre.address = f"Esimerkkikatu {centre.pk} (esimerkki / exempel / example)"
    centre.phone = EXAMPLE_PHONE
    for field, hours in EXAMPLE_HOURS.items():
        setattr(centre, field, hours)
    centre.interpreter_available = centre.city in INTERPRETER_TOWNS
    centre.save(update_fields=["address", "phone", "interpreter_available", *EXAMPLE_HOURS])


def seed_centres() -> list[CrisisCentre]:
    """The network's centres and remote points (`cms.services.site`) with example contact
    details, and the page that lists them."""
    centres = crisis_centres_ensure()
    for centre in centres:
        centre_examples_fill(centre)
    seed_centre_directory(seed_site())
    return centres
