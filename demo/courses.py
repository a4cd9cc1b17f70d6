# ruff: noqa: E501, RUF001  (demo texts: long natural sentences with real dashes)
"""The demo's catalogue: topics, the catalogue page and courses in Finnish, Swedish and English.

Texts are short and in plain language. Only what is missing is created, so the step can run
again; editors' changes to existing pages are never overwritten.
"""

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Locale

from courses.models import CourseFormat, CourseIndexPage, CoursePage, IntakeQuestion, Topic
from demo.site import seed_site

LANGUAGES = ("fi", "sv", "en")

TOPICS = {
    "bereaved-by-suicide": (
        "Itsemurhan kautta läheisensä menettäneet",
        "Efterlevande efter självmord",
        "Bereaved by suicide",
    ),
    "sudden-death": (
        "Läheisen äkillinen kuolema",
        "Plötslig död av en närstående",
        "Bereaved by other sudden death",
    ),
    "adolescents": (
        "Nuoret: yksinäisyys ja ahdistus",
        "Unga: ensamhet och ångest",
        "Young people: loneliness and anxiety",
    ),
    "suicide-prevention": (
        "Itsemurhien ehkäisyn koulutus",
        "Utbildning i självmordsprevention",
        "Suicide-prevention training",
    ),
    "talking-about-suicide": (
        "Miten puhua itsemurhasta",
        "Att tala om självmord",
        "How to talk about suicide",
    ),
    "linity-assip": (
        "Linity/ASSIP-koulutus ammattilaisille",
        "Linity/ASSIP-utbildning för yrkesfolk",
        "Linity/ASSIP practitioner training",
    ),
}

CATALOGUE = {
    "fi": ("Ryhmät ja koulutukset", "ryhmat", "Etsi sinulle sopiva ryhmä tai koulutus."),
    "sv": ("Grupper och utbildningar", "grupper", "Hitta en grupp eller utbildning för dig."),
    "en": ("Groups and trainings", "groups", "Find a group or a training that suits you."),
}

W, R, T = CourseFormat.WEEKLY, CourseFormat.RESIDENTIAL, CourseFormat.TRAINING

