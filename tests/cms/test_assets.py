"""Static files and images: fingerprinted, compressed, from our own origin, in modern formats."""

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from cms.blocks import BodyBlock
from cms.settings import base
from tests.factories import CoursePageFactory, GroupFactory, catalogue_page

pytestmark = pytest.mark.django_db


def test_production_static_files_are_fingerprinted_and_compressed(tmp_path, client, site_tree):
    assert (
        base.STORAGES["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=base.STORAGES,
        # Our own files only: the admin's are collected the same way, just slower.
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        html = client.get(site_tree["fi"].url).content.decode()

    assert (tmp_path / "staticfiles.json").exists()
    css = re.search(r'href="/static/(css/site\.[0-9a-f]{12}\.css)"', html)
    assert css, "the page links the fingerprinted stylesheet"
    assert (tmp_path / css.group(1)).exists()
    assert (tmp_path / f"{css.group(1)}.gz").exists()
    assert re.search(r'<script src="/static/js/site\.[0-9a-f]{12}\.js" defer>', html)


class Resources(HTMLParser):
    """What a browser would fetch while loading the page (links to follow are not fetched)."""

    FETCHING = {"script": "src", "img": "src", "iframe": "src", "source": "srcset", "link": "href"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = self.FETCHING.get(tag)
        if name and attrs.get(name):
            if tag == "link" and attrs.get("rel") in {"alternate", "canonical"}:
                return
            self.urls.append(attrs[name])
        if tag == "img" and attrs.get("srcset"):
            self.urls.append(attrs["srcset"])


def test_public_pages_fetch_nothing_from_other_sites(client, site_tree):
    course = CoursePageFactory()
    group = GroupFactory(course=course)
    pages = [site_tree["fi"].url, catalogue_page("fi").url, course.url, f"/fi/enrol/{group.pk}/"]

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        parser = Resources()
        parser.feed(response.content.decode())
        assert parser.urls, url
        external = [u for u in parser.urls if re.match(r"^(https?:)?//", u.strip())]
        assert external == [], url


def test_an_image_block_is_served_as_avif_webp_and_jpeg_renditions_in_three_widths():
    image = Image.objects.create(title="Metsä", file=get_test_image_file(size=(1600, 900)))
    block = BodyBlock().child_blocks["image"]
    value = block.to_python({"image": image.pk, "alt_text": "Metsäpolku", "decorative": False})

    html = block.render(value)

    assert re.search(r'<source [^>]*type="image/avif"', html)
    assert re.search(r'<source [^>]*type="image/webp"', html)
    assert re.search(r'srcset="[^"]+ 400w, [^"]+ 800w, [^"]+ 1200w"', html)
    assert 'sizes="(max-width: 800px) 100vw, 800px"' in html
    assert re.search(r'<img [^>]*alt="Metsäpolku"', html)
    assert image.renditions.filter(file__endswith=".avif").count() == 3


def test_every_page_names_its_icon_so_no_browser_asks_for_a_missing_favicon(client, site_tree):
    """Without a named icon a browser asks for /favicon.ico, and its 404 is a console error
    on the first page a visitor opens."""
    html = client.get(site_tree["fi"].url).content.decode()
    icon = re.search(r'<link rel="icon" href="/static/(img/favicon\.svg)"', html)
    assert icon, "the base layout links the site's icon"
    assert (base.BASE_DIR / "static" / icon.group(1)).is_file()
