from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.exports import FormulaSafeSnippetIndexView
from cms.models import CrisisCentre


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
