"""The network's admin screens that Wagtail has no attribute for: coverage, import, export,
and certifying a training group's participants."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from cms.exports import export_format, spreadsheet_response
from cms.import_views import sheet_import_upload
from groups.models import Group
from groups.scope import scoped_object
from network.exceptions import TrainingCertifyError
from network.filters import ExpertFilterSet
from network.forms import TrainingCertifyForm
from network.models import Training
from network.resources import ExpertResource
from network.selectors import expert_coverage, experts_for_admin
from network.services.certification import (
    training_participants_certify,
    training_participants_preview,
)

BAR_HEIGHT = 22
CHART_WIDTH = 420


@permission_required("network.add_expert", raise_exception=True)
def expert_import(request):
    """The pipeline's upload page for the "experts" kind (`network.resources.EXPERT_IMPORT`);
    preview, progress and confirm are the pipeline's own pages (`cms.import_views`)."""
    return sheet_import_upload(
        request,
        kind_name="experts",
        title=_("Import experts"),
        help_text=_(
            "First row: name, title, organisation, county, city, email, phone, languages, "
            "assip, adoassip, home, status, public_listing_consent. Rows match on e-mail. "
            "Download the template for the allowed values."
        ),
    )


@permission_required("network.view_expert", raise_exception=True)
def expert_export(request):
    filterset = ExpertFilterSet(request.GET or None, queryset=experts_for_admin())
    queryset = filterset.qs if filterset.is_valid() else experts_for_admin()
    query = request.GET.get("q", "").strip()
    if query:
        queryset = queryset.filter(name__icontains=query)
    dataset = ExpertResource().export(queryset=queryset)
    return spreadsheet_response(dataset.headers, list(dataset), export_format(request), "experts")


@permission_required("network.view_expert", raise_exception=True)
def coverage_report(request):
    coverage = expert_coverage()
    scale = CHART_WIDTH / coverage.max_total if coverage.max_total else 0
    bars = [
        {
            "label": row.label,
            "total": row.total,
            "y": index * BAR_HEIGHT,
            "text_y": index * BAR_HEIGHT + 15,
            "width": round(row.total * scale, 1),
            "value_x": 200 + round(row.total * scale, 1) + 6,
        }
        for index, row in enumerate(coverage.rows)
    ]
    return render(
        request,
        "network/admin/coverage.html",
        {
            "coverage": coverage,
            "bars": bars,
            "chart_height": len(bars) * BAR_HEIGHT,
            "chart_width": 200 + CHART_WIDTH + 40,
            "page_title": _("Coverage report"),
            "header_title": _("Coverage report"),
            "header_icon": "table",
        },
    )


@permission_required("network.change_expert")
def training_certify_view(request, pk: int):
    """GET lists who would be certified and how; POST certifies them (safe to repeat)."""
    training = get_object_or_404(Training.objects.select_related("group"), pk=pk)
    if training.group_id:
        # The preview names the group's participants: only within the user's centres.
        scoped_object(Group.objects.all(), user=request.user, pk=training.group_id)
    form = TrainingCertifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            counts = training_participants_certify(
                training_id=training.pk,
                county=form.cleaned_data["county"],
                variant=form.cleaned_data["variant"],
                user=request.user,
            )
        except TrainingCertifyError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Certified: %(created)d new experts, %(updated)d existing experts. "
                    "%(unchanged)d were already certified, %(skipped)d skipped without an "
                    "e-mail address."
                )
                % {
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                    "skipped": counts.skipped_without_email,
                },
            )
            return redirect("wagtailsnippets_network_certification:list")
    rows = training_participants_preview(training=training)
    title = _("Certify the group's participants")
    return TemplateResponse(
        request,
        "network/admin/training_certify.html",
        {
            "form": form,
            "training": training,
            "rows": rows,
            "can_certify": any(row["outcome"] != "no_email" for row in rows),
            "page_title": title,
            "header_title": _("%(title)s: %(training)s") % {"title": title, "training": training},
            "header_icon": "tick-inverse",
        },
    )
