"""Every spreadsheet download goes out through here, so that it opens right in Excel and
LibreOffice with Finnish, Swedish or English settings (issue 24):

- XLSX is the default: typed cells, no encoding or delimiter to guess.
- CSV starts with a UTF-8 byte order mark (else Excel reads UTF-8 as Windows-1252: "Ã¤" for
  "ä") and is separated by the delimiter of the user's language: a semicolon for fi and sv
  (their decimal separator is the comma, so Excel expects ";"), a comma for en.
- No cell can run anything: every text cell that a spreadsheet program would read as a formula
  (CSV/formula injection, OWASP) starts with an apostrophe instead.
"""

import csv
import io

from django.http import HttpResponse
from django.utils import translation
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CSV_BOM = "\ufeff"
XLSX = "xlsx"
CSV = "csv"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Languages whose spreadsheet programs write the decimal comma and so split CSV on ";".
SEMICOLON_LANGUAGES = ("fi", "sv")


def formula_escape(value):
    """Make a cell inert: a leading apostrophe stops spreadsheets evaluating it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def formula_escape_row(row) -> list:
    return [formula_escape(cell) for cell in row]


def csv_delimiter(language: str | None = None) -> str:
    """The delimiter a spreadsheet program set to `language` (default: the active one) splits
    CSV on: ";" for Finnish and Swedish, "," for English."""
    language = (language or translation.get_language() or "fi").split("-")[0]
    return ";" if language in SEMICOLON_LANGUAGES else ","


def export_format(request) -> str:
    """The format a download asks for in `?format=`: CSV only when asked for, else XLSX."""
    return CSV if request.GET.get("format") == CSV else XLSX


class FormulaSafeExportMixin:
    """For Wagtail's list_export: XLSX as Wagtail writes it (its cells are typed as text);
    its CSV with the BOM, the user's delimiter and formula escaping."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: formula_escape(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

    def stream_csv(self, queryset):
        yield CSV_BOM.encode()
        delimiter = csv_delimiter()
        writer = csv.DictWriter(_Echo(), fieldnames=self.list_export, delimiter=delimiter)
        yield writer.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response


class _Echo:
    """A file-like object whose write returns the line, for streaming CSV."""

    def write(self, value):
        return value.encode()


class FormulaSafeSnippetIndexView(FormulaSafeExportMixin, SnippetIndexView):
    pass


def xlsx_bytes(header, body) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(formula_escape_row(str(cell) for cell in header))
    for row in body:
        sheet.append(formula_escape_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(header, body, *, delimiter: str | None = None) -> str:
    """The CSV text, BOM first, separated by the user's delimiter."""
    buffer = io.StringIO()
    buffer.write(CSV_BOM)
    writer = csv.writer(buffer, delimiter=delimiter or csv_delimiter())
    writer.writerow(formula_escape_row(str(cell) for cell in header))
    writer.writerows(
        formula_escape_row("" if cell is None else cell for cell in row) for row in body
    )
    return buffer.getvalue()


def spreadsheet_response(header, body, fmt: str, filename: str) -> HttpResponse:
    """A download of a header row and body rows, every cell formula-escaped: XLSX unless `fmt`
    is "csv"."""
    if fmt == CSV:
        response = HttpResponse(
            csv_text(header, body).encode(), content_type="text/csv; charset=utf-8"
        )
    else:
        fmt = XLSX
        response = HttpResponse(xlsx_bytes(header, body), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
