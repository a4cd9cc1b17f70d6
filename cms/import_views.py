"""The admin screens of the spreadsheet import pipeline, the same for every kind of import:
upload (with the template to fill in), the import's page (progress, preview, problems,
confirm), its progress as JSON for the page's script, and the list of recent imports.

An import is seen only by the person who uploaded it (and those with the model's view
permission: administrators), and only while they may still import that kind: someone else's
import looks like no import at all (404)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cms.imports import ImportKind, SpreadsheetError, import_kind, import_kinds, template_response
from cms.models import SheetImport
from cms.services.sheet_imports import (
    SheetImportError,
    progress_rows,
    sheet_import_confirm,
    sheet_import_create,
)

IMPORT_MAX_BYTES = 2 * 1024 * 1024
RECENT = 20


class SheetUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV or Excel file"))

    def __init__(self, *args, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if help_text:
            self.fields["file"].help_text = help_text

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (over %(size)s MB). Split it into smaller files.")
                % {"size": IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        extension = upload.name.rsplit(".", 1)[-1].lower()
        if extension not in ("csv", "xlsx"):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


def _may_import(user, kind: ImportKind | None) -> bool:
    return kind is not None and (user.is_superuser or user.has_perm(kind.permission))


def _sees_every_import(user) -> bool:
    return user.has_perm("cms.view_sheetimport")


def recent_imports(user, *, kinds: list[str] | None = None):
    """The user's recent imports of the kinds they may import (everyone's for an
    administrator), newest first."""
    allowed = [kind.name for kind in import_kinds() if _may_import(user, kind)]
    if kinds is not None:
        allowed = [name for name in allowed if name in kinds]
    queryset = SheetImport.objects.filter(kind__in=allowed).select_related("user").defer("content")
    if not _sees_every_import(user):
        queryset = queryset.filter(user=user)
    titles = {kind.name: kind.title for kind in import_kinds()}
    imports = list(queryset[:RECENT])
    for item in imports:
        item.kind_title = titles.get(item.kind, item.kind)
    return imports


def sheet_import_upload(request, *, kind_name: str, title: str, help_text: str = ""):
    """The upload page of one kind of import. `?template=xlsx` downloads the file to fill in."""
    kind = import_kind(kind_name)
    if not _may_import(request.user, kind):
        raise PermissionDenied
    resource = kind.resource(request.user)
    if request.method == "GET" and request.GET.get("template"):
        return template_response(
            resource, filename=kind.template_filename, required=kind.required_columns
        )
    form = SheetUploadForm(request.POST or None, request.FILES or None, help_text=help_text)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            row = sheet_import_create(
                kind=kind,
                filename=upload.name,
                content=upload.read(),
                user=request.user,
                language=translation.get_language() or "fi",
            )
        except SpreadsheetError as error:
            form.add_error("file", error.message)
        else:
            return redirect("cms_sheet_import", pk=row.pk)
    return TemplateResponse(
        request,
        "cms/admin/sheet_import_upload.html",
        {
            "form": form,
            "kind": kind,
            "imports": recent_imports(request.user, kinds=[kind.name]),
            "page_title": title,
            "header_title": title,
            "header_icon": "upload",
        },
    )


def _own_import(request, pk: int) -> tuple[SheetImport, ImportKind]:
    queryset = SheetImport.objects.select_related("user")
    if not _sees_every_import(request.user):
        queryset = queryset.filter(user=request.user)
    row = get_object_or_404(queryset, pk=pk)
    kind = import_kind(row.kind)
    if not _may_import(request.user, kind):
        raise Http404
    return row, kind


def _progress(row: SheetImport) -> dict:
    done = row.rows_done
    if not row.finished and row.status != SheetImport.Status.CHECKED:
        done = progress_rows(row.pk) or 0
    percent = 100 * done // row.rows_total if row.rows_total else 0
    if row.finished or row.status == SheetImport.Status.CHECKED:
        percent = 100
    return {
        "status": row.status,
        "status_label": str(row.get_status_display()),
        "rows_done": done,
        "rows_total": row.rows_total,
        "percent": min(percent, 100),
        "waiting": row.status in (SheetImport.Status.CHECKING, SheetImport.Status.IMPORTING),
    }


def sheet_import_detail(request, pk: int):
    row, kind = _own_import(request, pk)
    progress = _progress(row)
    report = row.report or {}
    title = _("Import: %(file)s") % {"file": row.filename}
    return TemplateResponse(
        request,
        "cms/admin/sheet_import_detail.html",
        {
            "sheet_import": row,
            "kind": kind,
            "progress": progress,
            "report": report,
            "problems": report.get("problems", []),
            "notice": report.get("notice", ""),
            "progress_url": reverse("cms_sheet_import_progress", args=[row.pk]),
            "upload_url": reverse(kind.upload_url) if kind.upload_url else "",
            "done_url": reverse(kind.done_url) if kind.done_url else "",
            "page_title": title,
            "header_title": title,
            "header_icon": "upload",
        },
    )


def sheet_import_progress(request, pk: int):
    row, _kind = _own_import(request, pk)
    response = JsonResponse(_progress(row))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def sheet_import_confirm_view(request, pk: int):
    row, kind = _own_import(request, pk)
    try:
        row = sheet_import_confirm(import_id=row.pk, user=request.user)
    except SheetImportError as error:
        messages.error(request, error.message)
        return redirect("cms_sheet_import", pk=row.pk)
    if row.status == SheetImport.Status.DONE:
        counts = row.report.get("counts", {})
        messages.success(
            request,
            _("Imported: %(new)d new, %(update)d updated.")
            % {"new": counts.get("new", 0), "update": counts.get("update", 0)},
        )
        return redirect(kind.done_url) if kind.done_url else redirect("cms_sheet_import", pk=pk)
    if row.status == SheetImport.Status.FAILED:
        messages.error(request, _("The file could not be imported; nothing was saved."))
    return redirect("cms_sheet_import", pk=row.pk)


def sheet_import_index(request):
    if not any(_may_import(request.user, kind) for kind in import_kinds()):
        raise PermissionDenied
    title = _("Recent imports")
    return TemplateResponse(
        request,
        "cms/admin/sheet_import_index.html",
        {
            "imports": recent_imports(request.user),
            "page_title": title,
            "header_title": title,
            "header_icon": "upload",
        },
    )
