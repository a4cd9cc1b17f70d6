"""Spreadsheet exports that cannot run anything: every text cell that a spreadsheet program
would read as a formula (CSV/formula injection, OWASP) starts with an apostrophe instead."""

from wagtail.admin.views.generic.models import IndexView as ModelIndexView
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


class FormulaSafeModelIndexView(FormulaSafeExportMixin, ModelIndexView):
    pass


class FormulaSafeSnippetIndexView(FormulaSafeExportMixin, SnippetIndexView):
    pass
