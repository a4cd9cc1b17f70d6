"""The demo's Linity/ASSIP expert network: three training cohorts, about 150 practitioners over
the counties, 18 months of supervision and the public directory. Invented people only."""

import datetime as dt
import random

from django.utils import timezone
from wagtail.models import Locale

from cms.models import HomePage
from courses.experts.models import (
    Certification,
    County,
    Expert,
    ExpertDirectoryPage,
    SupervisionAttendance,
    SupervisionSession,
    Training,
)
from courses.experts.tasks import expert_schedules_ensure

DEMO_DOMAIN = "demo.invalid"
FIRST_NAMES_FI = [
    "Aino",
    "Eero",
    "Helmi",
    "Ilkka",
    "Johanna",
    "Kari",
    "Laura",
    "Mikko",
    "Niina",
    "Outi",
    "Pekka",
    "Riikka",
    "Sami",
    "Tiina",
    "Ville",
    "Hanna",
    "Jussi",
    "Minna",
]
LAST_NAMES_FI = [
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Kinnunen",
]
FIRST_NAMES_SV = ["Anna", "Björn", "Frida", "Johan", "Karin", "Linnea", "Mats", "Sara", "Tove"]
LAST_NAMES_SV = ["Andersson", "Björklund", "Holmström", "Lindqvist", "Nyberg", "Sjöberg", "Åkerman"]
TITLES = [
    "Psykologi",
    "Psykiatrinen sairaanhoitaja",
    "Psykoterapeutti",
    "Sosiaalityöntekijä",
    "Erikoislääkäri",
    "Sairaanhoitaja",
]
# Where the Swedish-speaking practitioners mostly work.
SWEDISH_COUNTIES = {
    County.POHJANMAA,
    County.AHVENANMAA,
    County.ITA_UUSIMAA,
    County.LANSI_UUSIMAA,
    County.HELSINKI,
    County.VARSINAIS_SUOMI,
}
CITIES = {
    County.HELSINKI: "Helsinki",
    County.ITA_UUSIMAA: "Porvoo",
    County.KESKI_UUSIMAA: "Hyvinkää",
    County.LANSI_UUSIMAA: "Espoo",
    County.VANTAA_KERAVA: "Vantaa",
    County.VARSINAIS_SUOMI: "Turku",
    County.SATAKUNTA: "Pori",
    County.KANTA_HAME: "Hämeenlinna",
    County.PIRKANMAA: "Tampere",
    County.PAIJAT_HAME: "Lahti",
    County.KYMENLAAKSO: "Kotka",
    County.ETELA_KARJALA: "Lappeenranta",
    County.ETELA_SAVO: "Mikkeli",
    County.POHJOIS_SAVO: "Kuopio",
    County.POHJOIS_KARJALA: "Joensuu",
    County.KESKI_SUOMI: "Jyväskylä",
    County.ETELA_POHJANMAA: "Seinäjoki",
    County.POHJANMAA: "Vaasa",
    County.KESKI_POHJANMAA: "Kokkola",
    County.POHJOIS_POHJANMAA: "Oulu",
    County.KAINUU: "Kajaani",
    County.LAPPI: "Rovaniemi",
    County.AHVENANMAA: "Mariehamn",
}
# Two counties stay uncovered so the coverage report has something to show.
UNCOVERED = {County.KAINUU, County.AHVENANMAA}
COHORTS = [
    ("ASSIP-koulutus Tampere 2023", dt.date(2023, 9, 4), dt.date(2023, 11, 24), "Tampere"),
    ("ASSIP-koulutus Helsinki 2024", dt.date(2024, 2, 5), dt.date(2024, 4, 26), "Helsinki"),
    ("AdoASSIP-koulutus Vaasa 2025", dt.date(2025, 1, 13), dt.date(2025, 3, 28), "Vaasa"),
]
DIRECTORY_TITLES = {
    "fi": ("Linity/ASSIP-asiantuntijat", "linity-assip"),
    "sv": ("Linity/ASSIP-experter", "linity-assip-sv"),
    "en": ("Linity/ASSIP practitioners", "linity-assip-en"),
}