# slug, topic, format, (age_min, age_max), needs approval, {language: (title, summary)}
COURSES = [
    (
        "suicide-loss-group",
        "bereaved-by-suicide",
        W,
        (18, None),
        True,
        {
            "fi": (
                "Vertaisryhmä itsemurhan kautta läheisensä menettäneille",
                "Tapaamme kerran viikossa. Saat puhua omasta surustasi ihmisten kanssa, jotka ymmärtävät.",
            ),
            "sv": (
                "Kamratstödsgrupp för efterlevande efter självmord",
                "Vi träffas en gång i veckan. Du får tala om din sorg med andra som förstår.",
            ),
            "en": (
                "Peer group for people bereaved by suicide",
                "We meet once a week. You can talk about your grief with people who understand.",
            ),
        },
    ),
    (
        "suicide-loss-weekend",
        "bereaved-by-suicide",
        R,
        (18, None),
        True,
        {
            "fi": (
                "Viikonloppukurssi itsemurhan jälkeen",
                "Kolme päivää kurssikeskuksessa. Lepoa, keskusteluja ja luontoa muiden surevien kanssa.",
            ),
            "sv": (
                "Veckoslutskurs efter ett självmord",
                "Tre dagar på ett kurscenter. Vila, samtal och natur tillsammans med andra i sorg.",
            ),
            "en": (
                "Weekend course after a suicide",
                "Three days at a course centre. Rest, talks and nature with others who grieve.",
            ),
        },
    ),
    (
        "young-suicide-loss",
        "bereaved-by-suicide",
        W,
        (15, 25),
        True,
        {
            "fi": (
                "Nuorten ryhmä: läheinen kuoli itsemurhaan",
                "Ryhmä 15–25-vuotiaille, joiden sisarus, vanhempi tai ystävä kuoli itsemurhaan.",
            ),
            "sv": (
                "Grupp för unga: en närstående dog i självmord",
                "En grupp för 15–25-åringar vars syskon, förälder eller vän dog i självmord.",
            ),
            "en": (
                "Group for young people bereaved by suicide",
                "A group for ages 15–25 whose sibling, parent or friend died by suicide.",
            ),
        },
    ),
    (
        "sudden-loss-group",
        "sudden-death",
        W,
        (18, None),
        False,
        {
            "fi": (
                "Vertaisryhmä äkillisesti läheisensä menettäneille",
                "Läheisesi kuoli yllättäen, esimerkiksi onnettomuudessa. Ryhmässä et ole yksin.",
            ),
            "sv": (
                "Kamratstödsgrupp efter en plötslig död",
                "Din närstående dog plötsligt, till exempel i en olycka. I gruppen är du inte ensam.",
            ),
            "en": (
                "Peer group after a sudden death",
                "Someone close to you died suddenly, for example in an accident. In the group you are not alone.",
            ),
        },
    ),
    (
        "sudden-loss-retreat",
        "sudden-death",
        R,
        (18, None),
        True,
        {
            "fi": (
                "Surun retriitti",
                "Kaksi yötä rauhallisessa paikassa. Ohjelmassa keskusteluja ja ulkoilua.",
            ),
            "sv": ("Sorgens retreat", "Två nätter på en lugn plats. Samtal och friluftsliv."),
            "en": ("Grief retreat", "Two nights in a quiet place, with talks and time outdoors."),
        },
    ),
    (
        "young-lonely",
        "adolescents",
        W,
        (13, 17),
        False,
        {
            "fi": (
                "Yksin? Ryhmä 13–17-vuotiaille",
                "Tule tapaamaan muita nuoria. Puhutaan yksinäisyydestä ja kaverisuhteista.",
            ),
            "sv": (
                "Ensam? En grupp för 13–17-åringar",
                "Träffa andra unga. Vi talar om ensamhet och vänskap.",
            ),
            "en": (
                "Lonely? A group for ages 13–17",
                "Meet other young people. We talk about loneliness and friends.",
            ),
        },
    ),
    (
        "young-anxiety",
        "adolescents",
        W,
        (15, 19),
        False,
        {
            "fi": (
                "Ahdistus ja arki – nuorten ryhmä",
                "Opit keinoja ahdistuksen kanssa elämiseen. Ryhmä 15–19-vuotiaille.",
            ),
            "sv": (
                "Ångest och vardag – en grupp för unga",
                "Du lär dig sätt att leva med ångest. För 15–19-åringar.",
            ),
            "en": (
                "Anxiety and everyday life – a youth group",
                "Learn ways to live with anxiety. For ages 15–19.",
            ),
        },
    ),
    (
        "prevention-basics",
        "suicide-prevention",
        T,
        (18, None),
        False,
        {
            "fi": (
                "Itsemurhien ehkäisyn peruskoulutus",
                "Yhden päivän koulutus. Opit tunnistamaan riskin ja auttamaan.",
            ),
            "sv": (
                "Grundkurs i självmordsprevention",
                "En dags utbildning. Du lär dig känna igen risken och hjälpa.",
            ),
            "en": (
                "Suicide prevention: the basics",
                "A one-day training. Learn to notice the risk and to help.",
            ),
        },
    ),
    (
        "prevention-at-work",
        "suicide-prevention",
        T,
        (18, None),
        False,
        {
            "fi": (
                "Itsemurhariskin tunnistaminen työssä",
                "Koulutus esihenkilöille ja työyhteisöille.",
            ),
            "sv": (
                "Att känna igen självmordsrisk i arbetet",
                "Utbildning för chefer och arbetsgemenskaper.",
            ),
            "en": ("Noticing suicide risk at work", "A training for managers and work teams."),
        },
    ),
    (
        "talking-for-families",
        "talking-about-suicide",
        T,
        (18, None),
        False,
        {
            "fi": (
                "Miten puhua itsemurhasta – ilta läheisille",
                "Kun olet huolissasi läheisestäsi. Harjoittelemme, miten asian voi ottaa puheeksi.",
            ),
            "sv": (
                "Att tala om självmord – en kväll för närstående",
                "När du är orolig för någon. Vi övar hur man tar upp saken.",
            ),
            "en": (
                "Talking about suicide – an evening for families",
                "When you worry about someone. We practise how to bring it up.",
            ),
        },
    ),
    (
        "talking-in-schools",
        "talking-about-suicide",
        T,
        (18, None),
        False,
        {
            "fi": ("Puheeksi ottaminen koulussa", "Koulutus opettajille ja oppilashuollolle."),
            "sv": ("Att ta upp saken i skolan", "Utbildning för lärare och elevvård."),
            "en": ("Bringing it up at school", "A training for teachers and pupil welfare staff."),
        },
    ),
    (
        "linity-assip",
        "linity-assip",
        T,
        (None, None),
        True,
        {
            "fi": (
                "Linity/ASSIP-ammattilaiskoulutus",
                "Koulutus sosiaali- ja terveysalan ammattilaisille itsemurhaa yrittäneiden tukemiseen.",
            ),
            "sv": (
                "Linity/ASSIP-utbildning för yrkesfolk",
                "Utbildning för social- och hälsovårdspersonal i att stödja personer som försökt begå självmord.",
            ),
            "en": (
                "Linity/ASSIP practitioner training",
                "A training for health and social care staff who support people after a suicide attempt.",
            ),
        },
    ),
]

