from django import forms
from django.utils.translation import gettext_lazy as _

from courses.experts.models import County, ExpertLanguage, Variant


class DirectoryFilterForm(forms.Form):
    """The public directory's filters: plain GET, no script needed."""

    county = forms.ChoiceField(
        required=False,
        choices=[("", _("All counties")), *County.choices],
        label=_("Wellbeing services county"),
    )
    language = forms.ChoiceField(
        required=False,
        choices=[("", _("All languages")), *ExpertLanguage.choices],
        label=_("Language"),
    )
    variant = forms.ChoiceField(
        required=False,
        choices=[("", _("All forms")), *Variant.choices],
        label=_("Form of therapy"),
    )
