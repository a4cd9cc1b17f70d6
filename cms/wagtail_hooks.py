from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.exports import FormulaSafeSnippetIndexView
from cms.models import CrisisCentre
from cms.selectors import search_misses_top


class CrisisCentreViewSet(SnippetViewSet):
    index_view_class = FormulaSafeSnippetIndexView
    model = CrisisCentre
    icon = "home"
    menu_label = _("Crisis centres")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "city", "region", "phone"]
    list_filter = ["region"]
    search_fields = ["name", "city"]
    list_export = ["name", "city", "region", "address", "phone", "email"]


register_snippet(CrisisCentreViewSet)


class SearchMissesPanel(Component):
    """What visitors searched for and did not find in the last SEARCH_MISS_DAYS days: words,
    language and how many times, nothing about who (`cms.models.SearchMiss`)."""

    name = "search_misses"
    order = 120
    template_name = "cms/admin/search_misses_panel.html"

    def get_context_data(self, parent_context=None):
        return {"misses": search_misses_top(), "days": settings.SEARCH_MISS_DAYS}

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not context["misses"]:
            return ""
        return render_to_string(self.template_name, context)


@hooks.register("construct_homepage_panels")
def add_search_misses_panel(request, panels):
    # Editors write the pages people fail to find: everyone with the admin sees it.
    if request.user.has_perm("wagtailadmin.access_admin"):
        panels.append(SearchMissesPanel())
