"""Wagtail admin screens for groups, configured by attributes; wagtail_hooks.py registers them."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from cms.exports import FormulaSafeModelIndexView
from groups.admin_forms import GroupAdminForm
from groups.models import FacilitatorProfile, Group
from groups.services.schedule import meetings_schedule


class GroupScheduleSaveMixin:
    """Saving a group (re)materialises its meetings through the schedule service."""

    def save_instance(self):
        instance = super().save_instance()
        if instance.schedule and instance.start_time and instance.schedule_from:
            meetings_schedule(group=instance, user=self.request.user)
        return instance


class GroupCreateView(GroupScheduleSaveMixin, generic.CreateView):
    pass


class GroupEditView(GroupScheduleSaveMixin, generic.EditView):
    pass


class GroupViewSet(ModelViewSet):
    index_view_class = FormulaSafeModelIndexView
    model = Group
    icon = "group"
    menu_label = _("Groups")
    add_view_class = GroupCreateView
    edit_view_class = GroupEditView
    list_display = ["__str__", "centre", "language", "starts_on", "status"]
    list_filter = ["course", "centre", "status", "language", "starts_on"]
    search_fields = ["name", "course__title", "centre__name", "centre__city"]
    list_export = [
        "course",
        "name",
        "centre",
        "venue",
        "mode",
        "language",
        "capacity",
        "min_size",
        "go_no_go_date",
        "starts_on",
        "ends_on",
        "start_time",
        "duration_minutes",
        "facilitator_1",
        "facilitator_2",
        "status",
    ]
    export_filename = "groups"
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("course", widget=forms.Select),
                    FieldPanel("name"),
                    FieldPanel("status"),
                    FieldRowPanel([FieldPanel("centre", widget=forms.Select), FieldPanel("venue")]),
                    FieldRowPanel([FieldPanel("mode"), FieldPanel("language")]),
                ],
                heading=_("Group"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("schedule"),
                    FieldRowPanel(
                        [
                            FieldPanel("schedule_from"),
                            FieldPanel("start_time"),
                            FieldPanel("duration_minutes"),
                        ]
                    ),
                    HelpPanel(template="groups/admin/schedule_preview_panel.html"),
                ],
                heading=_("Schedule"),
            ),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("facilitator_1"), FieldPanel("facilitator_2")])],
                heading=_("Facilitators"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("capacity"), FieldPanel("min_size")]),
                    FieldPanel("go_no_go_date"),
                    FieldRowPanel([FieldPanel("enrolment_opens"), FieldPanel("enrolment_closes")]),
                    FieldPanel("remote_link"),
                ],
                heading=_("Enrolment"),
            ),
        ],
        base_form_class=GroupAdminForm,
    )


class FacilitatorProfileViewSet(ModelViewSet):
    model = FacilitatorProfile
    icon = "user"
    menu_label = _("Facilitator profiles")
    list_display = ["__str__", "profession", "languages", "home_centre"]
    list_filter = ["home_centre"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "profession"]
    form_fields = ["user", "profession", "languages", "home_centre"]


class GroupsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Groups")
    menu_icon = "group"
    menu_order = 150
    items = (GroupViewSet("groups_group"), FacilitatorProfileViewSet("groups_facilitator"))
