"""Spreadsheet exports that cannot run anything: every text cell that a spreadsheet program
would read as a formula (CSV/formula injection, OWASP) starts with an apostrophe instead."""

import csv
import io

from django.http import HttpResponse
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def formula_escape(value):
    """Make a cell inert: a leading apostrophe stops spreadsheets evaluating it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def formula_escape_row(row) -> list:
    return [formula_escape(cell) for cell in row]


class FormulaSafeExportMixin:
    """For Wagtail's list_export: its XLSX cells are already typed as text, its CSV is not."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: formula_escape(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )


class FormulaSafeSnippetIndexView(FormulaSafeExportMixin, SnippetIndexView):
    pass


def spreadsheet_response(header, body, fmt: str, filename: str) -> HttpResponse:
    """A CSV or XLSX download of a header row and body rows, every cell formula-escaped."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append(formula_escape_row(str(cell) for cell in header))
        for row in body:
            sheet.append(formula_escape_row(row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerow(formula_escape_row(header))
        writer.writerows(
            formula_escape_row("" if cell is None else cell for cell in row) for row in body
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
