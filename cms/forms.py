"""Admin forms that Wagtail lets a project replace through settings."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm


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
