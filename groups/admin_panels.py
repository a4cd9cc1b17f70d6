"""Wagtail dashboard panels for coordinators."""

from wagtail.admin.ui.components import Component

from groups.selectors import groups_under_minimum


class GoNoGoPanel(Component):
    name = "go_no_go"
    order = 50
    template_name = "groups/admin/go_no_go_panel.html"

    def get_context_data(self, parent_context):
        return {"groups": list(groups_under_minimum())}

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not context["groups"]:
            return ""
        return super().render_html(parent_context)
