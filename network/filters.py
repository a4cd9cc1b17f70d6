"""The expert listing's filters, shared by the admin listing (viewsets) and its export (views)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from network.models import County, Expert, ExpertLanguage, KeepingUp, Training, Variant
from network.selectors import experts_filter


class ExpertFilterSet(WagtailFilterSet):
    county = django_filters.ChoiceFilter(
        choices=County.choices, label=_("Wellbeing services county")
    )
    language = django_filters.ChoiceFilter(
        choices=ExpertLanguage.choices, label=_("Language"), method="filter_shared"
    )
    variant = django_filters.ChoiceFilter(
        choices=Variant.choices, label=_("Form of therapy"), method="filter_shared"
    )
    status = django_filters.ChoiceFilter(choices=Expert.Status.choices, label=_("Status"))
    training = django_filters.ModelChoiceFilter(
        queryset=Training.objects.all(),
        field_name="certifications__training",
        distinct=True,
        label=_("Training cohort"),
    )
    keeping_up = django_filters.ChoiceFilter(
        choices=KeepingUp.choices, label=_("Keeping up"), field_name="keeping_up"
    )

    class Meta:
        model = Expert
        fields = []

    def filter_shared(self, queryset, name, value):
        return experts_filter(queryset, **{name: value})
