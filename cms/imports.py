"""The one spreadsheet pipeline: every import reads, parses and reports through these functions.

A coordinator's file goes: bytes -> `sheet_read` (CSV in UTF-8 or Windows-1252, comma or
semicolon; XLSX with real date and time cells; blank rows dropped, each row keeping the number
the file shows) -> a django-import-export resource built on `SheetResource`, whose widgets parse
Finnish dates and times and choice labels in fi, sv or en -> `sheet_import`, which runs the
resource (a dry run for the preview, the real run on confirm) and returns a `Report` with
per-row problems in the user's language. `template_workbook` gives the file to start from.
"""

import csv
import datetime as dt
import io
import logging
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils import translation
from django.utils.formats import date_format, time_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from import_export import resources, widgets
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.datetime import from_excel

logger = logging.getLogger(__name__)

LANGUAGES = ("fi", "sv", "en")
DELIMITERS = (";", ",", "\t")
TRUE_WORDS = {"1", "x", "true", "yes", "kyllä", "k", "ja", "j", "y"}
FALSE_WORDS = {"0", "false", "no", "ei", "e", "nej", "n", "-"}
DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y")
_TIME = re.compile(r"^(\d{1,2})(?:[.:](\d{2}))?(?:[.:](\d{2}))?$")


class SpreadsheetError(Exception):
    """The file cannot be read at all (format, encoding, columns); `message` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Reading --------------------------------------------------------------------------------------


def text_decode(content: bytes) -> tuple[str, str]:
    """The file's text and its encoding: UTF-8 (a BOM or not) first, then Windows-1252, which
    Excel on Finnish Windows writes for "CSV"."""
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace"), "cp1252"


def delimiter_sniff(text: str) -> str:
    """The delimiter of the header line: Finnish Excel writes semicolons, others commas."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


@dataclass
class Sheet:
    """A file's rows as a tablib Dataset (headers lower-case) and each row's number as the file
    shows it (the header is row 1 when it is the first line)."""

    dataset: tablib.Dataset
    row_numbers: list[int]
    encoding: str = ""
    delimiter: str = ""

    @property
    def notice(self) -> str:
        if self.encoding != "cp1252":
            return ""
        return _(
            "The file was not in UTF-8; it was read as Windows-1252 (Western European). "
            "Check that names with ä, ö and å look right below, or save the file as "
            "'CSV UTF-8' and upload it again."
        )


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _csv_rows(content: bytes) -> tuple[list[tuple[int, list]], str, str]:
    text, encoding = text_decode(content)
    # No person types a NUL, and PostgreSQL cannot store one.
    text = text.replace("\x00", "")
    delimiter = delimiter_sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as error:
        raise SpreadsheetError(_("The file could not be read as CSV.")) from error
    # A quoted cell may span lines: a row is numbered by the line it starts on.
    numbered, previous_end = [], 0
    for end, row in rows:
        numbered.append((previous_end + 1, row))
        previous_end = end
    return numbered, encoding, delimiter


def _xlsx_rows(content: bytes) -> list[tuple[int, list]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:
        raise SpreadsheetError(_("The file could not be read as an XLSX spreadsheet.")) from error
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, list(row)) for number, row in enumerate(sheet.iter_rows(values_only=True), 1)
        ]
    finally:
        workbook.close()


