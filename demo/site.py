"""The site skeleton the demo starts from: locales, a home page per language, the Site."""

from cms.models import HomePage
from cms.services.site import site_tree_ensure


def seed_site() -> dict[str, HomePage]:
    """The home page of every language (the skeleton is the production one, kept in `cms`)."""
    return site_tree_ensure()
