"""The network's admin screens that Wagtail has no attribute for: coverage, import, export,
and certifying a training group's participants."""

import tablib
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from import_export.formats.base_formats import XLSX

from cms.imports import Sheet, SpreadsheetError, sheet_import, sheet_read, template_response
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

SESSION_KEY = "expert_import_dataset"
REQUIRED_COLUMNS = ("name", "email", "county")
BAR_HEIGHT = 22
CHART_WIDTH = 420


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV or XLSX)"),
        help_text=gettext_lazy(
            "First row: name, title, organisation, county, city, email, phone, languages, "
            "assip, adoassip, home, status, public_listing_consent. Rows match on e-mail. "
            "Download the template for the allowed values."
        ),
    )


@permission_required("network.add_expert", raise_exception=True)
def expert_import(request):
    """Upload -> preview of every row (nothing saved) -> confirm. `?template=xlsx` downloads
    the file to fill in, with the allowed values."""
    if request.method == "GET" and request.GET.get("template"):
        return template_response(
            ExpertResource(), filename="experts-template.xlsx", required=REQUIRED_COLUMNS
        )
    preview = None
    notice = ""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            sheet = sheet_read(
                upload.read(), filename=upload.name, required_columns=REQUIRED_COLUMNS
            )
        except SpreadsheetError as error:
            form.add_error("file", error.message)
        else:
            notice = sheet.notice
            preview = sheet_import(ExpertResource(user=request.user), sheet, dry_run=True)
            if preview.valid:
                request.session[SESSION_KEY] = {
                    "dataset": sheet.dataset.export("json"),
                    "rows": sheet.row_numbers,
                }
            else:
                request.session.pop(SESSION_KEY, None)
    return render(
        request,
        "network/admin/import.html",
        {
            "form": form,
            "preview": preview,
            "notice": notice,
            "page_title": _("Import experts"),
            "header_title": _("Import experts"),
            "header_icon": "upload",
        },
    )


@require_POST
@permission_required("network.add_expert", raise_exception=True)
def expert_import_confirm(request):
    stored = request.session.pop(SESSION_KEY, None)
    if not isinstance(stored, dict) or not stored.get("dataset"):
        messages.error(request, _("Upload the spreadsheet again: there was nothing to confirm."))
        return redirect("expert_network:import")
    sheet = Sheet(
        dataset=tablib.Dataset().load(stored["dataset"], format="json"),
        row_numbers=stored["rows"],
    )
    report = sheet_import(ExpertResource(user=request.user), sheet, dry_run=False)
    if not report.valid:
        messages.error(request, _("Nothing was imported: the data changed since the preview."))
        return redirect("expert_network:import")
    messages.success(
        request,
        _("Imported: %(new)d new, %(update)d updated, %(skip)d unchanged.") % report.counts,
    )
    return redirect(reverse("wagtailsnippets_network_expert:list"))


@permission_required("network.view_expert", raise_exception=True)
def expert_export(request):
    filterset = ExpertFilterSet(request.GET or None, queryset=experts_for_admin())
    queryset = filterset.qs if filterset.is_valid() else experts_for_admin()
    query = request.GET.get("q", "").strip()
    if query:
        queryset = queryset.filter(name__icontains=query)
    dataset = ExpertResource().export(queryset=queryset)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            XLSX().export_data(dataset),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="experts.xlsx"'
        return response
    response = HttpResponse(dataset.export("csv"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="experts.csv"'
    return response


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
