"""A season's groups planned in a spreadsheet, read through the one pipeline (`cms.imports`).

Validation uses the same rules as the admin form: the schedule service decides what a valid
schedule is and whether a facilitator is already leading another group at that time. Saving a
row runs `meetings_schedule`, also on the preview's dry run (rolled back), so that a later row
of the same file clashing with an earlier one is caught exactly as a clash with a saved group.
"""

import recurrence
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from cms.imports import (
    ChoiceWidget,
    DateWidget,
    ImportKind,
    IntegerWidget,
    LookupWidget,
    SheetResource,
    TimeWidget,
)
from cms.models import CrisisCentre
from courses.models import CoursePage
from courses.selectors import course_by_name, course_names
from groups.exceptions import GroupsError, ScheduleError
from groups.models import Group
from groups.scope import centre_scope, groups_for_user, user_sees_whole_network
from groups.selectors.facilitators import facilitators
from groups.services.schedule import (
    facilitator_clash_errors,
    meetings_schedule,
    schedule_dates,
    schedule_preview,
)

REQUIRED_COLUMNS = ("course",)
SCHEDULE_ERROR_COLUMNS = {"no_start_time": "start_time", "no_schedule_from": "schedule_from"}


class RecurrenceWidget(widgets.Widget):
    """The schedule as RFC 5545 text, e.g. `RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12`."""

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        try:
            return recurrence.deserialize(str(value).replace("\\n", "\n"))
        except Exception as error:
            raise ValueError(_("The schedule is not a valid rule.")) from error

    def render(self, value, obj=None, **kwargs):
        return recurrence.serialize(value) if value else ""

    def allowed(self) -> str:
        return _("a weekly rule, e.g. RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12")


def centre_by_name(name: str) -> CrisisCentre:
    return CrisisCentre.objects.get(name__iexact=name)


def user_by_name(name: str):
    """A person by username, e-mail or full name ("Aino Ahonen")."""
    users = get_user_model().objects.annotate(
        full_name=Concat("first_name", Value(" "), "last_name")
    )
    return users.get(Q(username__iexact=name) | Q(email__iexact=name) | Q(full_name__iexact=name))


def facilitator_names() -> list[str]:
    return list(facilitators().order_by("username").values_list("username", flat=True)[:200])


def centre_names() -> list[str]:
    return list(CrisisCentre.objects.order_by("name").values_list("name", flat=True)[:200])


def _facilitator_field(name: str) -> fields.Field:
    return fields.Field(
        attribute=name,
        column_name=name,
        widget=LookupWidget(
            get_user_model(), find=user_by_name, render_field="username", allowed=facilitator_names
        ),
    )


def _field(name: str, widget, **kwargs) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=widget, **kwargs)


