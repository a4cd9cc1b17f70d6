"""Forms of the Wagtail admin screens for groups: they check input and call services."""

from django import forms
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from recurrence.forms import RecurrenceField
from wagtail.admin.forms import WagtailAdminModelForm

from courses.models import CourseFormat
from groups.exceptions import ScheduleError
from groups.scope import user_centre_ids
from groups.selectors.facilitators import facilitator_clashes, facilitators
from groups.services.schedule import schedule_preview


class GroupAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("facilitator_1", "facilitator_2"):
            if name in self.fields:
                self.fields[name].queryset = facilitators()
        # A coordinator tied to centres creates and moves groups within those centres only.
        centre_ids = user_centre_ids(self.for_user) if self.for_user else None
        if centre_ids is not None and "centre" in self.fields:
            field = self.fields["centre"]
            field.queryset = field.queryset.filter(pk__in=centre_ids)
            field.required = True

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("facilitator_1"), cleaned.get("facilitator_2")
        if first and second and first == second:
            self.add_error("facilitator_2", _("The two facilitators must be different people."))
        course = cleaned.get("course")
        # A weekly group always needs its schedule; a residential course or a training may run
        # on a programme instead, but a rule it does have must be valid.
        if course is not None and (cleaned.get("schedule") or course.format == CourseFormat.WEEKLY):
            try:
                meetings = schedule_preview(
                    schedule=cleaned.get("schedule"),
                    schedule_from=cleaned.get("schedule_from"),
                    start_time=cleaned.get("start_time"),
                    duration_minutes=cleaned.get("duration_minutes") or 90,
                    course_format=course.format,
                )
            except ScheduleError as error:
                field = {"no_start_time": "start_time", "no_schedule_from": "schedule_from"}
                self.add_error(field.get(error.code, "schedule"), error.message)
            else:
                self._check_clashes(first, second, meetings)
        return cleaned

    def _check_clashes(self, first, second, meetings):
        for name, user in (("facilitator_1", first), ("facilitator_2", second)):
            clash = facilitator_clashes(
                user_ids=[user.pk] if user else [],
                intervals=meetings,
                exclude_group_id=self.instance.pk,
            ).first()
            if clash is not None:
                self.add_error(
                    name,
                    _("%(person)s already leads %(group)s at %(when)s.")
                    % {
                        "person": user.get_full_name() or user.get_username(),
                        "group": clash.group,
                        "when": date_format(localtime(clash.starts_at), "SHORT_DATETIME_FORMAT"),
                    },
                )


class SchedulePreviewForm(forms.Form):
    """The schedule fields of the group form, read to show the dates before saving."""

    schedule = RecurrenceField(required=False)
    schedule_from = forms.DateField(required=False)
    start_time = forms.TimeField(required=False)
    duration_minutes = forms.IntegerField(required=False, min_value=1, max_value=24 * 60)
    course = forms.IntegerField(required=False)
