from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import Topic


class TopicViewSet(SnippetViewSet):
    """Topics are translatable snippets: each language has its own name, the slug is shared."""

    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "slug", "locale"]
    search_fields = ["name", "slug"]
    search_backend_name = None  # plain database lookups: a few dozen rows
