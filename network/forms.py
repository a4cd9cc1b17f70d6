from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.log_actions import log

from groups.scope import form_choosers_scope
from network.models import County, Expert, ExpertLanguage, Variant


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


class ExpertAdminForm(WagtailAdminModelForm):
    """The expert edit form keeps the consent date true to the consent box.

    Ticking the public-listing box records when consent was given; unticking it clears the date
    and the e-mail consent too, as `expert_consent_withdraw` does. Both are in the audit log."""

    def clean(self):
        cleaned_data = super().clean()
        listed = cleaned_data.get("public_listing_consent")
        if listed is None:
            return cleaned_data
        if listed and cleaned_data.get("status") == Expert.Status.LEFT:
            self.add_error("public_listing_consent", _("An expert who left cannot be listed."))
            return cleaned_data
        was_listed = bool(self.instance.pk) and self.initial.get("public_listing_consent", False)
        if listed and not (was_listed and self.instance.public_listing_consented_at):
            self.instance.public_listing_consented_at = timezone.now()
        elif not listed:
            self.instance.public_listing_consented_at = None
            cleaned_data["public_email_consent"] = False
        self.consent_change = (
            "network.expert.consent_given"
            if listed and not was_listed
            else "network.expert.consent_withdrawn"
            if was_listed and not listed
            else ""
        )
        return cleaned_data

    def save(self, commit=True):
        expert = super().save(commit=commit)
        if commit and getattr(self, "consent_change", ""):
            log(expert, self.consent_change, user=self.for_user)
        return expert


class TrainingAdminForm(WagtailAdminModelForm):
    """The training group is chosen among the groups of the user's centres (`groups.scope`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        form_choosers_scope(self, user=self.for_user)


class TrainingCertifyForm(forms.Form):
    county = forms.ChoiceField(
        choices=[("", "---------"), *County.choices],
        label=_("Wellbeing services county of new experts"),
        help_text=_("Enrolments do not tell the county; correct it afterwards where needed."),
    )
    variant = forms.ChoiceField(
        choices=Variant.choices,
        initial=Variant.ASSIP,
        label=_("Form of therapy of new experts"),
    )
