"""Wagtail admin screens of the expert network; network/wagtail_hooks.py registers them.

Experts are snippets rather than a plain ModelViewSet because Wagtail's bulk actions (pause,
mark left) exist only for snippet listings."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.widgets.button import Button
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from network import views
from network.exceptions import ExpertStateError
from network.filters import ExpertFilterSet
from network.forms import ExpertAdminForm, TrainingAdminForm
from network.models import (
    Certification,
    Expert,
    SupervisionSession,
    Training,
)
from network.selectors import experts_for_admin
from network.services.experts import expert_mark_left, expert_pause


class ExpertIndexView(IndexView):
    """Adds the network's own screens (import, export, coverage) to the listing's header."""

    @property
    def header_more_buttons(self):
        query = self.request.GET.urlencode()
        export = reverse("expert_network:export")
        return [
            *super().header_more_buttons,
            Button(
                _("Import a spreadsheet"), url=reverse("expert_network:import"), icon_name="upload"
            ),
            Button(_("Export XLSX"), url=f"{export}?{query}&format=xlsx", icon_name="download"),
            Button(_("Export CSV"), url=f"{export}?{query}&format=csv", icon_name="download"),
            Button(_("Coverage report"), url=reverse("expert_network:coverage"), icon_name="table"),
        ]


class ExpertViewSet(SnippetViewSet):
    model = Expert
    icon = "user"
    menu_label = _("Experts")
    index_view_class = ExpertIndexView
    edit_handler = ObjectList(Expert.panels, base_form_class=ExpertAdminForm)
    list_display = [
        "name",
        "organisation",
        "county",
        "city",
        "status",
        Column("keeping_up_label", label=_("Keeping up"), sort_key="keeping_up"),
        Column("supervision_count", label=_("Supervision sessions")),
    ]
    filterset_class = ExpertFilterSet
    search_fields = ["name", "organisation", "city", "email"]
    list_per_page = 50
    inspect_view_enabled = True

    def get_queryset(self, request):
        return experts_for_admin()


class TrainingViewSet(SnippetViewSet):
    model = Training
    icon = "doc-full"
    menu_label = _("Trainings")
    edit_handler = ObjectList(Training.panels, base_form_class=TrainingAdminForm)
    list_display = ["name", "starts_on", "ends_on", "place"]
    search_fields = ["name", "place", "trainers"]


class CertificationViewSet(SnippetViewSet):
    model = Certification
    icon = "tick-inverse"
    menu_label = _("Certifications")
    list_display = ["expert", "training", "certified_on", "certifier"]
    list_filter = ["training"]

    def get_queryset(self, request):
        return Certification.objects.select_related("expert", "training")


class SupervisionSessionViewSet(SnippetViewSet):
    model = SupervisionSession
    icon = "group"
    menu_label = _("Supervision")
    list_display = ["held_on", "supervisor", "format"]
    list_filter = ["format"]
    search_fields = ["supervisor"]


class ExpertNetworkMenuItem(MenuItem):
    """Shown only to those the screens let in (a plain ViewSet has no permission policy, so
    the whole network menu would otherwise show for every admin user)."""

    def is_shown(self, request):
        return request.user.has_perm("network.view_expert")


class ExpertNetworkViewSet(ViewSet):
    """The network's own screens: coverage report, spreadsheet import, filtered export."""

    name = "expert_network"
    icon = "table"
    menu_label = _("Coverage report")
    menu_item_class = ExpertNetworkMenuItem

    def get_urlpatterns(self):
        return [
            path("coverage/", views.coverage_report, name="coverage"),
            path("import/", views.expert_import, name="import"),
            path("export/", views.expert_export, name="export"),
        ]


class ExpertNetworkViewSetGroup(ViewSetGroup):
    menu_label = _("Linity/ASSIP network")
    menu_icon = "user"
    menu_order = 300
    items = [
        ExpertViewSet,
        TrainingViewSet,
        CertificationViewSet,
        SupervisionSessionViewSet,
        ExpertNetworkViewSet,
    ]


class ExpertStatusBulkAction(SnippetBulkAction):
    models = [Expert]
    template_name = "network/admin/confirm_bulk_status.html"

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        )

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        changed = 0
        for expert in objects:
            try:
                cls.change(expert=expert, user=kwargs["self"].request.user)
            except ExpertStateError:
                continue
            changed += 1
        return changed, 0


class ExpertPauseBulkAction(ExpertStatusBulkAction):
    display_name = _("Pause")
    action_type = "pause"
    aria_label = _("Pause the selected experts")
    change = staticmethod(expert_pause)

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d expert paused.", "%(count)d experts paused.", num_parent_objects
        ) % {"count": num_parent_objects}


class ExpertMarkLeftBulkAction(ExpertStatusBulkAction):
    display_name = _("Mark as left")
    action_type = "mark_left"
    aria_label = _("Mark the selected experts as having left the network")
    classes = {"serious"}
    change = staticmethod(expert_mark_left)

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d expert marked as left.",
            "%(count)d experts marked as left.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
