"""Wagtail admin screens for groups, configured by attributes; wagtail_hooks.py registers them."""

from django import forms
from django.http import Http404
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
    Panel,
)
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from cms.exports import FormulaSafeExportMixin
from cms.services.tasks import task_on_commit
from groups.admin.forms import GroupAdminForm, ScheduleWidget
from groups.admin.inspect import ReadableInspectMixin
from groups.admin.meetings import group_meetings_context
from groups.models import CoordinatorProfile, FacilitatorProfile, Group, Venue
from groups.scope import centre_lookup, centre_scope, form_choosers_scope
from groups.selectors.interest import group_prefill
from groups.services.interest import holds_release_group_gone
from groups.services.schedule import group_cancelled_follow_up, meetings_schedule
from groups.services.video_links import group_video_link_changed


class CentreScopedViewSet(ModelViewSet):
    """A ModelViewSet whose every view goes through the centre boundary (`groups.scope`):
    someone else's row is a 404 in the edit, inspect, delete, copy, history and usage views
    (GET and POST alike), missing from listings and their exports, and the form's choosers
    offer only the user's centres' rows. Wagtail has no attribute for row-level scoping, so
    each view class gets a small mixin."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        centre_lookup(self.model)  # fails at start-up for a model the boundary does not know
        self.index_view_class = _scoped(self.index_view_class, _ScopedListing)
        for name in ("edit", "delete", "inspect", "copy", "history", "usage"):
            attribute = f"{name}_view_class"
            setattr(self, attribute, _scoped(getattr(self, attribute), _ScopedObject))
        for name in ("add", "edit", "copy"):
            attribute = f"{name}_view_class"
            setattr(self, attribute, _scoped(getattr(self, attribute), _ScopedChoosers))
        if not issubclass(self.inspect_view_class, ReadableInspectMixin):
            self.inspect_view_class = type(
                f"Readable{self.inspect_view_class.__name__}",
                (ReadableInspectMixin, self.inspect_view_class),
                {},
            )


class _ScopedListing:
    def get_base_queryset(self):
        return centre_scope(super().get_base_queryset(), user=self.request.user)


class _ScopedObject:
    """Wagtail looks the row up in different ways (some straight from the model), so the row
    found is checked against the scope."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        queryset = self.model._default_manager.filter(pk=instance.pk)
        if not centre_scope(queryset, user=self.request.user).exists():
            raise Http404
        return instance


class _ScopedChoosers:
    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        form_choosers_scope(form, user=self.request.user)
        return form


def _scoped(view_class, mixin):
    if issubclass(view_class, mixin):
        return view_class
    return type(f"CentreScoped{view_class.__name__}", (mixin, view_class), {})


class GroupScheduleSaveMixin:
    """Saving a group (re)materialises its meetings through the schedule service."""

    def save_instance(self):
        instance = super().save_instance()
        if instance.schedule and instance.start_time and instance.schedule_from:
            meetings_schedule(group=instance, user=self.request.user)
        if "status" in self.form.changed_data and instance.status == Group.Status.CANCELLED:
            # Cancelled in the form rather than by the cancel action: the same follow-up.
            group_cancelled_follow_up(group=instance, user=self.request.user)
        if "video_link" in self.form.changed_data:
            # A new link goes to the people who may hold the old one (services/video_links.py).
            group_video_link_changed(
                group=instance,
                previous=self.form.initial.get("video_link") or "",
                user=self.request.user,
            )
        # A group that opens (or gets places) offers them on: its waiting list first, then
        # the interests it matches (groups/services/interest.py); one set to cancelled lets
        # the places it kept for interests go.
        holds_release_group_gone(group_id=instance.pk)
        task_on_commit("groups.tasks.place_offer_next", instance.pk)
        return instance


class MeetingsPanel(Panel):
    """The group's meetings on its edit page, each with a link to move or cancel it."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "groups/admin/meetings_list.html"

        def is_shown(self):
            return self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(group_meetings_context(group=self.instance, user=self.request.user))
            return context


class GroupInspectView(ReadableInspectMixin, generic.InspectView):
    """The group's fields, then its meetings."""

    template_name = "groups/admin/group_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(group_meetings_context(group=self.object, user=self.request.user))
        return context


class GroupCreateView(GroupScheduleSaveMixin, generic.CreateView):
    def get_initial_form_instance(self):
        """A group started from a row of the interest report (`groups/admin/interest.py`)
        comes with its course, language, place and mode filled in; the coordinator decides."""
        instance = super().get_initial_form_instance()
        if self.request.method != "GET":
            return instance
        prefill = group_prefill(params=self.request.GET, user=self.request.user)
        if not prefill:
            return instance
        instance = instance or self.model()
        for name, value in prefill.items():
            setattr(instance, name, value)
        return instance


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


class GroupViewSet(CentreScopedViewSet):
    model = Group
    icon = "group"
    menu_label = _("Groups")
    index_view_class = GroupIndexView
    add_view_class = GroupCreateView
    edit_view_class = GroupEditView
    inspect_view_class = GroupInspectView
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
                    FieldPanel("schedule", widget=ScheduleWidget),
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
            MeetingsPanel(heading=_("Meetings")),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("facilitator_1"), FieldPanel("facilitator_2")])],
                heading=_("Facilitators"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("capacity"), FieldPanel("min_size")]),
                    FieldPanel("go_no_go_date"),
                    FieldRowPanel([FieldPanel("enrolment_opens"), FieldPanel("enrolment_closes")]),
                    FieldPanel("video_link"),
                ],
                heading=_("Enrolment"),
            ),
        ],
        base_form_class=GroupAdminForm,
    )


class FacilitatorProfileViewSet(CentreScopedViewSet):
    model = FacilitatorProfile
    icon = "user"
    menu_label = _("Facilitator profiles")
    list_display = ["__str__", "profession", "languages", "home_centre"]
    list_filter = ["home_centre"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "profession"]
    form_fields = ["user", "profession", "languages", "home_centre"]


class VenueViewSet(CentreScopedViewSet):
    """Course centres and their rooms (the beds limit a residential course's places); each
    venue belongs to the crisis centre whose coordinators book it."""

    model = Venue
    icon = "home"
    menu_label = _("Venues")
    list_display = ["name", "city", "region", "centre"]
    list_filter = ["region"]
    search_fields = ["name", "city", "region"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldRowPanel([FieldPanel("address"), FieldPanel("city")]),
                    FieldRowPanel([FieldPanel("region"), FieldPanel("contact")]),
                    FieldPanel("centre", widget=forms.Select),
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


class CoordinatorProfileViewSet(ModelViewSet):
    """Which centres a coordinator works for; administrators keep it (`add_user` role)."""

    model = CoordinatorProfile
    icon = "user"
    menu_label = _("Coordinator profiles")
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    form_fields = ["user", "centres", "network_wide"]
    list_display = ["__str__", "network_wide"]


class GroupsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Groups")
    menu_icon = "group"
    menu_order = 150
    items = (
        GroupViewSet("groups_group"),
        FacilitatorProfileViewSet("groups_facilitator"),
        VenueViewSet("groups_venue"),
        CoordinatorProfileViewSet("groups_coordinator"),
    )
