"""Forms of the Wagtail admin screens for groups (the group form, schedule preview, extend,
merge): they check input; the views call the services."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.templatetags.static import static
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from recurrence.forms import RecurrenceField, RecurrenceWidget
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

from courses.models import CourseFormat
from groups.exceptions import ScheduleError
from groups.forms import channel_field, channel_field_clean, phone_field_clean
from groups.models import Group, video_link_validator
from groups.scope import centre_scope, groups_for_user
from groups.selectors.facilitators import facilitators
from groups.selectors.merge import group_when, groups_merge_targets
from groups.services.schedule import facilitator_clash_errors, schedule_preview


class ScheduleWidget(RecurrenceWidget):
    """django-recurrence's widget on Wagtail's jQuery: without Django admin's jQuery, which
    replaced Wagtail's and broke its date pickers (static/groups/js/recurrence-jquery.js)."""

    ADMIN_JQUERY = ("admin/js/vendor/jquery/", "admin/js/jquery.init.js")

    @property
    def media(self):
        media = super().get_media()
        scripts = [
            script
            for script in media._js
            if not any(str(script).startswith(prefix) for prefix in self.ADMIN_JQUERY)
        ]
        return forms.Media(js=[static("groups/js/recurrence-jquery.js"), *scripts], css=media._css)


def person_label(user) -> str:
    """A person by full name, as the clash messages name them (the username if no name)."""
    return user.get_full_name() or user.get_username()


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
                self.fields[name].label_from_instance = person_label

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

    def _post_clean(self):
        """The model's own check runs after the form's: a facilitator refused for a clash is
        missing from the instance there, and it would also say "needs two facilitators" on the
        status, although two were chosen. The clash, on its own field, is the one to read."""
        super()._post_clean()
        if "status" not in self._errors or not {"facilitator_1", "facilitator_2"} & set(
            self._errors
        ):
            return
        kept = [
            error
            for error in self._errors["status"].as_data()
            if error.code != "facilitators_missing"
        ]
        if kept:
            self._errors["status"] = self.error_class(kept)
        else:
            del self._errors["status"]

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
    group = forms.IntegerField(required=False)  # an existing group: count who would be told


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
        details = [
            group_when(obj),
            str(obj.centre or obj.venue or ""),
            obj.get_language_display(),
        ]
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


class PhoneEnrolmentForm(forms.Form):
    """An enrolment a coordinator takes by phone: the person's answers, and the coordinator's
    word that the privacy notice was read to them and they agreed."""

    group = forms.ModelChoiceField(queryset=Group.objects.none(), label=_("Group"))
    display_name = forms.CharField(
        max_length=80,
        label=_("Name or pseudonym"),
        help_text=_("As the person wants to be called in the group."),
    )
    phone = forms.CharField(max_length=30, required=False, label=_("Phone"))
    email = forms.EmailField(required=False, label=_("E-mail"))
    message_channel = channel_field()
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language of messages"))
    interpreter_language = forms.CharField(
        max_length=60, required=False, label=_("Interpreter needed, language")
    )
    accessibility_needs = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Accessibility needs")
    )
    consent_oral = forms.BooleanField(
        label=_(
            "I read the privacy notice to the person on the phone and they agreed to it "
            "(recorded as consent given orally to me)."
        )
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the groups of the coordinator's centres that take enrolments.
        self.fields["group"].queryset = groups_for_user(
            user=user,
            queryset=Group.objects.filter(
                status__in=[Group.Status.OPEN, Group.Status.FULL]
            ).select_related("course"),
        ).order_by("starts_on", "pk")
        # No default: with both contacts the coordinator asks, rather than e-mail by default.
        channel = self.fields["message_channel"]
        channel.required = False
        channel.label = _("How the person wants our messages")
        channel.help_text = _(
            "Ask when the person gives both an e-mail address and a phone number. With one "
            "contact, messages go there. Text messages say only the crisis centre's name and a "
            "link, never what the group is about."
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email"):
            raise forms.ValidationError(_("Give an e-mail address or a phone number."))
        if cleaned.get("phone"):
            phone_field_clean(self)
        channel_field_clean(self)
        return cleaned


class MeetingCancelForm(forms.Form):
    """Why one meeting is cancelled; the reason goes to everyone holding a place."""

    reason = forms.CharField(
        max_length=300,
        label=_("Reason"),
        help_text=_("Told to the participants in the e-mail."),
    )


class MeetingVideoLinkForm(forms.Form):
    """A meeting's own video link; empty: the group's link."""

    video_link = forms.URLField(
        required=False,
        assume_scheme="https",
        validators=[video_link_validator],
        label=_("Video meeting link"),
        help_text=_("Only for this meeting; empty: the group's link."),
    )


class MeetingTimeForm(MeetingCancelForm):
    """A new date and Helsinki wall-clock time for a meeting (moving one, or adding one).

    Plain date and time inputs: the browser's own pickers need no script."""

    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Start time (Helsinki time)"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=24 * 60
    )
    field_order = ["day", "start_time", "duration_minutes", "reason"]


class MeetingAddForm(MeetingTimeForm):
    title = forms.CharField(
        max_length=200,
        required=False,
        label=_("Title"),
        help_text=_("Optional, e.g. a programme session."),
    )
    field_order = ["day", "start_time", "duration_minutes", "title", "reason"]