def _experts_ensure(rng: random.Random, trainings: list[Training]) -> list[Expert]:
    if Expert.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists():
        return list(Expert.objects.filter(email__endswith=f"@{DEMO_DOMAIN}"))
    counties = [code for code in County.values if code not in UNCOVERED]
    experts = []
    for number in range(150):
        county = counties[number % len(counties)]
        swedish = county in SWEDISH_COUNTIES and rng.random() < 0.6
        first = rng.choice(FIRST_NAMES_SV if swedish else FIRST_NAMES_FI)
        last = rng.choice(LAST_NAMES_SV if swedish else LAST_NAMES_FI)
        languages = ["sv", "fi"] if swedish else ["fi"]
        if rng.random() < 0.3:
            languages.append("en")
        status = rng.choices(["active", "paused", "left"], weights=[85, 8, 7])[0]
        consent = status == "active" and rng.random() < 0.8
        experts.append(
            Expert(
                name=f"{first} {last}",
                title=rng.choice(TITLES),
                organisation=f"Hyvinvointialue {CITIES[county]}",
                county=county,
                city=CITIES[county],
                email=f"{first}.{last}.{number}@{DEMO_DOMAIN}".lower(),
                languages=languages,
                practises_assip=rng.random() < 0.8,
                practises_adoassip=rng.random() < 0.35,
                practises_home=rng.random() < 0.15,
                status=status,
                public_listing_consent=consent,
                public_listing_consented_at=timezone.now() if consent else None,
                public_email_consent=consent and rng.random() < 0.3,
                left_at=timezone.now() - dt.timedelta(days=rng.randint(10, 300))
                if status == "left"
                else None,
            )
        )
    # The one a newcomer looks for in the guided tour: Swedish, AdoASSIP, Ostrobothnia.
    experts.append(
        Expert(
            name="Sara Holmström",
            title="Psykolog",
            organisation="Välfärdsområde Österbotten",
            county=County.POHJANMAA,
            city="Jakobstad",
            email=f"sara.holmstrom@{DEMO_DOMAIN}",
            languages=["sv", "fi"],
            practises_adoassip=True,
            status="active",
            public_listing_consent=True,
            public_listing_consented_at=timezone.now(),
        )
    )
    experts = Expert.objects.bulk_create(experts)
    Certification.objects.bulk_create(
        [
            Certification(
                expert=expert,
                training=trainings[index % len(trainings)],
                certified_on=trainings[index % len(trainings)].ends_on,
                certifier="Suomen Mielenterveys ry",
            )
            for index, expert in enumerate(experts)
        ]
    )
    return experts


def _supervision_ensure(rng: random.Random, experts: list[Expert]) -> None:
    if SupervisionSession.objects.exists():
        return
    today = timezone.localdate()
    sessions = SupervisionSession.objects.bulk_create(
        [
            SupervisionSession(
                held_on=today - dt.timedelta(days=14 + 30 * month + offset),
                supervisor=supervisor,
                format=form,
            )
            for month in range(18)
            for offset, supervisor, form in (
                (0, "Anja Gysin-Maillart", "remote"),
                (7, "Kati Lindholm", "in_person"),
            )
        ]
    )
    attendances = []
    for expert in experts:
        # Diligence varies, so the demo shows current, due and lapsed experts.
        diligence = rng.choice([0.1, 0.25, 0.45, 0.6])
        attendances.extend(
            SupervisionAttendance(session=session, expert=expert)
            for session in sessions
            if rng.random() < diligence
        )
    SupervisionAttendance.objects.bulk_create(attendances, ignore_conflicts=True)


def seed_expert_directory() -> None:
    """The public directory page in three languages."""
    locale_fi = Locale.objects.get(language_code="fi")
    home_fi = HomePage.objects.get(locale=locale_fi)
    page = ExpertDirectoryPage.objects.filter(locale=locale_fi).first()
    if page is None:
        title, slug = DIRECTORY_TITLES["fi"]
        page = home_fi.add_child(
            instance=ExpertDirectoryPage(title=title, slug=slug, show_in_menus=True)
        )
        page.save_revision().publish()
    for code, (title, slug) in DIRECTORY_TITLES.items():
        if code == "fi":
            continue
        locale = Locale.objects.get(language_code=code)
        if page.get_translation_or_none(locale) is None:
            translation = page.copy_for_translation(locale)
            translation.title = title
            translation.slug = slug
            translation.save_revision().publish()


def seed_expert_network() -> None:
    """About 150 practitioners over the counties, three cohorts, 18 months of supervision."""
    rng = random.Random(9)  # noqa: S311 - demo data, not security
    trainings = [
        Training.objects.get_or_create(
            name=name,
            defaults={
                "starts_on": starts,
                "ends_on": ends,
                "place": place,
                "trainers": "Anja Gysin-Maillart, Kati Lindholm",
            },
        )[0]
        for name, starts, ends, place in COHORTS
    ]
    experts = _experts_ensure(rng, trainings)
    _supervision_ensure(rng, experts)
    seed_expert_directory()
    expert_schedules_ensure()