def sheet_read(
    content: bytes,
    *,
    filename: str,
    required_columns=(),
    max_rows: int | None = None,
) -> Sheet:
    """Read an uploaded CSV or XLSX: the first non-blank row names the columns, blank rows are
    dropped, text cells are trimmed, typed XLSX cells (dates, times, numbers) are kept as they
    are. Raises `SpreadsheetError` with a translated message."""
    extension = (filename or "").lower().rsplit(".", 1)[-1]
    encoding = delimiter = ""
    if extension == "csv":
        rows, encoding, delimiter = _csv_rows(content)
    elif extension == "xlsx":
        rows = _xlsx_rows(content)
    else:
        raise SpreadsheetError(_("Upload a .csv or .xlsx file."))
    rows = [
        (number, [cell.strip() if isinstance(cell, str) else cell for cell in row])
        for number, row in rows
        if not all(_blank(cell) for cell in row)
    ]
    if not rows:
        raise SpreadsheetError(_("The file is empty."))
    (_header_number, header), body = rows[0], rows[1:]
    headers = [str(cell or "").strip().lower() for cell in header]
    while headers and not headers[-1]:
        headers.pop()
    named = [name for name in headers if name]
    repeated = sorted({name for name in named if named.count(name) > 1})
    if repeated:
        raise SpreadsheetError(
            _("These columns are in the first row more than once: %(columns)s")
            % {"columns": ", ".join(repeated)}
        )
    missing = [column for column in required_columns if column not in headers]
    if missing:
        raise SpreadsheetError(
            _("These columns are missing from the first row: %(columns)s")
            % {"columns": ", ".join(missing)}
        )
    if max_rows is not None and len(body) > max_rows:
        raise SpreadsheetError(
            _("The file has too many rows (over %(rows)d). Split it into smaller files.")
            % {"rows": max_rows}
        )
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    for _number, row in body:
        dataset.append((row + [None] * width)[:width])
    return Sheet(
        dataset=dataset,
        row_numbers=[number for number, _row in body],
        encoding=encoding,
        delimiter=delimiter,
    )


# Cells ----------------------------------------------------------------------------------------


def _shown(value) -> str:
    return str(value).strip()[:60]


