import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import (
    CoursePageFactory,
    CrisisCentreFactory,
    EnrolmentFactory,
    GroupFactory,
    course_translate,
)

pytestmark = pytest.mark.django_db


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def facilitator_body(name="Maija Meikäläinen"):
    return [
        {
            "type": "facilitator_intro",
            "value": {"profession": "Psykologi", "name": name, "text": "Olen mukana."},
        }
    ]


def test_course_page_shows_groups_with_enrol_buttons_and_the_crisis_centre(client, site_tree):
    centre = CrisisCentreFactory(
        name="Kriisikeskus Oulu", city="Oulu", phone="08 123 4567", email="oulu@example.invalid"
    )
    course = CoursePageFactory(title="Surutyön ryhmä", body=facilitator_body())
    open_group = GroupFactory(course=course, centre=centre, starts_on=in_days(5))
    full_group = GroupFactory(course=course, centre=centre, capacity=5, starts_on=in_days(6))
    EnrolmentFactory.create_batch(5, group=full_group)

    html = client.get(course.url).content.decode()

    assert "Surutyön ryhmä" in html
    assert f'href="/fi/enrol/{open_group.pk}/"' in html
    assert "Ilmoittaudu jonotuslistalle" in html
    assert "Kriisikeskus Oulu" in html
    assert "08 123 4567" in html
    assert "oulu@example.invalid" in html
    assert "Psykologi" in html
    assert "Maija Meikäläinen" not in html


def test_facilitator_names_show_when_the_editor_chooses(client, site_tree):
    course = CoursePageFactory(body=facilitator_body(), show_facilitator_names=True)

    assert "Maija Meikäläinen" in client.get(course.url).content.decode()


def test_swedish_course_page_shows_groups_of_the_finnish_original(client, site_tree):
    course = CoursePageFactory(title="Ryhmä")
    GroupFactory(course=course, language="sv", starts_on=in_days(9))
    sv_locale = site_tree["sv"].locale
    sv_catalogue = course.get_parent().copy_for_translation(sv_locale)
    sv_catalogue.save_revision().publish()
    translation = course.copy_for_translation(sv_locale)
    translation.title = "Grupp"
    translation.save_revision().publish()

    html = client.get(translation.url).content.decode()

    assert "Anmäl dig" in html
    assert "/sv/enrol/" in html


def test_language_switcher_of_a_course_goes_to_the_same_course_or_says_it_is_missing(
    client, site_tree
):
    course = CoursePageFactory(title="Surutyön ryhmä", slug="surutyo")
    swedish = course_translate(course, "sv", title="Sorgegrupp", slug="sorgegrupp")

    html = client.get(course.url).content.decode()

    assert f'href="{swedish.url}" lang="sv"' in html
    # No English version: the Finnish course, with a notice in English, never a 404.
    assert f'href="{course.url}?unavailable=en" lang="en"' in html
    response = client.get(f"{course.url}?unavailable=en")
    assert response.status_code == 200
    notice = "This page is not available in English; showing the Finnish version."
    assert notice in response.content.decode()
    assert f'href="{course.url}" lang="fi"' in client.get(swedish.url).content.decode()


def test_course_page_query_count_does_not_grow_with_groups(
    client, site_tree, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # count the queries of a real render
    course = CoursePageFactory()
    centre = CrisisCentreFactory()
    for day in range(5):
        GroupFactory(course=course, centre=centre, starts_on=in_days(day + 1))
    client.get(course.url)
    with django_assert_max_num_queries(14):
        client.get(course.url)
    for day in range(195):
        GroupFactory(
            course=course,
            centre=centre,
            facilitator_1=None,
            facilitator_2=None,
            starts_on=in_days(day % 90 + 1),
        )
    with django_assert_max_num_queries(14):
        response = client.get(course.url)
    assert response.content.decode().count('class="group-card"') == 200


def test_course_page_has_course_json_ld_open_graph_and_description(client, site_tree):
    import json
    import re

    course = CoursePageFactory(title="Sururyhmä", summary="Tapaamme viikoittain </script>.")
    GroupFactory(course=course, mode="remote", language="sv", starts_on=in_days(12))

    html = client.get(course.url).content.decode()

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "Course"
    assert data["name"] == "Sururyhmä"
    assert data["description"] == "Tapaamme viikoittain </script>."
    instance = data["hasCourseInstance"][0]
    assert instance["courseMode"] == "online"
    assert instance["inLanguage"] == "sv"
    assert instance["startDate"] == in_days(12).isoformat()
    assert '<meta property="og:title" content="Sururyhmä">' in html
    assert '<meta name="description" content="Tapaamme viikoittain &lt;/script&gt;.">' in html
    assert '<meta property="og:type" content="article">' in html


def test_a_risk_questions_risk_answers_must_be_answers_the_form_can_give():
    from django.core.exceptions import ValidationError

    from courses.models import IntakeQuestion

    swedish_copy = IntakeQuestion(
        text="Hur mår du?",
        kind="choice",
        choices="Bra\nInte så bra\nDåligt",
        is_risk_question=True,
        risk_answers="Huonosti",  # left in Finnish when the page was translated
    )
    with pytest.raises(ValidationError):
        swedish_copy.clean()
    swedish_copy.risk_answers = "Dåligt"
    swedish_copy.clean()
    with pytest.raises(ValidationError):
        IntakeQuestion(text="?", kind="yes_no", is_risk_question=True, risk_answers="").clean()
