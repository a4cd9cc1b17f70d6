"""Zero axe-core violations (WCAG 2.2 AA) on every public page a participant, visitor or
facilitator meets, in Finnish, Swedish and English, on a phone 390 pixels wide.

One test per language: the data is seeded once and all the pages are checked in the same
browser page, so the whole file stays a few seconds per language. A failure names every page
with its violations, not just the first.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect
from wagtail.models import Locale

from cms.models import CrisisCentreIndexPage, HomePage
from demo.centres import DIRECTORY
from demo.experts import seed_expert_directory
from groups.services.feedback import feedback_links_issue
from network.models import ExpertDirectoryPage
from tests.e2e.accessibility import axe_violations
from tests.factories import (
    CoursePageFactory,
    CrisisCentreFactory,
    EnrolmentFactory,
    ExpertFactory,
    GroupFactory,
    MeetingFactory,
    UserFactory,
    course_translate,
)

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["fi", "sv", "en"]


@pytest.fixture
def pages_seeded():
    """One course in three languages with an open group, a participant's manage link, a
    facilitator with a meeting to register, listed experts and an unused feedback link."""
    course = CoursePageFactory(
        title="Vertaisryhmä äkillisesti läheisensä menettäneille",
        plain_language_summary="Ryhmä on sinulle, jos läheisesi kuoli äkkiä.",
        languages=LANGUAGES,
    )
    course_translate(course, "sv", title="Kamratstödsgrupp efter en plötslig död")
    course_translate(course, "en", title="Peer group after a sudden death")
    facilitator = UserFactory(username="ohjaaja")
    facilitator.groups.add(AuthGroup.objects.get_or_create(name="Facilitators")[0])
    group = GroupFactory(
        course=course,
        facilitator_1=facilitator,
        centre=CrisisCentreFactory(
            name="Kriisikeskus Turku",
            name_sv="Kriscentret i Åbo",
            city="Turku",
            address="Esimerkkikatu 1",
            phone="050 000 0000 (esimerkki)",
        ),
    )
    meeting = MeetingFactory(group=group, starts_at=timezone.now() - dt.timedelta(hours=2))
    MeetingFactory(group=group)
    enrolment = EnrolmentFactory(group=group, display_name="Kettu")

    past = GroupFactory(course=course, status="running")
    MeetingFactory(group=past, starts_at=timezone.now() - dt.timedelta(days=3))
    EnrolmentFactory(group=past)
    feedback_path = feedback_links_issue(group=past)[0]

    seed_expert_directory()
    centre_directory_seed()
    ExpertFactory(name="Sara Holmström", languages=["sv", "fi"])
    ExpertFactory(name="Frida Finne")

    client = Client()
    client.force_login(facilitator)
    return {
        "course": course,
        "group": group,
        "meeting": meeting,
        "token": enrolment.manage_token,
        "done_token": enrolment.done_token,
        "feedback_path": feedback_path.split("/", 2)[2],  # drop the language prefix
        "session": client.cookies["sessionid"].value,
    }


def centre_directory_seed() -> None:
    """The crisis-centre directory in the three languages (as the demo names it)."""
    title, slug, introduction = DIRECTORY["fi"]
    directory = HomePage.objects.get(locale__language_code="fi").add_child(
        instance=CrisisCentreIndexPage(title=title, slug=slug, introduction=introduction)
    )
    directory.save_revision().publish()
    for language in ["sv", "en"]:
        translation = directory.copy_for_translation(Locale.objects.get(language_code=language))
        translation.title, translation.slug, translation.introduction = DIRECTORY[language]
        translation.save_revision().publish()


SEARCHES = {"fi": "vertaisryhmä Turku", "sv": "kamratstödsgrupp Åbo", "en": "peer group Turku"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_and_the_register_have_no_axe_violations(
    live_server, page: Page, pages_seeded, language
):
    data = pages_seeded
    base = live_server.url
    course = data["course"].get_translation(Locale.objects.get(language_code=language))
    directory = ExpertDirectoryPage.objects.get(locale__language_code=language)
    fallback = (
        data["course"]
        if language != "fi"
        else course.get_translation(Locale.objects.get(language_code="en"))
    )
    centres = CrisisCentreIndexPage.objects.get(locale__language_code=language)
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_extra_http_headers({"Accept-Language": language})
    page.context.add_cookies([{"name": "sessionid", "value": data["session"], "url": base}])

    def enrolment_form_with_errors():
        page.goto(f"{base}/{language}/enrol/{data['group'].pk}/")
        page.locator("#id_display_name").fill("Kettu")
        page.locator("#id_consent").check()
        page.locator("main button[type=submit]").click()
        expect(page.locator("#id_phone_error")).to_be_visible()

    visits = {
        "home": f"/{language}/",
        "catalogue": course.get_parent().url,
        "course page": course.url,
        "enrolment form with errors": enrolment_form_with_errors,
        "done page": f"/{language}/enrol/done/{data['done_token']}/",
        "manage page": f"/{language}/my/{data['token']}/",
        "search results": f"/{language}/search/?q={SEARCHES[language]}",
        "centre directory": centres.url,
        "staying safe online": f"/{language}/staying-safe-online/",
        "accessibility statement": f"/{language}/accessibility/",
        "privacy notice": f"/{language}/privacy/",
        "page not found": f"/{language}/no-such-page/",
        "facilitator register": f"/facilitate/meetings/{data['meeting'].pk}/register/",
        "expert directory": directory.url,
        "feedback survey": f"/{language}/{data['feedback_path']}",
        # Reached from the switcher where this language is missing: another language's page
        # with a notice in this one.
        "page missing in this language": f"{fallback.url}?unavailable={language}",
    }
    failures = {}
    for name, visit in visits.items():
        if callable(visit):
            visit()
        else:
            response = page.goto(base + visit)
            expected_status = 404 if name == "page not found" else 200
            assert response.status == expected_status, f"{name}: {response.status} {visit}"
        expected_lang = (
            fallback.locale.language_code if name.startswith("page missing") else language
        )
        assert page.locator("html").get_attribute("lang") == expected_lang, name
        if name == "search results":  # the results' own markup is checked, not an empty page
            expect(page.locator(".search-results li").first).to_be_visible()
        violations = axe_violations(page)
        if violations:
            failures[name] = violations
    assert failures == {}, "\n".join(
        f"{name}:\n  " + "\n  ".join(violations) for name, violations in failures.items()
    )