def date_parse(value) -> dt.date | None:
    """4.3.2027, 04.03.2027, 2027-03-04, an Excel date cell (a datetime) or its serial number."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return from_excel(value).date()
        except (TypeError, ValueError, OverflowError):
            pass
    text = str(value).strip()
    for form in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    raise ValueError(_("Write a date like 4.3.2027, not “%(value)s”.") % {"value": _shown(value)})


def time_parse(value) -> dt.time | None:
    """17.30, 17:30, 17:30:00, an Excel time cell or its fraction of a day."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:
        seconds = round(value * 24 * 60 * 60)
        return dt.time(seconds // 3600, seconds // 60 % 60)
    match = _TIME.match(str(value).strip())
    if match:
        hour, minute, second = (int(part or 0) for part in match.groups())
        if hour < 24 and minute < 60 and second < 60:
            return dt.time(hour, minute, second)
    raise ValueError(_("Write a time like 17.30, not “%(value)s”.") % {"value": _shown(value)})


def integer_parse(value) -> int | None:
    if _blank(value):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
        if number == number.to_integral_value():
            return int(number)
    except (InvalidOperation, ValueError, OverflowError):
        pass
    raise ValueError(_("Write a whole number, not “%(value)s”.") % {"value": _shown(value)})


def boolean_parse(value, *, empty=False):
    """x, yes, kyllä, ja, 1 -> True; no, ei, nej, 0, - -> False; an empty cell -> `empty`."""
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if not text:
        return empty
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(_("Write x or leave empty, not “%(value)s”.") % {"value": _shown(value)})


def _key(text) -> str:
    return " ".join(str(text).split()).casefold()


def choice_names(choices) -> dict[str, str]:
    """{folded stored value or label in fi, sv or en: stored value}, from the choices' own
    translations ("Lähitapaaminen", "På plats" and "In person" all name `in_person`)."""
    names = {}
    for language in LANGUAGES:
        with translation.override(language):
            for code, label in choices:
                names.setdefault(_key(label), code)
    for code, _label in choices:
        names[_key(code)] = code
    return names


def choice_parse(value, choices, *, names: dict[str, str] | None = None) -> str | None:
    """The stored value a cell names; `names` is `choice_names(choices)` when already built."""
    if _blank(value):
        return None
    code = (names if names is not None else choice_names(choices)).get(_key(value))
    if code is None:
        raise ValueError(
            _("“%(value)s” is not one of: %(allowed)s")
            % {"value": _shown(value), "allowed": ", ".join(choice_labels(choices))}
        )
    return code


def choice_labels(choices) -> list[str]:
    """The labels of `choices` in the active language, for messages and the template."""
    return [str(label) for _code, label in choices]


# Widgets (django-import-export) ---------------------------------------------------------------


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return date_parse(value)

    def render(self, value, obj=None, **kwargs):
        return date_format(value, "d.m.Y") if value else ""

    def allowed(self) -> str:
        return _("a date, e.g. 4.3.2027")


class TimeWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return time_parse(value)

    def render(self, value, obj=None, **kwargs):
        return time_format(value, "H.i") if value else ""

    def allowed(self) -> str:
        return _("a time, e.g. 17.30")


class IntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return integer_parse(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)

    def allowed(self) -> str:
        return _("a whole number")


class BooleanWidget(widgets.Widget):
    def __init__(self, *, empty=False, **kwargs):
        super().__init__(**kwargs)
        self.empty = empty

    def clean(self, value, row=None, **kwargs):
        return boolean_parse(value, empty=self.empty)

    def render(self, value, obj=None, **kwargs):
        return "x" if value else ""

    def allowed(self) -> str:
        return _("x for yes, empty for no")


class ChoiceWidget(widgets.Widget):
    """A choice by its stored value or its label in any of the three languages."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = tuple(choices)
        self.names = None  # built on first use: labels are translated only once per import

    def parse(self, value):
        if self.names is None:
            self.names = choice_names(self.choices)
        return choice_parse(value, self.choices, names=self.names)

    def clean(self, value, row=None, **kwargs):
        return self.parse(value)

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))

    def allowed(self) -> str:
        return ", ".join(choice_labels(self.choices))


class ChoiceListWidget(ChoiceWidget):
    """Several choices in one cell, separated by commas or semicolons: "suomi, svenska"."""

    def clean(self, value, row=None, **kwargs):
        parts = re.split(r"[,;]", "" if value is None else str(value))
        return [self.parse(part) for part in parts if part.strip()]

    def render(self, value, obj=None, **kwargs):
        return ", ".join(value or [])

    def allowed(self) -> str:
        return _("one or more of: %(allowed)s") % {"allowed": super().allowed()}


class LookupWidget(widgets.ForeignKeyWidget):
    """A related row found by `find(text)`, which raises the model's DoesNotExist or
    MultipleObjectsReturned; the coordinator gets a translated message, never the exception.
    Results are remembered for the import (a season names the same course many times)."""

    def __init__(self, model, *, find, render_field: str, allowed=None, **kwargs):
        super().__init__(model, field=render_field, **kwargs)
        self.find = find
        self.allowed_values = allowed
        self.found: dict[str, object] = {}

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        text = str(value).strip()
        if text not in self.found:
            try:
                self.found[text] = self.find(text)
            except self.model.DoesNotExist:
                raise ValueError(
                    _("Nothing called “%(value)s” was found.") % {"value": _shown(value)}
                ) from None
            except self.model.MultipleObjectsReturned:
                raise ValueError(
                    _("“%(value)s” matches more than one; write it in full.")
                    % {"value": _shown(value)}
                ) from None
        return self.found[text]

    def allowed(self) -> str:
        return ", ".join(self.allowed_values()) if self.allowed_values else ""


# Resources ------------------------------------------------------------------------------------


class SheetResource(resources.ModelResource):
    """A resource that knows the file's row numbers and reports rows repeated in the file.

    `duplicate_columns`: the columns that name one record (rows with the same values there are
    duplicates); empty means rows are duplicates only when every cell is the same.
    `constraint_messages`: a translated message for each database constraint of the model, so
    that no constraint name reaches the coordinator.
    """

    duplicate_columns: tuple[str, ...] = ()
    constraint_messages: dict[str, str] = {}

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        numbers = kwargs.get("row_numbers") or [index + 2 for index in range(len(dataset))]
        self.row_numbers = list(numbers)
        self.duplicates = rows_duplicated(dataset, self.duplicate_columns, self.row_numbers)
        self.changes: dict[int, list[dict]] = {}

    # Called with the number of rows done so far, every PROGRESS_EVERY rows (a long file's
    # progress bar); None when nobody watches.
    progress = None
    PROGRESS_EVERY = 25

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        row_result.number = kwargs.get("row_number")
        if self.progress is not None and (row_result.number or 0) % self.PROGRESS_EVERY == 0:
            self.progress(row_result.number)
        row_result.changes = getattr(self, "changes", {}).get(row_result.number, [])

    def _shown_values(self, instance) -> dict[str, str]:
        return {
            resource_field.column_name: str(resource_field.export(instance) or "")
            for resource_field in self.get_import_fields()
        }

    def import_instance(self, instance, row, **kwargs):
        # An existing record: what the row changes, for the preview.
        before = self._shown_values(instance) if instance.pk else None
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if before is not None and not errors:
            after = self._shown_values(instance)
            self.changes[kwargs.get("row_number")] = [
                {"column": column, "before": before[column], "after": value}
                for column, value in after.items()
                if value != before[column]
            ]
        duplicate = getattr(self, "duplicates", {}).get(kwargs.get("row_number"))
        if duplicate:
            errors.setdefault(NON_FIELD_ERRORS, []).append(duplicate)
        if errors:
            raise ValidationError(errors)

    def column_for(self, attribute: str) -> str:
        for name, resource_field in self.fields.items():
            if attribute in (name, resource_field.attribute):
                return resource_field.column_name
        return attribute


def _cell_key(cell) -> str:
    if isinstance(cell, dt.datetime | dt.date | dt.time):
        return cell.isoformat()
    return _key("" if cell is None else cell)


def rows_duplicated(dataset, columns, row_numbers) -> dict[int, str]:
    """{1-based dataset index: translated message} for each row that repeats another row of the
    file (the same values in `columns`, or in every column when `columns` is empty)."""
    headers = list(dataset.headers or [])
    indexes = [headers.index(column) for column in columns if column in headers]
    if columns and not indexes:
        return {}
    seen = defaultdict(list)
    for index, row in enumerate(dataset, 1):
        cells = [row[i] for i in indexes] if columns else list(row)
        key = tuple(_cell_key(cell) for cell in cells)
        if any(key):
            seen[key].append(index)
    messages = {}
    for key, indexes_ in seen.items():
        if len(indexes_) < 2:
            continue
        numbers = ", ".join(str(row_numbers[index - 1]) for index in indexes_)
        for index in indexes_:
            if columns:
                messages[index] = _("Rows %(rows)s have the same %(columns)s: %(value)s") % {
                    "rows": numbers,
                    "columns": ", ".join(columns),
                    "value": " ".join(key),
                }
            else:
                messages[index] = _("Rows %(rows)s are the same.") % {"rows": numbers}
    return messages


# Kinds of import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportKind:
    """What an app imports through the pipeline. Each app declares its kind next to its
    resource and names it in settings.SHEET_IMPORT_KINDS (a dotted path, so that `cms`
    imports no app above it and a background worker finds the kind as the web does)."""

    name: str
    title: str  # lazy, translated
    resource: Callable  # resource(user) -> SheetResource
    permission: str
    required_columns: tuple[str, ...] = ()
    max_rows: int = 5000
    domain_errors: tuple = ()
    done_url: str = ""  # URL name of the listing to go to after the import
    upload_url: str = ""  # URL name of the upload page
    template_filename: str = "template.xlsx"


def import_kind(name: str) -> ImportKind | None:
    path = settings.SHEET_IMPORT_KINDS.get(name)
    return import_string(path) if path else None


def import_kinds() -> list[ImportKind]:
    return [import_string(path) for path in settings.SHEET_IMPORT_KINDS.values()]


# Running and reporting ------------------------------------------------------------------------


@dataclass
class Report:
    """What a run of a file did or would do: counts, the rows as they will be saved and every
    problem with the row number the file shows and the column as the file names it."""

    counts: dict[str, int]
    rows: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


def error_message(error: Exception, *, domain_errors=()) -> str:
    """A row's unexpected error in the user's language: a domain error's own (translated)
    message, else a plain sentence; the exception itself goes to the log, not the screen."""
    if domain_errors and isinstance(error, domain_errors):
        message = getattr(error, "message", "")
        if message:
            return str(message)
    if isinstance(error, DatabaseError):
        logger.warning("import row refused by the database: %s", type(error).__name__)
        return _("The database refused this row: it conflicts with data already saved.")
    logger.warning("import row failed: %s", type(error).__name__)
    return _("This row could not be saved. Check its values.")


def _readable(message: str, resource) -> str:
    """Django says "Constraint “name” is violated."; the coordinator gets the resource's own
    sentence for that constraint (or a plain one), never the name."""
    for constraint in resource._meta.model._meta.constraints:
        if constraint.name in message:
            readable = getattr(resource, "constraint_messages", {}).get(constraint.name)
            return str(readable or _("This row breaks a rule of the data; check its values."))
    return message


def sheet_import(
    resource: SheetResource,
    sheet: Sheet,
    *,
    dry_run: bool,
    user=None,
    domain_errors=(),
    progress=None,
) -> Report:
    """Run the resource over the sheet in one transaction (rolled back on a dry run or on any
    invalid row) and report what it did, row by row. `progress(rows_done)` is called as the
    rows go."""
    resource.progress = progress
    result = resource.import_data(
        sheet.dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        row_numbers=sheet.row_numbers,
        user=user,
    )
    return import_report(resource, result, sheet.row_numbers, domain_errors=domain_errors)


def import_report(resource, result, row_numbers=None, *, domain_errors=()) -> Report:
    def shown(number: int) -> int:
        if row_numbers and 0 < number <= len(row_numbers):
            return row_numbers[number - 1]
        return number + 1

    problems = [
        {
            "row": "",
            "column": "",
            "message": error_message(error.error, domain_errors=domain_errors),
        }
        for error in result.base_errors
    ]
    for invalid in result.invalid_rows:
        for attribute, messages in invalid.field_specific_errors.items():
            for message in messages:
                problems.append(
                    {
                        "row": shown(invalid.number),
                        "column": resource.column_for(attribute),
                        "message": _readable(str(message), resource),
                    }
                )
        for message in invalid.non_field_specific_errors:
            problems.append(
                {
                    "row": shown(invalid.number),
                    "column": "",
                    "message": _readable(str(message), resource),
                }
            )
    for number, errors in result.row_errors():
        for error in errors:
            problems.append(
                {
                    "row": shown(number),
                    "column": "",
                    "message": error_message(error.error, domain_errors=domain_errors),
                }
            )
    problems.sort(key=lambda problem: (problem["row"] != "", problem["row"] or 0))
    counts = {key: result.totals.get(key, 0) for key in ("new", "update", "skip")}
    counts["invalid"] = len({problem["row"] for problem in problems})
    rows = [
        {
            "row": shown(row.number) if getattr(row, "number", None) else "",
            "action": row.import_type,
            "text": row.object_repr,
            "changes": getattr(row, "changes", []),
        }
        for row in result.rows
        if row.import_type in ("new", "update")
    ]
    return Report(counts=counts, rows=rows, problems=problems)


# The template file ----------------------------------------------------------------------------


def template_workbook(resource: SheetResource, *, required=(), examples=()) -> bytes:
    """An XLSX to fill in: the columns on the first sheet (with example rows), and a second
    sheet saying, in the user's language, what each column holds and which values it takes."""
    columns = [
        resource_field
        for resource_field in resource.get_import_fields()
        if resource_field.column_name != "id"
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Rows")[:31]
    sheet.append([resource_field.column_name for resource_field in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for example in examples:
        sheet.append([example.get(resource_field.column_name, "") for resource_field in columns])
    values = workbook.create_sheet(_("Allowed values")[:31])
    values.append([_("Column"), _("What it holds"), _("Required"), _("Allowed values")])
    for cell in values[1]:
        cell.font = Font(bold=True)
    model_fields = {
        model_field.name: model_field for model_field in resource._meta.model._meta.get_fields()
    }
    for resource_field in columns:
        model_field = model_fields.get(resource_field.attribute)
        label = str(getattr(model_field, "verbose_name", "") or resource_field.column_name)
        allowed = getattr(resource_field.widget, "allowed", None)
        values.append(
            [
                resource_field.column_name,
                label,
                _("yes") if resource_field.column_name in required else "",
                allowed() if allowed else _("text"),
            ]
        )
    for column, width in zip("ABCD", (24, 36, 10, 80), strict=True):
        values.column_dimensions[column].width = width
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def template_response(resource: SheetResource, *, filename: str, required=(), examples=()):
    response = HttpResponse(
        template_workbook(resource, required=required, examples=examples),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