# "Selkokieli": the same course in very easy words, short sentences, one thing at a time.
PLAIN = {
    "suicide-loss-group": (
        "Joku läheinen kuoli itsemurhaan. Ryhmässä puhumme surusta. Tapaamme kerran viikossa.",
        "Någon nära dog i självmord. I gruppen talar vi om sorg. Vi träffas en gång i veckan.",
        "Someone close to you died by suicide. In the group we talk about grief. We meet once a week.",
    ),
    "suicide-loss-weekend": (
        "Olemme yhdessä kolme päivää. Puhumme, lepäämme ja ulkoilemme.",
        "Vi är tillsammans i tre dagar. Vi talar, vilar och är ute.",
        "We stay together for three days. We talk, rest and go outside.",
    ),
    "young-suicide-loss": (
        "Ryhmä on 15–25-vuotiaille. Joku läheinen kuoli itsemurhaan. Et ole yksin.",
        "Gruppen är för 15–25-åringar. Någon nära dog i självmord. Du är inte ensam.",
        "The group is for ages 15 to 25. Someone close to you died by suicide. You are not alone.",
    ),
    "sudden-loss-group": (
        "Joku läheinen kuoli yllättäen. Ryhmässä puhumme surusta. Et ole yksin.",
        "Någon nära dog plötsligt. I gruppen talar vi om sorg. Du är inte ensam.",
        "Someone close to you died suddenly. In the group we talk about grief. You are not alone.",
    ),
    "sudden-loss-retreat": (
        "Olemme kaksi yötä rauhallisessa paikassa. Puhumme ja ulkoilemme.",
        "Vi är två nätter på en lugn plats. Vi talar och är ute.",
        "We stay two nights in a quiet place. We talk and go outside.",
    ),
    "young-lonely": (
        "Ryhmä on 13–17-vuotiaille. Tapaat muita nuoria. Puhumme yksinäisyydestä.",
        "Gruppen är för 13–17-åringar. Du träffar andra unga. Vi talar om ensamhet.",
        "The group is for ages 13 to 17. You meet other young people. We talk about being lonely.",
    ),
    "young-anxiety": (
        "Ryhmä on 15–19-vuotiaille. Opit, mikä auttaa, kun olet ahdistunut.",
        "Gruppen är för 15–19-åringar. Du lär dig vad som hjälper när du har ångest.",
        "The group is for ages 15 to 19. You learn what helps when you feel anxious.",
    ),
    "prevention-basics": (
        "Koulutus kestää yhden päivän. Opit huomaamaan, kun joku tarvitsee apua.",
        "Utbildningen är en dag. Du lär dig se när någon behöver hjälp.",
        "The training is one day. You learn to see when someone needs help.",
    ),
    "prevention-at-work": (
        "Koulutus on esihenkilöille. Opit huomaamaan, kun työkaveri voi huonosti.",
        "Utbildningen är för chefer. Du lär dig se när en arbetskamrat mår dåligt.",
        "The training is for managers. You learn to see when a colleague is not well.",
    ),
    "talking-for-families": (
        "Oletko huolissasi läheisestäsi? Harjoittelemme, miten asiasta voi puhua.",
        "Är du orolig för någon? Vi övar hur man kan tala om det.",
        "Are you worried about someone? We practise how to talk about it.",
    ),
    "talking-in-schools": (
        "Koulutus on opettajille. Opit puhumaan oppilaan kanssa, kun olet huolissasi.",
        "Utbildningen är för lärare. Du lär dig tala med en elev när du är orolig.",
        "The training is for teachers. You learn to talk with a pupil when you are worried.",
    ),
    "linity-assip": (
        "Koulutus on ammattilaisille. Opit tukemaan ihmistä, joka yritti itsemurhaa.",
        "Utbildningen är för yrkesfolk. Du lär dig stödja en person som försökt ta sitt liv.",
        "The training is for professionals. You learn to support a person after a suicide attempt.",
    ),
}

