from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import Attendance, FeedbackAnswer


class RegisterForm(forms.Form):
    """One radio group per person on the register; a person left unmarked keeps what they had."""

    def __init__(self, *args, register, **kwargs):
        super().__init__(*args, **kwargs)
        self.register = list(register)
        for enrolment in self.register:
            self.fields[self.field_name(enrolment.pk)] = forms.ChoiceField(
                label=enrolment.display_name,
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=enrolment.attendance_status,
            )

    @staticmethod
    def field_name(enrolment_id: int) -> str:
        return f"status-{enrolment_id}"

    def rows(self):
        """(person, their radio group) in register order, for the template."""
        return [(enrolment, self[self.field_name(enrolment.pk)]) for enrolment in self.register]

    def statuses(self) -> dict[int, str]:
        return {
            enrolment.pk: self.cleaned_data[self.field_name(enrolment.pk)]
            for enrolment in self.register
            if self.cleaned_data.get(self.field_name(enrolment.pk))
        }

    def clean(self):
        cleaned = super().clean()
        if self.register and not any(cleaned.get(name) for name in self.fields):
            raise forms.ValidationError(_("Mark at least one person."), code="empty")
        return cleaned


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = FeedbackAnswer
        fields = ["helped", "recommend", "comment"]
        widgets = {
            "helped": forms.RadioSelect(choices=[(n, str(n)) for n in range(1, 6)]),
            "recommend": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "comment": _("Please do not write names or other details that identify anyone."),
        }
