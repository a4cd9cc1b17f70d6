"""Residential session titles, crisis-centre names and the groups offered instead of a cancelled
one reach Swedish and English readers in their language: on pages, in calendars and e-mails,
the Finnish text only where nothing else exists, marked lang="fi"."""

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import Locale

from cms.models import text_in_language, text_is_fallback
from courses.models import CourseFormat
from groups.models import OutboxMessage
from groups.services import outbox
from groups.services.schedule import HELSINKI, group_cancel
from tests.courses.test_localised_names import unmarked_text
from tests.factories import (
    CoursePageFactory,
    CrisisCentreFactory,
    EnrolmentFactory,
    GroupFactory,
    MeetingFactory,
    VenueFactory,
    course_translate,
)

pytestmark = pytest.mark.django_db

SESSIONS = [
    # Finnish, Swedish, English (the last one has no Swedish title)
    ("Metsäkävely", "Skogspromenad", "Forest walk"),
    ("Iltapiiri", "Kvällscirkel", "Evening circle"),
    ("Päätöspiiri", "", "Closing circle"),
]


@pytest.fixture(autouse=True)
def no_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.ENROLMENT_RATE_LIMIT = 0


@pytest.fixture
def residential(site_tree):
    course = CoursePageFactory(
        title="Sururetriitti", format=CourseFormat.RESIDENTIAL, languages=["fi", "sv", "en"]
    )
    course_translate(course, "sv", title="Sorgeretreat")
    course_translate(course, "en", title="Grief retreat")
    first = timezone.localdate() + dt.timedelta(days=30)
    group = GroupFactory(
        course=course,
        venue=VenueFactory(name="Kurssikeskus Kuusela", city="Jyväskylä"),
        starts_on=first,
        ends_on=first + dt.timedelta(days=2),
    )
    for offset, (title, title_sv, title_en) in enumerate(SESSIONS):
        start = dt.datetime.combine(first + dt.timedelta(days=offset), dt.time(10), HELSINKI)
        MeetingFactory(
            group=group,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            is_extra=True,
            title=title,
            title_sv=title_sv,
            title_en=title_en,
        )
    return group


def page_of(course, language):
    return course.get_translation(Locale.objects.get(language_code=language))


def test_a_title_in_the_language_else_the_finnish_one_said_to_be_finnish():
    meeting = MeetingFactory.build(title="Iltapiiri", title_sv="Kvällscirkel", title_en="")
    assert text_in_language(meeting, "title", "sv") == "Kvällscirkel"
    assert not text_is_fallback(meeting, "title", "sv")
    assert text_in_language(meeting, "title", "en") == "Iltapiiri"
    assert text_is_fallback(meeting, "title", "en")
    assert text_in_language(meeting, "title", "fi") == "Iltapiiri"
    assert not text_is_fallback(meeting, "title", "fi")


def test_swedish_course_page_shows_the_programme_in_swedish(client, residential):
    html = client.get(page_of(residential.course, "sv").url).content.decode()
    assert "Skogspromenad" in html and "Kvällscirkel" in html
    # The session without a Swedish title falls back to Finnish, marked.
    assert '<span lang="fi">Päätöspiiri</span>' in html
    text = unmarked_text(html)
    assert "Metsäkävely" not in text and "Iltapiiri" not in text and "Päätöspiiri" not in text


def test_english_course_page_shows_the_programme_in_english(client, residential):
    html = client.get(page_of(residential.course, "en").url).content.decode()
    assert "Forest walk" in html and "Closing circle" in html
    assert "Metsäkävely" not in unmarked_text(html)


def test_manage_page_lists_the_sessions_in_the_page_language(client, residential):
    enrolment = EnrolmentFactory(group=residential, language="en")
    html = client.get(f"/en/my/{enrolment.manage_token}/").content.decode()
    assert "Forest walk" in html
    assert "Metsäkävely" not in unmarked_text(html)


def test_calendar_names_sessions_in_its_language_and_marks_the_finnish_one(client, residential):
    body = client.get(f"/sv/calendar/group/{residential.pk}.ics").content.decode()
    assert "SUMMARY:Skogspromenad" in body
    assert "SUMMARY;LANGUAGE=fi:Päätöspiiri" in body


def test_confirmation_lists_the_programme_in_the_participants_language(residential):
    enrolment = EnrolmentFactory(group=residential, language="sv", status="confirmed")
    outbox.enrolment_message_queue(enrolment=enrolment, template="confirmed")
    _subject, text, html = outbox.message_render(OutboxMessage.objects.get(template="confirmed"))
    assert "Skogspromenad" in text and "Kvällscirkel" in text
    assert "Metsäkävely" not in text
    assert '<span lang="fi">Päätöspiiri</span>' in html


def test_a_session_added_is_told_by_its_title_in_the_participants_language(
    residential, django_capture_on_commit_callbacks
):
    from groups.services.residential import programme_session_add

    EnrolmentFactory(group=residential, language="en", status="confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        programme_session_add(
            group=residential,
            day=residential.starts_on,
            starts=dt.time(15),
            ends=dt.time(16),
            title="Kahvit",
            title_sv="Kaffe",
            title_en="Coffee",
        )
    message = OutboxMessage.objects.get(template="meeting_changed")
    _subject, text, _html = outbox.message_render(message)
    assert "Session: Coffee" in text
    assert "Kahvit" not in text


def test_email_facts_name_the_crisis_centre_in_the_participants_language(site_tree):
    centre = CrisisCentreFactory(
        name="Kriisikeskus Turku", name_sv="Kriscentret i Åbo", name_en="Crisis Centre Turku"
    )
    group = GroupFactory(centre=centre, venue=None)
    enrolment = EnrolmentFactory(group=group, language="sv", status="confirmed")
    outbox.enrolment_message_queue(enrolment=enrolment, template="confirmed")
    _subject, text, html = outbox.message_render(OutboxMessage.objects.get(template="confirmed"))
    assert "Kriscentret i Åbo" in text and "Kriscentret i Åbo" in html
    assert "Kriisikeskus Turku" not in text + html


def test_cancelled_group_offers_the_others_in_the_participants_language(
    site_tree, django_capture_on_commit_callbacks
):
    course = CoursePageFactory(title="Surutyön ryhmä", languages=["fi", "sv", "en"])
    course_translate(course, "en", title="Grief group")
    centre = CrisisCentreFactory(
        name="Kriisikeskus Oulu", name_sv="Kriscentret i Uleåborg", name_en="Crisis Centre Oulu"
    )
    cancelled = GroupFactory(course=course, centre=centre)
    GroupFactory(course=course, centre=centre, name="Syksy")
    EnrolmentFactory(group=cancelled, language="en", status="confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        group_cancel(group=cancelled)
    _subject, text, html = outbox.message_render(
        OutboxMessage.objects.get(template="group_cancelled")
    )
    assert "- Grief group: Syksy, Crisis Centre Oulu" in text
    assert "Surutyön ryhmä" not in text + html
    assert "Kriisikeskus Oulu" not in text + html
