"""A spreadsheet import as a row: upload -> check (a dry run) -> confirm -> import.

A small file is checked and imported right away; a large one by a background task, whose
progress the page polls. The real import runs in one transaction that also marks the row done,
under the row's lock: a task delivered twice, or a confirm clicked twice, imports once, and a
worker killed half-way leaves nothing written and the row still waiting to be imported.

Progress during a run lives in the cache: the run is one transaction (the dry run is rolled
back), so a count written to the row would be seen by nobody until the end. The row gets the
count at each phase's end.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django_q.tasks import async_task

from cms.imports import ImportKind, Report, SpreadsheetError, import_kind, sheet_import, sheet_read
from cms.models import SheetImport

logger = logging.getLogger(__name__)

PROGRESS_SECONDS = 6 * 60 * 60
# An import's report names the rows (groups, experts): it is kept as long as a coordinator
# may come back to it, then removed when the next file is uploaded.
KEEP_DAYS = 30
# Rows of the preview kept on the row and shown: a file of thousands of rows is read from its
# counts and its problems, not from a list of every row.
PREVIEW_ROWS = 500


class SheetImportError(Exception):
    """The import cannot go on (wrong state, file gone); `message` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def progress_key(import_id: int) -> str:
    return f"sheet-import-progress-{import_id}"


def progress_rows(import_id: int) -> int | None:
    return cache.get(progress_key(import_id))


def _kind(sheet_import_row: SheetImport) -> ImportKind:
    kind = import_kind(sheet_import_row.kind)
    if kind is None:
        raise SheetImportError(f"unknown import kind {sheet_import_row.kind!r}")
    return kind


def _sheet(row: SheetImport, kind: ImportKind):
    return sheet_read(
        bytes(row.content),
        filename=row.filename,
        required_columns=kind.required_columns,
        max_rows=kind.max_rows,
    )


def _report_json(report: Report, *, notice: str = "") -> dict:
    return {
        "counts": report.counts,
        "rows": report.rows[:PREVIEW_ROWS],
        "rows_hidden": max(0, len(report.rows) - PREVIEW_ROWS),
        "problems": report.problems,
        "notice": str(notice),
    }


def _run_later(func: str, import_id: int) -> None:
    def enqueue() -> None:
        async_task(func, import_id, timeout=settings.SHEET_IMPORT_TASK_TIMEOUT)

    transaction.on_commit(enqueue, robust=True)


def _background(row: SheetImport) -> bool:
    return row.rows_total > settings.SHEET_IMPORT_SYNC_ROWS


def sheet_import_create(
    *, kind: ImportKind, filename: str, content: bytes, user, language: str
) -> SheetImport:
    """Store an upload and check it: now for a small file, in the background for a large one.
    Raises `SpreadsheetError` (nothing stored) when the file cannot be read at all."""
    sheet = sheet_read(
        content,
        filename=filename,
        required_columns=kind.required_columns,
        max_rows=kind.max_rows,
    )
    SheetImport.objects.filter(
        created_at__lt=timezone.now() - dt.timedelta(days=KEEP_DAYS)
    ).delete()
    row = SheetImport.objects.create(
        kind=kind.name,
        filename=filename[:200],
        content=content,
        user=user,
        language=language,
        rows_total=len(sheet.dataset),
    )
    if _background(row):
        _run_later("cms.tasks.sheet_import_check", row.pk)
        return row
    return sheet_import_check(import_id=row.pk)


def _progress(import_id: int):
    def report(rows_done: int) -> None:
        cache.set(progress_key(import_id), rows_done, PROGRESS_SECONDS)

    return report


def _sheet_pass(row: SheetImport, kind, *, dry_run: bool) -> tuple[dict, bool]:
    """The stored file through the one pipeline (`cms.imports.sheet_import`), in the language of
    whoever uploaded it: the report as stored on the row, and whether every row was valid. A
    file that cannot be read is its own report; a check that finds nothing new or changed is
    reported as a problem, so there is nothing to confirm."""
    with translation.override(row.language):
        try:
            sheet = _sheet(row, kind)
        except SpreadsheetError as error:
            return {"problems": [{"row": "", "column": "", "message": error.message}]}, False
        report = sheet_import(
            kind.resource(row.user),
            sheet,
            dry_run=dry_run,
            user=row.user,
            domain_errors=kind.domain_errors,
            progress=_progress(row.pk),
        )
        if dry_run and report.valid and not (report.counts["new"] or report.counts["update"]):
            report.problems.append(
                {
                    "row": "",
                    "column": "",
                    "message": translation.gettext(
                        "Nothing to import: the file has no new or changed rows."
                    ),
                }
            )
        return _report_json(report, notice=sheet.notice), report.valid


def sheet_import_check(*, import_id: int) -> SheetImport:
    """The dry run: every row checked as it will be saved, nothing written. Safe to run twice:
    only a row still being checked takes the result."""
    row = SheetImport.objects.select_related("user").get(pk=import_id)
    if row.status != SheetImport.Status.CHECKING:
        return row
    kind = _kind(row)
    cache.set(progress_key(row.pk), 0, PROGRESS_SECONDS)
    report_json, valid = _sheet_pass(row, kind, dry_run=True)
    status = SheetImport.Status.CHECKED if valid else SheetImport.Status.INVALID
    fields = {"status": status, "report": report_json, "rows_done": row.rows_total}
    if status == SheetImport.Status.INVALID:
        fields["content"] = b""
    SheetImport.objects.filter(pk=row.pk, status=SheetImport.Status.CHECKING).update(**fields)
    cache.delete(progress_key(row.pk))
    row.refresh_from_db()
    return row


def sheet_import_confirm(*, import_id: int, user) -> SheetImport:
    """The coordinator confirms the preview: import now (small file) or in the background."""
    with transaction.atomic():
        row = SheetImport.objects.select_for_update().get(pk=import_id)
        if row.status != SheetImport.Status.CHECKED:
            raise SheetImportError(
                translation.gettext("This import is not waiting for a confirmation.")
            )
        row.status = SheetImport.Status.IMPORTING
        row.rows_done = 0
        row.save(update_fields=["status", "rows_done", "updated_at"])
        if _background(row):
            _run_later("cms.tasks.sheet_import_run", row.pk)
            return row
    return sheet_import_run(import_id=row.pk)


def sheet_import_run(*, import_id: int) -> SheetImport:
    """The real import, in one transaction with the row's change to done (or failed)."""
    with transaction.atomic():
        row = SheetImport.objects.select_for_update().select_related("user").get(pk=import_id)
        if row.status != SheetImport.Status.IMPORTING:
            return row  # imported already: a task delivered twice
        kind = _kind(row)
        cache.set(progress_key(row.pk), 0, PROGRESS_SECONDS)
        report_json, valid = _sheet_pass(row, kind, dry_run=False)
        row.status = SheetImport.Status.DONE if valid else SheetImport.Status.FAILED
        row.report = report_json
        row.rows_done = row.rows_total
        row.content = b""  # the file is not kept once it has done its work
        row.save(update_fields=["status", "report", "rows_done", "content", "updated_at"])
    cache.delete(progress_key(row.pk))
    logger.info("sheet import %s: %s", row.pk, row.status)
    return row
