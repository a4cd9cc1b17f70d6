import pytest
from django.core.management import call_command

from courses.models import CourseFormat, CourseIndexPage, CoursePage, Topic
from demo.courses import course_slug, seed_courses
from groups.capacity import groups_with_places
from groups.models import Enrolment, Group, Meeting

# seed_demo has run once for the module (tests/demo/conftest.py); a test's own call is the next run.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo_seeded"),
    pytest.mark.xdist_group("demo-courses"),
]


def test_seed_demo_builds_a_catalogue_in_three_languages_and_can_run_twice():
    call_command("seed_demo")

    assert CourseIndexPage.objects.live().count() == 3
    finnish = CoursePage.objects.filter(locale__language_code="fi")
    assert finnish.count() >= 12
    assert set(finnish.values_list("format", flat=True)) == set(CourseFormat.values)
    assert (
        finnish.values("topic__slug").distinct().count()
        == Topic.objects.filter(locale__language_code="fi").count()
    )
    for code in ("sv", "en"):
        assert (
            CoursePage.objects.live().filter(locale__language_code=code).count() == finnish.count()
        )
    assert Group.objects.count() >= 30
    assert (
        Group.objects.exclude(mode=Group.Mode.REMOTE).values("centre__city").distinct().count()
        >= 10
    )
    assert Group.objects.filter(mode=Group.Mode.REMOTE).exists()
    annotated = groups_with_places()
    assert annotated.filter(places_left=0).exists()
    assert annotated.filter(waitlist_length__gt=0).exists()
    # Every group past planning has its meetings (a draft may still wait for its schedule).
    planned = Group.objects.exclude(status=Group.Status.DRAFT)
    assert Meeting.objects.filter(group__in=planned).values("group").distinct().count() == (
        planned.count()
    )
    assert all(
        e.endswith("@example.invalid") for e in Enrolment.objects.values_list("email", flat=True)
    )


def test_demo_home_page_leads_with_the_catalogue_and_lists_the_expert_directory(client):
    html = client.get("/sv/").content.decode()
    catalogue = html.index("Grupper och utbildningar")
    assert catalogue < html.index("Kriscenter")
    assert "Linity/ASSIP" in html[catalogue:]


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fi", "Selkokielellä"), ("sv", "På lättläst svenska"), ("en", "In plain language")],
)
def test_demo_courses_have_an_easy_summary_under_its_own_heading(client, language, heading):
    import re

    from demo.courses import seed_courses

    seed_courses()
    courses = CoursePage.objects.live().filter(locale__language_code=language)
    assert courses.count() >= 12
    for course in courses:
        plain = course.plain_language_summary
        assert plain and plain != course.summary, course.title
        sentences = [part for part in re.split(r"[.?!]\s*", plain) if part]
        # Easy language: a few short sentences.
        assert len(sentences) <= 3 and max(len(s.split()) for s in sentences) <= 13, plain

    course = courses.get(slug=course_slug("suicide-loss-group", language))
    html = client.get(course.url).content.decode()
    assert (
        '<section class="plain-language" aria-labelledby="plain-heading">'
        f'<h2 id="plain-heading">{heading}</h2><p>{course.plain_language_summary}</p></section>'
    ) in html


def test_demo_courses_have_slugs_in_their_own_language_and_old_addresses_redirect(
    client, django_capture_on_commit_callbacks
):
    seed_courses()
    finnish = CoursePage.objects.get(
        locale__language_code="fi", slug="vertaisryhma-itsemurhan-kautta-laheisensa-menettaneille"
    )
    swedish = CoursePage.objects.get(
        locale__language_code="sv", slug="kamratstodsgrupp-for-efterlevande-efter-sjalvmord"
    )
    assert swedish.translation_key == finnish.translation_key
    assert not CoursePage.objects.filter(slug="suicide-loss-group").exists()

    # A database seeded before this change had the English slug on every language's page.
    finnish.slug = "suicide-loss-group"
    finnish.save_revision().publish()
    old_url = CoursePage.objects.get(pk=finnish.pk).url
    # Wagtail makes the redirect once the rename is committed (`page_slug_changed` is sent on
    # commit), as `seed_demo` does; the test's own transaction never commits.
    with django_capture_on_commit_callbacks(execute=True):
        seed_courses()

    finnish.refresh_from_db()
    assert finnish.slug == "vertaisryhma-itsemurhan-kautta-laheisensa-menettaneille"
    response = client.get(old_url)
    assert response.status_code in (301, 302)
    assert response["Location"].endswith(finnish.url)


def test_demo_peer_groups_ask_their_intake_in_each_language_with_one_risk_question():
    from courses.models import IntakeQuestion

    groups = CoursePage.objects.exclude(format=CourseFormat.TRAINING)
    for code, risk_words in [
        ("fi", "elämäsi päättämisestä"),
        ("sv", "ta ditt liv"),
        ("en", "ending your life"),
    ]:
        for page in groups.filter(locale__language_code=code):
            questions = IntakeQuestion.objects.filter(course=page)
            assert questions.count() == 3, page
            risk = questions.get(is_risk_question=True)
            assert risk_words in risk.text
            assert risk.risk_answer_list == ["yes"]
