"""The network's admin screens that Wagtail has no attribute for: coverage, import, export,
and certifying a training group's participants."""

import csv

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

from network.exceptions import SpreadsheetError, TrainingCertifyError
from network.forms import TrainingCertifyForm
from network.models import Training
from network.resources import ExpertResource
from network.selectors import expert_coverage, experts_for_admin
from network.services.certification import (
    training_participants_certify,
    training_participants_preview,
)

SESSION_KEY = "expert_import_dataset"
REQUIRED_COLUMNS = {"name", "email", "county"}
BAR_HEIGHT = 22
CHART_WIDTH = 420


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV or XLSX)"),
        help_text=gettext_lazy(
            "First row: name, title, organisation, county, city, email, phone, languages, "
            "assip, adoassip, home, status, public_listing_consent. Rows match on e-mail."
        ),
    )


def dataset_from_upload(upload) -> tuple[tablib.Dataset, str]:
    """Read a CSV or XLSX upload; a CSV not in UTF-8 is read as Windows-1252 and said so."""
    name = (upload.name or "").lower()
    data = upload.read()
    notice = ""
    if name.endswith(".xlsx"):
        try:
            dataset = XLSX().create_dataset(data)
        except Exception as error:
            raise SpreadsheetError(
                _("The file could not be read as an XLSX spreadsheet.")
            ) from error
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Excel on Finnish Windows saves "CSV" in Windows-1252: ä, ö and å are readable,
            # but the coordinator should check the names in the preview.
            text = data.decode("cp1252", errors="replace")
            notice = _(
                "The file was not in UTF-8; it was read as Windows-1252 (Western European). "
                "Check that names with ä, ö and å look right below, or save the file as "
                "'CSV UTF-8' and upload it again."
            )
        # No person types a NUL, and PostgreSQL cannot store one; blank lines before the
        # header are skipped.
        lines = list(text.replace("\x00", "").splitlines())
        while lines and not lines[0].strip():
            lines.pop(0)
        first_line = lines[0] if lines else ""
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        dataset = tablib.Dataset()
        rows = list(csv.reader(lines, delimiter=delimiter))
        if not rows or not rows[0]:
            raise SpreadsheetError(_("The file is empty."))
        dataset.headers = rows[0]
        width = len(rows[0])
        for row in rows[1:]:
            if any(cell.strip() for cell in row):
                dataset.append((row + [""] * width)[:width])
    else:
        raise SpreadsheetError(_("Upload a .csv or .xlsx file."))
    dataset.headers = [str(header or "").strip().lower() for header in dataset.headers or []]
    missing = REQUIRED_COLUMNS - set(dataset.headers)
    if missing:
        raise SpreadsheetError(
            _("These columns are missing from the first row: %(columns)s")
            % {"columns": ", ".join(sorted(missing))}
        )
    return dataset, notice


def import_preview(result) -> dict:
    """Counts and per-row errors of a dry run, with spreadsheet line numbers (header = 1)."""
    counts = {key: result.totals.get(key, 0) for key in ("new", "update", "skip")}
    problems = []
    for invalid in result.invalid_rows:
        reasons = [
            f"{field}: {' '.join(messages_)}"
            for field, messages_ in invalid.field_specific_errors.items()
        ] + list(invalid.non_field_specific_errors)
        problems.append({"line": invalid.number + 1, "reasons": reasons})
    for number, errors in result.row_errors():
        problems.append({"line": number + 1, "reasons": [str(error.error) for error in errors]})
    problems.sort(key=lambda problem: problem["line"])
    # Errors of the whole file (e.g. a failed bulk write) come first, without a line number.
    problems[:0] = [{"line": "", "reasons": [str(error.error)]} for error in result.base_errors]
    counts["invalid"] = len(problems)
    return {"counts": counts, "problems": problems}


@permission_required("network.add_expert", raise_exception=True)
def expert_import(request):
    preview = None
    notice = ""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            dataset, notice = dataset_from_upload(form.cleaned_data["file"])
        except SpreadsheetError as error:
            form.add_error("file", str(error))
        else:
            result = ExpertResource(user=request.user).import_data(
                dataset, dry_run=True, raise_errors=False, collect_failed_rows=True
            )
            preview = import_preview(result)
            if preview["counts"]["invalid"]:
                request.session.pop(SESSION_KEY, None)
            else:
                request.session[SESSION_KEY] = dataset.export("json")
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
    payload = request.session.pop(SESSION_KEY, None)
    if not payload:
        messages.error(request, _("Upload the spreadsheet again: there was nothing to confirm."))
        return redirect("expert_network:import")
    dataset = tablib.Dataset().load(payload, format="json")
    result = ExpertResource(user=request.user).import_data(
        dataset, dry_run=False, raise_errors=False, use_transactions=True
    )
    preview = import_preview(result)
    if preview["counts"]["invalid"]:
        messages.error(request, _("Nothing was imported: the data changed since the preview."))
        return redirect("expert_network:import")
    messages.success(
        request,
        _("Imported: %(new)d new, %(update)d updated, %(skip)d unchanged.") % preview["counts"],
    )
    return redirect(reverse("wagtailsnippets_network_expert:list"))


@permission_required("network.view_expert", raise_exception=True)
def expert_export(request):
    from network.viewsets import ExpertFilterSet

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
