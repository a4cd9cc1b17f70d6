import pytest

from tests.factories import CoursePageFactory

pytestmark = pytest.mark.django_db


def test_sitemap_lists_pages_of_every_language(client, site_tree):
    course = CoursePageFactory(slug="sururyhma")

    xml = client.get("/sitemap.xml").content.decode()

    assert "/fi/</loc>" in xml
    assert "/sv/</loc>" in xml
    assert "/en/</loc>" in xml
    assert f"{course.url}</loc>" in xml
