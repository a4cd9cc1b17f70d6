"""Editors make the Swedish and English versions of a page from the Finnish one in the admin
(Wagtail's simple translation), and the switcher then links the versions together."""

import pytest
from django.contrib.auth.models import Group as AuthGroup
from wagtail.models import Locale

from courses.models import CoursePage
from tests.factories import CoursePageFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_editor_creates_the_swedish_version_of_a_course_from_the_finnish_one(client, site_tree):
    course = CoursePageFactory(title="Surutyön ryhmä", slug="surutyo")
    sv = Locale.objects.get(language_code="sv")
    course.get_parent().copy_for_translation(sv).save_revision().publish()  # the sv catalogue
    editor = UserFactory(username="toimittaja")
    editor.groups.add(AuthGroup.objects.get(name="Editors"))
    assert editor.has_perm("simple_translation.submit_translation")
    client.force_login(editor)

    form = client.get(f"/admin/translation/submit/page/{course.pk}/")
    assert form.status_code == 200
    response = client.post(
        f"/admin/translation/submit/page/{course.pk}/",
        {"locales": [sv.pk], "include_subtree": ""},
    )

    assert response.status_code == 302
    swedish = CoursePage.objects.get(translation_key=course.translation_key, locale=sv)
    assert swedish.title == "Surutyön ryhmä"  # a copy to translate, not yet published
    assert not swedish.live
    assert swedish.get_parent().locale == sv
