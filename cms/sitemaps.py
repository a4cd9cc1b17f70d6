"""sitemap.xml with every language: the site root's translations sit beside it, not below."""

from functools import reduce
from operator import or_
from urllib.parse import urlsplit

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from cms.links import absolute_url


class AllLanguagesSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key).only("path")
        under_a_root = reduce(or_, (Q(path__startswith=page.path) for page in roots))
        return (
            Page.objects.live()
            .public()
            .filter(under_a_root)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        # Each page's address on BASE_URL, whatever host the sitemap was asked from.
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            parts = urlsplit(url["location"])
            url["location"] = absolute_url(parts.path)
        return urls
