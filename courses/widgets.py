"""Admin widgets of the course pages."""

import json

from django import forms
from django.conf import settings


class LanguageCheckboxes(forms.CheckboxSelectMultiple):
    """The course's languages (a JSON list of codes) as one checkbox per site language, instead
    of a JSON text area. Posts the ticked codes back as the JSON list the field stores."""

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, choices=settings.LANGUAGES)

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = []
        return super().format_value(value or [])

    def value_from_datadict(self, data, files, name):
        return json.dumps(super().value_from_datadict(data, files, name) or [])

    def value_omitted_from_data(self, data, files, name):
        # Unticking every box posts nothing: that is an answer (no languages), not an omission.
        return False
