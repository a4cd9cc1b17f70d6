"""Reading downloads as a spreadsheet program with Finnish settings would (issue 24)."""

import csv
import io

BOM = b"\xef\xbb\xbf"


def finnish_excel_rows(content: bytes) -> list[list[str]]:
    """CSV as Finnish Excel opens it: UTF-8 only when the file starts with a BOM, cells split
    on semicolons. A file without the BOM fails here, as it would show "Ã¤" for "ä" there."""
    assert content.startswith(BOM), "no UTF-8 byte order mark: Excel would misread ä, ö and å"
    return list(csv.reader(io.StringIO(content[len(BOM) :].decode("utf-8")), delimiter=";"))


def finnish_excel_dicts(content: bytes) -> list[dict[str, str]]:
    header, *body = finnish_excel_rows(content)
    return [dict(zip(header, row, strict=False)) for row in body]
