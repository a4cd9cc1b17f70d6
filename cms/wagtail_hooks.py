from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms import import_views
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


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("imports/", import_views.sheet_import_index, name="cms_sheet_imports"),
        path("imports/<int:pk>/", import_views.sheet_import_detail, name="cms_sheet_import"),
        path(
            "imports/<int:pk>/progress/",
            import_views.sheet_import_progress,
            name="cms_sheet_import_progress",
        ),
        path(
            "imports/<int:pk>/confirm/",
            import_views.sheet_import_confirm_view,
            name="cms_sheet_import_confirm",
        ),
    ]
