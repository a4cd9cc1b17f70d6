"""Importing groups from a spreadsheet in the admin: upload, dry run listing every bad row,
confirm. Nothing is saved before confirming."""

import re
import uuid

import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from groups.resources import GroupResource


class GroupImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "Columns: course (slug), name, centre, mode, language, capacity, min_size, "
            "facilitator_1, facilitator_2 (usernames), schedule, schedule_from, "
            "start_time, duration_minutes, status."
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


def _dataset(content: bytes, extension: str) -> tablib.Dataset:
    if extension == "csv":
        # No person types a NUL, and PostgreSQL cannot store one.
        text = content.decode("utf-8-sig").replace("\x00", "")
        return tablib.Dataset().load(text, format="csv")
    return tablib.Dataset().load(content, format="xlsx")


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
    """Upload -> dry run showing every bad row -> confirm. Nothing is saved before confirming."""
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
            result = GroupResource().import_data(
                _dataset(content, name.rsplit(".", 1)[-1]),
                dry_run=False,
                rollback_on_validation_errors=True,
                user=request.user,
            )
        finally:
            _stored_upload(name).remove()  # one confirm per upload, whatever the outcome
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, _("The file could not be imported; nothing was saved."))
            return redirect("groups_group_import")
        messages.success(
            request,
            _("%(count)d groups imported.")
            % {"count": result.totals.get("new", 0) + result.totals.get("update", 0)},
        )
        return redirect("groups_group:index")
    if request.method == "POST":
        form = GroupImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            extension = upload.name.rsplit(".", 1)[-1].lower()
            content = upload.read()
            try:
                dataset = _dataset(content, extension)
            except Exception:
                form.add_error("file", _("The file could not be read."))
            else:
                if len(dataset) > IMPORT_MAX_ROWS:
                    form.add_error(
                        "file",
                        _(
                            "The file has too many rows (over %(rows)d). Split it into smaller "
                            "files."
                        )
                        % {"rows": IMPORT_MAX_ROWS},
                    )
                else:
                    context.update(_dry_run(dataset, request.user))
                    if context["valid"]:
                        name = f"vt-group-import-{uuid.uuid4().hex}.{extension}"
                        _stored_upload(name).save(content)
                        context["stored"] = name
    context["form"] = form
    return TemplateResponse(request, "groups/admin/group_import.html", context)


def _dry_run(dataset, user) -> dict:
    result = GroupResource().import_data(
        dataset, dry_run=True, rollback_on_validation_errors=True, user=user
    )
    problems = []
    for row in result.invalid_rows:
        for field, messages_ in row.field_specific_errors.items():
            problems.append({"row": row.number, "field": field, "reason": " ".join(messages_)})
        for message in row.non_field_specific_errors:
            problems.append({"row": row.number, "field": "", "reason": message})
    for number, row in result.row_errors():
        for error in row:
            problems.append({"row": number, "field": "", "reason": str(error.error)})
    rows = [
        {"number": number, "action": row.import_type, "text": row.object_repr}
        for number, row in enumerate(result.rows, start=1)
        if row.import_type in ("new", "update")
    ]
    return {"problems": problems, "rows": rows, "valid": not problems and bool(rows)}
