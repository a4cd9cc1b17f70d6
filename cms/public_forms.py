"""The site's own public forms, and what every public form shares (groups' forms use it)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.models import AccessibilityFeedback


class DescribedFieldsMixin:
    """Ties each input to its help text and its errors with aria-describedby, using the ids
    that `groups/includes/field.html` gives them (Django's own `<id>_helptext`)."""

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            ids = [f"{auto_id}_helptext"] if field.help_text else []
            if name in self.errors:
                ids.append(f"{auto_id}_error")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)


class AccessibilityFeedbackForm(DescribedFieldsMixin, forms.ModelForm):
    """The accessibility statement's feedback form (public)."""

    class Meta:
        model = AccessibilityFeedback
        fields = ["message", "page_address", "name", "email"]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 5}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "page_address": forms.TextInput(attrs={"inputmode": "url"}),
        }
        help_texts = {"name": _("A first name is enough.")}