class GroupResource(SheetResource):
    id = _field("id", IntegerWidget())
    course = _field(
        "course",
        LookupWidget(CoursePage, find=course_by_name, render_field="title", allowed=course_names),
    )
    centre = _field(
        "centre",
        LookupWidget(CrisisCentre, find=centre_by_name, render_field="name", allowed=centre_names),
    )
    mode = _field("mode", ChoiceWidget(Group.Mode.choices), saves_null_values=False)
    language = _field("language", ChoiceWidget(settings.LANGUAGES), saves_null_values=False)
    capacity = _field("capacity", IntegerWidget(), saves_null_values=False)
    min_size = _field("min_size", IntegerWidget(), saves_null_values=False)
    go_no_go_date = _field("go_no_go_date", DateWidget())
    facilitator_1 = _facilitator_field("facilitator_1")
    facilitator_2 = _facilitator_field("facilitator_2")
    schedule = _field("schedule", RecurrenceWidget())
    schedule_from = _field("schedule_from", DateWidget())
    start_time = _field("start_time", TimeWidget())
    duration_minutes = _field("duration_minutes", IntegerWidget(), saves_null_values=False)
    status = _field("status", ChoiceWidget(Group.Status.choices), saves_null_values=False)

    constraint_messages = {
        "group_capacity_range": gettext_lazy("Places must be between 1 and 200."),
        "group_min_size_within_capacity": gettext_lazy(
            "The minimum size cannot be larger than the number of places."
        ),
        "group_two_different_facilitators": gettext_lazy(
            "The two facilitators must be different people."
        ),
        "group_enrolment_closes_after_opens": gettext_lazy("Enrolment must close after it opens."),
    }

    class Meta:
        model = Group
        fields = (
            "id",
            "course",
            "name",
            "centre",
            "mode",
            "language",
            "capacity",
            "min_size",
            "go_no_go_date",
            "facilitator_1",
            "facilitator_2",
            "schedule",
            "schedule_from",
            "start_time",
            "duration_minutes",
            "status",
        )
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # The coordinator importing: one tied to centres plans only those centres' groups.
        # A row naming another centre, its group or its facilitator is refused (`groups.scope`).
        user = self._importing_user = kwargs.get("user")
        people = facilitators() if user is None else centre_scope(facilitators(), user=user)
        self._facilitator_ids = set(people.values_list("pk", flat=True))

    def _centre_errors(self, instance) -> dict:
        user = getattr(self, "_importing_user", None)
        if user is None or user_sees_whole_network(user):
            return {}
        message = _("You can plan groups only for your own crisis centres.")
        own_centres = centre_scope(CrisisCentre.objects.all(), user=user)
        if not own_centres.filter(pk=instance.centre_id).exists():
            return {"centre": message}
        others = Group.objects.filter(pk=instance.pk).exclude(
            pk__in=groups_for_user(user=user).values("pk")
        )
        if instance.pk and others.exists():
            return {"centre": message}
        return {}

    def _facilitator_refusal(self, user_id: int) -> str:
        if facilitators().filter(pk=user_id).exists():
            return _("Not a facilitator of your crisis centres.")
        return _("Not in the Facilitators group.")

    def _schedule_errors(self, instance) -> dict:
        """The schedule checked as the group form checks it, then the facilitators' clashes."""
        if not instance.course_id:
            return {}
        try:
            if instance.start_time is None:
                schedule_dates(
                    schedule=instance.schedule,
                    schedule_from=instance.schedule_from,
                    course_format=instance.course.format,
                )
                return {}
            meetings = schedule_preview(
                schedule=instance.schedule,
                schedule_from=instance.schedule_from,
                start_time=instance.start_time,
                duration_minutes=instance.duration_minutes or 90,
                course_format=instance.course.format,
            )
        except ScheduleError as error:
            return {SCHEDULE_ERROR_COLUMNS.get(error.code, "schedule"): error.message}
        return facilitator_clash_errors(
            facilitators={
                "facilitator_1": instance.facilitator_1,
                "facilitator_2": instance.facilitator_2,
            },
            meetings=meetings,
            exclude_group_id=instance.pk,
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        errors.update(self._centre_errors(instance))
        for name in ("facilitator_1", "facilitator_2"):
            user_id = getattr(instance, f"{name}_id")
            if user_id and user_id not in self._facilitator_ids:
                errors[name] = self._facilitator_refusal(user_id)
        if instance.facilitator_1_id and instance.facilitator_1_id == instance.facilitator_2_id:
            errors["facilitator_2"] = _("The two facilitators must be different people.")
        for name, message in self._schedule_errors(instance).items():
            errors.setdefault(name, message)
        super().validate_instance(instance, errors or None, validate_unique)

    def after_save_instance(self, instance, row, **kwargs):
        # Also on the dry run: its transaction is rolled back, and later rows of the file see
        # this row's meetings when their facilitators are checked for clashes.
        if instance.start_time and instance.schedule:
            meetings_schedule(group=instance, user=kwargs.get("user"))


def _group_resource(user) -> GroupResource:
    return GroupResource()


GROUP_IMPORT = ImportKind(
    name="groups",
    title=gettext_lazy("Groups"),
    resource=_group_resource,
    permission="groups.add_group",
    required_columns=REQUIRED_COLUMNS,
    max_rows=5000,
    domain_errors=(GroupsError,),
    done_url="groups_group:index",
    upload_url="groups_group_import",
    template_filename="groups-template.xlsx",
)
