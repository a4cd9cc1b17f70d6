"""Admin forms that Wagtail lets a project replace through settings, and the site's own public
forms (the accessibility feedback)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from cms.models import AccessibilityFeedback


class DocumentForm(BaseDocumentForm):
    """Wagtail checks a document's extension (WAGTAILDOCS_EXTENSIONS) but not its size."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            limit = settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
            if upload.size > limit:
                raise forms.ValidationError(
                    _("The file is too large (%(size)s). The largest allowed is %(limit)s.")
                    % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
                )
        return upload


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
        help_texts = {"name": _("Optional. A first name is enough.")}
