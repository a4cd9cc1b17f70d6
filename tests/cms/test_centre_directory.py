import datetime as dt

import pytest
from django.utils import timezone

from cms.models import CrisisCentreIndexPage
from tests.factories import CoursePageFactory, CrisisCentreFactory, GroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(site_tree):
    home = site_tree["fi"]
    page = home.add_child(instance=CrisisCentreIndexPage(title="Kriisikeskukset", slug="keskukset"))
    page.save_revision().publish()
    return page


def test_directory_lists_every_centre_with_contact_and_upcoming_groups(client, directory):
    oulu = CrisisCentreFactory(name="Kriisikeskus Oulu", city="Oulu", phone="08 555 1234")
    CrisisCentreFactory(name="Kriisikeskus Kajaani", city="Kajaani")
    course = CoursePageFactory(title="Sururyhmä Oulussa")
    GroupFactory(course=course, centre=oulu, starts_on=timezone.localdate() + dt.timedelta(days=5))

    html = client.get(directory.url).content.decode()

    assert "Kriisikeskus Oulu" in html
    assert "08 555 1234" in html
    assert "Sururyhmä Oulussa" in html
    assert "Kriisikeskus Kajaani" in html
    assert "Tulevia ryhmiä ei ole juuri nyt." in html


def test_directory_query_count_does_not_grow(
    client, directory, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    course = CoursePageFactory()
    soon = timezone.localdate() + dt.timedelta(days=3)
    for number in range(5):
        GroupFactory(
            course=course, centre=CrisisCentreFactory(city=f"Kaupunki {number}"), starts_on=soon
        )
    client.get(directory.url)
    with django_assert_max_num_queries(12):
        client.get(directory.url)
    for number in range(40):
        GroupFactory(
            course=course,
            centre=CrisisCentreFactory(city=f"Toinen {number}"),
            facilitator_1=None,
            facilitator_2=None,
            starts_on=soon,
        )
    with django_assert_max_num_queries(12):
        response = client.get(directory.url)
    assert (
        response.content.decode().count("Kaupunki") + response.content.decode().count("Toinen")
        >= 45
    )
