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


def seed_centres() -> list[CrisisCentre]:
    """The real list of centres (`cms.services.site`) and the page that lists them."""
    centres = crisis_centres_ensure()
    seed_centre_directory(seed_site())
    return centres