SECTIONS = {
    "fi": (
        "<p>Kaikille, jotka kokevat ryhmän sopivan heille. Lähetettä ei tarvita.</p>",
        "<p>Ryhmässä on kaksi ohjaajaa. Saat kertoa niin paljon tai vähän kuin haluat.</p>",
        "<p>Osallistuminen on maksutonta. Voit käyttää keksittyä nimeä.</p>",
        "Sosiaalityöntekijä",
    ),
    "sv": (
        "<p>För alla som känner att gruppen passar dem. Ingen remiss behövs.</p>",
        "<p>Gruppen har två ledare. Du berättar så mycket eller lite du vill.</p>",
        "<p>Det är gratis att delta. Du får använda ett påhittat namn.</p>",
        "Socialarbetare",
    ),
    "en": (
        "<p>For anyone who feels the group suits them. No referral is needed.</p>",
        "<p>The group has two facilitators. You share as much or as little as you want.</p>",
        "<p>Taking part is free. You may use a made-up name.</p>",
        "Social worker",
    ),
}


def _locales() -> dict[str, Locale]:
    return {code: Locale.objects.get(language_code=code) for code in LANGUAGES}


def seed_topics() -> dict[tuple[str, str], Topic]:
    """Every topic in three languages, by (slug, language)."""
    locales = _locales()
    topics = {}
    for slug, names in TOPICS.items():
        original, _created = Topic.objects.get_or_create(
            slug=slug, locale=locales["fi"], defaults={"name": names[0]}
        )
        topics[(slug, "fi")] = original
        for code, name in zip(LANGUAGES[1:], names[1:], strict=True):
            translation = original.get_translation_or_none(locales[code])
            if translation is None:
                translation = original.copy_for_translation(locales[code])
                translation.name = name
                translation.save()
            topics[(slug, code)] = translation
    return topics


@transaction.atomic
def seed_courses() -> dict[str, CourseIndexPage]:
    """The catalogue page and its courses in three languages; returns the catalogue pages."""
    homes = seed_site()
    locales = _locales()
    topics = seed_topics()

    index = CourseIndexPage.objects.child_of(homes["fi"]).first()
    if index is None:
        title, slug, intro = CATALOGUE["fi"]
        index = homes["fi"].add_child(
            instance=CourseIndexPage(
                title=title,
                slug=slug,
                introduction=intro,
                locale=locales["fi"],
                show_in_menus=True,
            )
        )
        index.save_revision().publish()
        # The catalogue is what most visitors come for: first among the home page's sections.
        index.move(homes["fi"], pos="first-child")
    indexes = {"fi": index}
    for code in LANGUAGES[1:]:
        translation = index.get_translation_or_none(locales[code])
        if translation is None:
            title, slug, intro = CATALOGUE[code]
            translation = index.copy_for_translation(locales[code])
            translation.title, translation.slug, translation.introduction = title, slug, intro
            translation.show_in_menus = True
            translation.save_revision().publish()
            translation.move(homes[code], pos="first-child")
        indexes[code] = translation.specific

    for slug, topic, format_, (age_min, age_max), approval, texts in COURSES:
        course = _course_with_slug(index, slug, "fi")
        if course is None:
            title, summary = texts["fi"]
            course = index.add_child(
                instance=CoursePage(
                    title=title,
                    slug=course_slug(slug, "fi"),
                    locale=locales["fi"],
                    **_course_fields("fi", topics[(topic, "fi")], format_, summary, PLAIN[slug][0]),
                    age_min=age_min,
                    age_max=age_max,
                    requires_approval=approval,
                    languages=list(LANGUAGES),
                    intake_questions=_intake("fi", format_),
                )
            )
            course.save_revision().publish()
        for position, code in enumerate(LANGUAGES[1:], start=1):
            existing = course.get_translation_or_none(locales[code])
            if existing is not None:
                _course_slug_update(existing, course_slug(slug, code))
                continue
            title, summary = texts[code]
            translation = course.copy_for_translation(locales[code])
            translation.title = title
            translation.slug = course_slug(slug, code)
            for field, value in _course_fields(
                code, topics[(topic, code)], format_, summary, PLAIN[slug][position]
            ).items():
                setattr(translation, field, value)
            # The copy carries the Finnish questions; each language has its own.
            translation.intake_questions = _intake(code, format_)
            translation.save_revision().publish()
    return indexes


