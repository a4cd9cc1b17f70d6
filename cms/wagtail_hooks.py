from django.conf import settings
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms import import_views
from cms.exports import FormulaSafeSnippetIndexView
from cms.models import AccessibilityFeedback, CrisisCentre
from cms.selectors import accessibility_feedback_unanswered, search_misses_top


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


class AccessibilityFeedbackViewSet(SnippetViewSet):
    """Messages from the accessibility statement's form; a coordinator notes the reply."""

    model = AccessibilityFeedback
    icon = "mail"
    menu_label = _("Accessibility feedback")
    menu_order = 205
    add_to_admin_menu = True
    list_display = ["__str__", "received_at", "replied_at"]
    list_filter = ["replied_at"]
    search_fields = ["message"]
    inspect_view_enabled = True


register_snippet(CrisisCentreViewSet)
register_snippet(AccessibilityFeedbackViewSet)


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


class AccessibilityFeedbackPanel(Component):
    """Accessibility feedback without a reply, with each one's two-week deadline."""

    name = "accessibility_feedback"
    order = 45
    template_name = "cms/admin/accessibility_feedback_panel.html"
    rows_shown = 10

    def render_html(self, parent_context=None):
        count, waiting = accessibility_feedback_unanswered(limit=self.rows_shown)
        if not count:
            return ""
        now = timezone.now()
        rows = [
            {
                "url": AdminURLFinder().get_edit_url(row) or "",
                "label": str(row),
                "due": date_format(timezone.localtime(row.reply_due), "SHORT_DATE_FORMAT"),
                "overdue": row.reply_due < now,
            }
            for row in waiting
        ]
        return render_to_string(
            self.template_name,
            {
                "count": count,
                "rows": rows,
                "more": max(count - len(rows), 0),
                "reply_days": settings.ACCESSIBILITY_FEEDBACK_REPLY_DAYS,
            },
        )


@hooks.register("construct_homepage_panels")
def add_accessibility_feedback_panel(request, panels):
    if request.user.has_perm("cms.change_accessibilityfeedback"):
        panels.append(AccessibilityFeedbackPanel())


@hooks.register("register_log_actions")
def register_log_actions(actions):
    label = _("Accessibility feedback received")
    actions.register_action("cms.accessibility_feedback.received", label, label)


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
