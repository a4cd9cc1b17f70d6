"""The site skeleton: locales, one home page per language, the Site, the crisis centres."""

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from cms.links import base_url_host_and_port
from cms.models import CrisisCentre, HomePage, RemotePoint
from cms.towns import town_name

HOME_TITLES = {
    "fi": ("Vertaistuki", "Maksuttomia vertaistukiryhmiä ja koulutuksia kriisikeskuksissa."),
    "sv": ("Kamratstöd", "Avgiftsfria kamratstödsgrupper och utbildningar vid kriscentren."),
    "en": ("Peer support", "Free peer-support groups and trainings at the crisis centres."),
}

# The network's crisis centres and the remote points they run, by town (the places the network
# names). Which centre runs which remote point is the demo's reading of the map, not the
# network's word; editors keep the real contact details in the admin, which the seed never
# overwrites. Names in Swedish and English follow the town's own names (`cms.towns`).
CRISIS_CENTRES = [
    ("Helsinki", "Uusimaa", ["Hyvinkää", "Vihti"]),
    ("Hämeenlinna", "Kanta-Häme", []),
    ("Imatra", "Etelä-Karjala", []),
    ("Joensuu", "Pohjois-Karjala", []),
    ("Jyväskylä", "Keski-Suomi", []),
    ("Kajaani", "Kainuu", []),
    ("Kokkola", "Keski-Pohjanmaa", []),
    ("Kouvola", "Kymenlaakso", []),
    ("Kuopio", "Pohjois-Savo", []),
    ("Lahti", "Päijät-Häme", []),
    ("Lappeenranta", "Etelä-Karjala", []),
    ("Mikkeli", "Etelä-Savo", ["Pieksämäki"]),
    ("Oulu", "Pohjois-Pohjanmaa", []),
    ("Pietarsaari", "Pohjanmaa", []),
    ("Rovaniemi", "Lappi", ["Kemi"]),
    ("Savonlinna", "Etelä-Savo", []),
    ("Seinäjoki", "Etelä-Pohjanmaa", []),
    ("Tampere", "Pirkanmaa", ["Huittinen", "Sastamala"]),
    ("Turku", "Varsinais-Suomi", ["Eura", "Rauma", "Salo"]),
    ("Vaasa", "Pohjanmaa", []),
]


def crisis_centre_names(town: str) -> dict[str, str]:
    """The centre's name in fi, sv and en, from its town's names."""
    return {
        "name": f"Kriisikeskus {town}",
        "name_sv": f"Kriscentret i {town_name(town, 'sv')}",
        "name_en": f"Crisis Centre {town}",
    }


@transaction.atomic
def site_tree_ensure() -> dict[str, HomePage]:
    """Create what is missing of the skeleton; safe to run any number of times.

    Returns the home page of every language, the default language's one being the Site root.
    """
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0] for code, _ in settings.LANGUAGES
    }
    default_code = settings.LANGUAGE_CODE
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locales[default_code])
    )

    # Wagtail's own welcome page is not ours to keep (and holds the slug "home").
    for page in root.get_children().not_type(HomePage):
        page.delete()

    home = HomePage.objects.filter(locale=locales[default_code]).first()
    if home is None:
        title, intro = HOME_TITLES[default_code]
        home = root.add_child(
            instance=HomePage(
                title=title, slug="home", intro=f"<p>{intro}</p>", locale=locales[default_code]
            )
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        hostname, port = base_url_host_and_port()
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name=settings.WAGTAIL_SITE_NAME,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save(update_fields=["root_page", "site_name"])

    site_address_sync()

    homes = {default_code: home}
    for code, locale in locales.items():
        if code == default_code:
            continue
        translation = home.get_translation_or_none(locale)
        if translation is None:
            title, intro = HOME_TITLES[code]
            translation = home.copy_for_translation(locale)
            translation.title = title
            translation.intro = f"<p>{intro}</p>"
            translation.slug = f"home-{code}"
            translation.save_revision().publish()
        homes[code] = translation.specific
    return homes


def site_address_sync(**kwargs) -> None:
    """The default Site's hostname and port from BASE_URL, so that Wagtail's own absolute links
    (the admin's "view live", previews) agree with ours. Run after every migrate, too."""
    hostname, port = base_url_host_and_port()
    changed = (
        Site.objects.filter(is_default_site=True)
        .exclude(hostname=hostname, port=port)
        .update(hostname=hostname, port=port)
    )
    if changed:
        Site.clear_site_root_paths_cache()


def crisis_centres_ensure() -> list[CrisisCentre]:
    """The network's centres and their remote points; what exists is left as it is."""
    centres = []
    for town, region, remote_towns in CRISIS_CENTRES:
        names = crisis_centre_names(town)
        centre, created = CrisisCentre.objects.get_or_create(
            name=names["name"], defaults={"city": town, "region": region, **names}
        )
        if created:
            for order, remote_town in enumerate(remote_towns):
                RemotePoint.objects.create(centre=centre, town=remote_town, sort_order=order)
        centres.append(centre)
    return centres
