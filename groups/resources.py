"""django-import-export resources: a season's groups planned in a spreadsheet.

Validation uses the same rules as the admin form (the schedule service decides what a valid
schedule is); saving a row runs `meetings_schedule` so imported groups get their meetings.
"""

import recurrence
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from cms.models import CrisisCentre
from courses.models import CoursePage
from groups.exceptions import ScheduleError
from groups.models import Group
from groups.scope import user_centre_ids
from groups.selectors.facilitators import facilitators
from groups.services.schedule import meetings_schedule, schedule_dates


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


class GroupResource(resources.ModelResource):
    course = fields.Field(
        attribute="course",
        column_name="course",
        widget=widgets.ForeignKeyWidget(CoursePage, field="slug"),
    )
    centre = fields.Field(
        attribute="centre",
        column_name="centre",
        widget=widgets.ForeignKeyWidget(CrisisCentre, field="name"),
    )
    facilitator_1 = fields.Field(
        attribute="facilitator_1",
        column_name="facilitator_1",
        widget=widgets.ForeignKeyWidget(get_user_model(), field="username"),
    )
    facilitator_2 = fields.Field(
        attribute="facilitator_2",
        column_name="facilitator_2",
        widget=widgets.ForeignKeyWidget(get_user_model(), field="username"),
    )
    schedule = fields.Field(attribute="schedule", column_name="schedule", widget=RecurrenceWidget())

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
        # The coordinator importing: one tied to centres plans only those centres' groups.
        self._importing_user = kwargs.get("user")
        return super().before_import(dataset, **kwargs)

    def _centre_errors(self, instance) -> dict:
        user = getattr(self, "_importing_user", None)
        centre_ids = user_centre_ids(user) if user is not None else None
        if centre_ids is None:
            return {}
        message = _("You can plan groups only for your own crisis centres.")
        if instance.centre_id not in centre_ids:
            return {"centre": message}
        if (
            instance.pk
            and Group.objects.filter(pk=instance.pk).exclude(centre_id__in=centre_ids).exists()
        ):
            return {"centre": message}
        return {}

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        errors.update(self._centre_errors(instance))
        allowed = set(facilitators().values_list("pk", flat=True))
        for name in ("facilitator_1", "facilitator_2"):
            user_id = getattr(instance, f"{name}_id")
            if user_id and user_id not in allowed:
                errors[name] = _("Not in the Facilitators group.")
        if instance.facilitator_1_id and instance.facilitator_1_id == instance.facilitator_2_id:
            errors["facilitator_2"] = _("The two facilitators must be different people.")
        if instance.course_id:
            try:
                schedule_dates(
                    schedule=instance.schedule,
                    schedule_from=instance.schedule_from,
                    course_format=instance.course.format,
                )
            except ScheduleError as error:
                errors["schedule"] = error.message
        super().validate_instance(instance, errors or None, validate_unique)

    def after_save_instance(self, instance, row, **kwargs):
        if not kwargs.get("dry_run") and instance.start_time and instance.schedule:
            meetings_schedule(group=instance, user=kwargs.get("user"))
