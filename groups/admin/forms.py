"""Forms of the Wagtail admin screens for groups (the group form, schedule preview, extend,
merge): they check input; the views call the services."""

from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from recurrence.forms import RecurrenceField
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

from courses.models import CourseFormat
from groups.exceptions import ScheduleError
from groups.models import Group
from groups.scope import centre_scope, groups_for_user
from groups.selectors.facilitators import facilitators
from groups.selectors.merge import groups_merge_targets
from groups.services.schedule import facilitator_clash_errors, schedule_preview


class GroupAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The facilitators offered: the user's centres' ones (and those the group already has);
        # centres and venues are narrowed by the viewset (`form_choosers_scope`).
        current = [
            getattr(self.instance, f"{name}_id", None)
            for name in ("facilitator_1", "facilitator_2")
        ]
        for name in ("facilitator_1", "facilitator_2"):
            if name in self.fields:
                self.fields[name].queryset = centre_scope(
                    facilitators(), user=self.for_user, also=Q(pk__in=[pk for pk in current if pk])
                )

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
        errors = facilitator_clash_errors(
            facilitators={"facilitator_1": first, "facilitator_2": second},
            meetings=meetings,
            exclude_group_id=self.instance.pk,
        )
        for name, message in errors.items():
            self.add_error(name, message)


class SchedulePreviewForm(forms.Form):
    """The schedule fields of the group form, read to show the dates before saving."""

    schedule = RecurrenceField(required=False)
    schedule_from = forms.DateField(required=False)
    start_time = forms.TimeField(required=False)
    duration_minutes = forms.IntegerField(required=False, min_value=1, max_value=24 * 60)
    course = forms.IntegerField(required=False)


class GroupExtendForm(forms.Form):
    go_no_go_date = forms.DateField(label=_("New go/no-go date"), widget=AdminDateInput)
    enrolment_closes = forms.DateTimeField(
        label=_("Enrolment closes"), required=False, widget=AdminDateTimeInput
    )


class MergeTargetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # Every choice is of the same course: name the group, not the course again.
        label = obj.name or (
            date_format(obj.starts_on, "SHORT_DATE_FORMAT") if obj.starts_on else str(obj)
        )
        details = [str(obj.centre or obj.venue or ""), obj.get_language_display()]
        details.append(_("%(count)d places left") % {"count": obj.places_left})
        return f"{label} ({', '.join(detail for detail in details if detail)})"


class GroupMergeForm(forms.Form):
    target = MergeTargetChoiceField(
        queryset=Group.objects.none(),
        label=_("Merge into"),
        help_text=_("Groups of the same course that have not started."),
    )
    allow_other_language = forms.BooleanField(
        required=False,
        label=_("The participants can take part in the chosen group's language"),
    )

    def __init__(self, *args, group: Group, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A coordinator tied to centres merges only into their own centres' groups.
        self.fields["target"].queryset = groups_for_user(
            user=user, queryset=groups_merge_targets(group=group)
        )