def course_slug(key: str, language: str) -> str:
    """A demo course's slug in a language: its title there, as a URL (Finnish pages get Finnish
    slugs). `key` is the course's name in COURSES (its old slug in every language)."""
    texts = next(texts for course_key, *_rest, texts in COURSES if course_key == key)
    title = texts[language][0].replace("\u2013", "-").replace("/", "-")
    return slugify(title)[:80].strip("-")


def demo_courses(language: str = "fi") -> dict[str, CoursePage]:
    """The demo's course pages in one language, by their key in COURSES."""
    wanted = {course_slug(key, language): key for key, *_rest in COURSES}
    pages = CoursePage.objects.filter(
        locale__language_code=language, slug__in=[*wanted, *wanted.values()]
    )
    return {wanted.get(page.slug, page.slug): page for page in pages}


def _course_with_slug(index: CourseIndexPage, key: str, language: str) -> CoursePage | None:
    """The course under its slug in `language`, or under its old English slug, renamed: a
    database seeded before keeps working, and Wagtail's redirects (created when a published
    page's slug changes) lead the old address to the page."""
    pages = CoursePage.objects.child_of(index)
    course = pages.filter(slug=course_slug(key, language)).first()
    if course is None:
        course = pages.filter(slug=key).first()
        if course is not None:
            _course_slug_update(course, course_slug(key, language))
    return course


def _course_slug_update(course: CoursePage, slug: str) -> None:
    if course.slug != slug:
        course.slug = slug
        course.save_revision().publish()


# The intake of every peer group (not of trainings), in each language of the page. The risk
# question is asked gently, says why, and never blocks anyone: a "yes" shows the helplines at
# once and asks a coordinator to reach out.
INTAKE = {
    "fi": [
        (
            "Kenet olet menettänyt, ja milloin?",
            "Voit kertoa niin vähän tai paljon kuin haluat.",
            "text",
            False,
        ),
        (
            "Saatko tällä hetkellä muuta tukea, esimerkiksi lääkäriltä, terapeutilta tai kriisityöntekijältä?",
            "",
            "yes_no",
            False,
        ),
        (
            "Onko sinulla viime viikkoina ollut ajatuksia oman elämäsi päättämisestä?",
            "Kysymme tätä kaikilta, jotta osaamme tukea sinua. Vastasitpa mitä tahansa, olet tervetullut ryhmään.",
            "yes_no",
            True,
        ),
    ],
    "sv": [
        (
            "Vem har du förlorat, och när?",
            "Du kan berätta så lite eller så mycket du vill.",
            "text",
            False,
        ),
        (
            "Får du annat stöd just nu, till exempel av en läkare, terapeut eller krisarbetare?",
            "",
            "yes_no",
            False,
        ),
        (
            "Har du under de senaste veckorna haft tankar på att ta ditt liv?",
            "Vi frågar alla detta för att kunna stödja dig. Vad du än svarar är du välkommen i gruppen.",
            "yes_no",
            True,
        ),
    ],
    "en": [
        (
            "Whom have you lost, and when?",
            "You can tell as little or as much as you like.",
            "text",
            False,
        ),
        (
            "Are you getting other support at the moment, for example from a doctor, a therapist or a crisis worker?",
            "",
            "yes_no",
            False,
        ),
        (
            "Have you had thoughts of ending your life in the last few weeks?",
            "We ask everyone this so that we can support you. Whatever you answer, you are welcome in the group.",
            "yes_no",
            True,
        ),
    ],
}


def _intake(code: str, format_: str) -> list[IntakeQuestion]:
    if format_ == CourseFormat.TRAINING:
        return []
    return [
        IntakeQuestion(
            text=text,
            help_text=help_text,
            kind=kind,
            is_risk_question=risk,
            risk_answers="yes" if risk else "",
            sort_order=position,
        )
        for position, (text, help_text, kind, risk) in enumerate(INTAKE[code])
    ]


def _course_fields(code: str, topic: Topic, format_: str, summary: str, plain: str) -> dict:
    who, expect, practical, profession = SECTIONS[code]
    return {
        "topic": topic,
        "format": format_,
        "summary": summary,
        "plain_language_summary": plain,
        "who_is_it_for": who,
        "what_to_expect": expect,
        "practical_information": practical,
        "body": [
            {
                "type": "facilitator_intro",
                "value": {"profession": profession, "name": "", "text": ""},
            }
        ],
    }
