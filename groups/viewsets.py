"""Wagtail admin screens for groups, configured by attributes; wagtail_hooks.py registers them."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from cms.exports import FormulaSafeExportMixin
from groups.admin_forms import GroupAdminForm
from groups.models import FacilitatorProfile, Group, Venue
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


class GroupIndexView(FormulaSafeExportMixin, generic.IndexView):
    """The row menu adds the coordinator's decisions about a group (their views check again)."""

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not self.request.user.has_perm("groups.change_group"):
            return buttons
        if instance.status in (Group.Status.OPEN, Group.Status.FULL):
            buttons.append(
                MenuItem(
                    _("Merge with another group"),
                    url=reverse("groups_group_merge", args=[instance.pk]),
                    icon_name="group",
                    priority=40,
                )
            )
        if (
            instance.feedback_issued_at is None
            and instance.status != Group.Status.CANCELLED
            and instance.ends_on is not None
            and instance.ends_on <= timezone.localdate()
        ):
            buttons.append(
                MenuItem(
                    _("Send feedback links"),
                    url=reverse("groups_group_feedback_send", args=[instance.pk]),
                    icon_name="mail",
                    priority=45,
                )
            )
        return buttons


class GroupViewSet(ModelViewSet):
    model = Group
    icon = "group"
    menu_label = _("Groups")
    index_view_class = GroupIndexView
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


class VenueViewSet(ModelViewSet):
    """Course centres and their rooms (the beds limit a residential course's places)."""

    model = Venue
    icon = "home"
    menu_label = _("Venues")
    list_display = ["name", "city", "region"]
    list_filter = ["region"]
    search_fields = ["name", "city", "region"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldRowPanel([FieldPanel("address"), FieldPanel("city")]),
                    FieldRowPanel([FieldPanel("region"), FieldPanel("contact")]),
                ],
                heading=_("Venue"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("arrival_instructions_fi"),
                    FieldPanel("arrival_instructions_sv"),
                    FieldPanel("arrival_instructions_en"),
                ],
                heading=_("Arrival instructions (sent to participants)"),
            ),
            FieldPanel("accessibility"),
            FieldPanel("catering_notes"),
            InlinePanel("rooms", heading=_("Rooms"), label=_("Room")),
        ]
    )


class GroupsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Groups")
    menu_icon = "group"
    menu_order = 150
    items = (
        GroupViewSet("groups_group"),
        FacilitatorProfileViewSet("groups_facilitator"),
        VenueViewSet("groups_venue"),
    )
