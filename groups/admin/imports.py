"""Importing groups from a spreadsheet in the admin: upload, dry run listing every bad row,
confirm. Nothing is saved before confirming."""

import re
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from cms.imports import Sheet, SpreadsheetError, sheet_import, sheet_read, template_response
from groups.exceptions import GroupsError
from groups.resources import REQUIRED_COLUMNS as GROUP_REQUIRED_COLUMNS
from groups.resources import GroupResource


class GroupImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "Columns: course (its title in any language), name, centre, mode, language, "
            "capacity, min_size, go_no_go_date, facilitator_1, facilitator_2 (username or full "
            "name), schedule, schedule_from, start_time, duration_minutes, status. Download "
            "the template for the allowed values."
        ),
    )

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


IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 5000
_STORED_NAME = re.compile(r"^vt-group-import-[0-9a-f]{32}\.(csv|xlsx)$")


def _sheet(content: bytes, extension: str) -> Sheet:
    return sheet_read(
        content,
        filename=f"groups.{extension}",
        required_columns=GROUP_REQUIRED_COLUMNS,
        max_rows=IMPORT_MAX_ROWS,
    )


def _stored_upload(name: str):
    """Where an upload waits between dry run and confirm: django-import-export's temporary
    storage named by IMPORT_EXPORT_TMP_STORAGE_CLASS (shared by every web host)."""
    return import_string(settings.IMPORT_EXPORT_TMP_STORAGE_CLASS)(name=name, read_mode="rb")


def _stored_read(name: str) -> bytes | None:
    try:
        return _stored_upload(name).read()
    except FileNotFoundError:
        return None


@permission_required("groups.add_group")
def group_import_view(request):
    """Upload -> dry run showing every bad row -> confirm. Nothing is saved before confirming.
    `?template=xlsx` downloads the file to fill in, with the allowed values."""
    if request.method == "GET" and request.GET.get("template"):
        return template_response(
            GroupResource(), filename="groups-template.xlsx", required=GROUP_REQUIRED_COLUMNS
        )
    context = {
        "page_title": _("Import groups"),
        "header_title": _("Import groups"),
        "header_icon": "upload",
    }
    form = GroupImportForm()
    if request.method == "POST" and "confirm" in request.POST:
        name = request.POST.get("stored", "")
        content = _stored_read(name) if _STORED_NAME.match(name) else None
        if content is None:
            messages.error(request, _("The uploaded file has expired; upload it again."))
            return redirect("groups_group_import")
        try:
            report = sheet_import(
                GroupResource(),
                _sheet(content, name.rsplit(".", 1)[-1]),
                dry_run=False,
                user=request.user,
                domain_errors=(GroupsError,),
            )
        except SpreadsheetError:
            report = None
        finally:
            _stored_upload(name).remove()  # one confirm per upload, whatever the outcome
        if report is None or not report.valid:
            messages.error(request, _("The file could not be imported; nothing was saved."))
            return redirect("groups_group_import")
        messages.success(
            request,
            _("%(count)d groups imported.")
            % {"count": report.counts["new"] + report.counts["update"]},
        )
        return redirect("groups_group:index")
    if request.method == "POST":
        form = GroupImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            extension = upload.name.rsplit(".", 1)[-1].lower()
            content = upload.read()
            try:
                sheet = _sheet(content, extension)
            except SpreadsheetError as error:
                form.add_error("file", error.message)
            else:
                report = sheet_import(
                    GroupResource(),
                    sheet,
                    dry_run=True,
                    user=request.user,
                    domain_errors=(GroupsError,),
                )
                context.update(
                    {"problems": report.problems, "rows": report.rows, "notice": sheet.notice}
                )
                if report.valid and report.rows:
                    name = f"vt-group-import-{uuid.uuid4().hex}.{extension}"
                    _stored_upload(name).save(content)
                    context["stored"] = name
    context["form"] = form
    return TemplateResponse(request, "groups/admin/group_import.html", context)
