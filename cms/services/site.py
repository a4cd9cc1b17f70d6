"""The site skeleton: locales, one home page per language, the Site, the crisis centres."""

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from cms.links import base_url_host_and_port
from cms.models import CrisisCentre, HomePage

HOME_TITLES = {
    "fi": ("Vertaistuki", "Maksuttomia vertaistukiryhmiä ja koulutuksia kriisikeskuksissa."),
    "sv": ("Kamratstöd", "Avgiftsfria kamratstödsgrupper och utbildningar vid kriscentren."),
    "en": ("Peer support", "Free peer-support groups and trainings at the crisis centres."),
}

# Crisis centres of the network by city. Names are generic; editors keep the real contact
# details in the admin (snippets), which the seed never overwrites.
# (Finnish name, city, region); the Swedish and English names follow from the city.
CRISIS_CENTRES = [
    ("Kriisikeskus Helsinki", "Helsinki", "Uusimaa"),
    ("Kriisikeskus Espoo", "Espoo", "Uusimaa"),
    ("Kriisikeskus Vantaa", "Vantaa", "Uusimaa"),
    ("Kriisikeskus Tampere", "Tampere", "Pirkanmaa"),
    ("Kriisikeskus Turku", "Turku", "Varsinais-Suomi"),
    ("Kriisikeskus Oulu", "Oulu", "Pohjois-Pohjanmaa"),
    ("Kriisikeskus Kuopio", "Kuopio", "Pohjois-Savo"),
    ("Kriisikeskus Jyväskylä", "Jyväskylä", "Keski-Suomi"),
    ("Kriisikeskus Lahti", "Lahti", "Päijät-Häme"),
    ("Kriisikeskus Pori", "Pori", "Satakunta"),
    ("Kriisikeskus Joensuu", "Joensuu", "Pohjois-Karjala"),
    ("Kriisikeskus Lappeenranta", "Lappeenranta", "Etelä-Karjala"),
    ("Kriisikeskus Kotka", "Kotka", "Kymenlaakso"),
    ("Kriisikeskus Vaasa", "Vaasa", "Pohjanmaa"),
    ("Kriisikeskus Seinäjoki", "Seinäjoki", "Etelä-Pohjanmaa"),
    ("Kriisikeskus Rovaniemi", "Rovaniemi", "Lappi"),
    ("Kriisikeskus Kajaani", "Kajaani", "Kainuu"),
    ("Kriisikeskus Mikkeli", "Mikkeli", "Etelä-Savo"),
    ("Kriisikeskus Hämeenlinna", "Hämeenlinna", "Kanta-Häme"),
    ("Kriisikeskus Kokkola", "Kokkola", "Keski-Pohjanmaa"),
    ("Kriisikeskus Porvoo", "Porvoo", "Uusimaa"),
]

# The city's Swedish name, where it has one (the centre's Swedish name is "Kriscentret i <city>").
SWEDISH_CITY_NAMES = {
    "Helsinki": "Helsingfors",
    "Espoo": "Esbo",
    "Vantaa": "Vanda",
    "Tampere": "Tammerfors",
    "Turku": "Åbo",
    "Oulu": "Uleåborg",
    "Lahti": "Lahtis",
    "Pori": "Björneborg",
    "Lappeenranta": "Villmanstrand",
    "Vaasa": "Vasa",
    "Kajaani": "Kajana",
    "Mikkeli": "S:t Michel",
    "Hämeenlinna": "Tavastehus",
    "Kokkola": "Karleby",
    "Porvoo": "Borgå",
}


def crisis_centre_names(city: str) -> dict[str, str]:
    """A network centre's Swedish and English names, from its city."""
    return {
        "name_sv": f"Kriscentret i {SWEDISH_CITY_NAMES.get(city, city)}",
        "name_en": f"Crisis Centre {city}",
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
    centres = []
    for name, city, region in CRISIS_CENTRES:
        centre, _ = CrisisCentre.objects.get_or_create(
            name=name, defaults={"city": city, "region": region, **crisis_centre_names(city)}
        )
        centres.append(centre)
    return centres
