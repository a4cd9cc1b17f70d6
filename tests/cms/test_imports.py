"""The one spreadsheet pipeline: what a coordinator's file may look like, and what they are told."""

import datetime as dt
import io

import pytest
import tablib
from django.conf import settings
from django.utils import translation
from openpyxl import Workbook, load_workbook

from cms.imports import (
    SpreadsheetError,
    boolean_parse,
    choice_parse,
    date_parse,
    delimiter_sniff,
    integer_parse,
    rows_duplicated,
    sheet_read,
    text_decode,
    time_parse,
)
from groups.models import Group

ROWS = "nimi,päivä\nÄänekoski,4.3.2027\nÖstersundom,2027-03-11\n"


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.mark.parametrize(
    "content, encoding",
    [
        (ROWS.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + ROWS.encode("utf-8"), "utf-8"),
        (ROWS.encode("cp1252"), "cp1252"),
    ],
    ids=["utf-8", "utf-8 with BOM", "windows-1252"],
)
def test_csv_is_read_in_each_encoding(content, encoding):
    sheet = sheet_read(content, filename="season.CSV")
    assert sheet.encoding == encoding
    assert sheet.dataset.headers == ["nimi", "päivä"]
    assert sheet.dataset["nimi"] == ["Äänekoski", "Östersundom"]
    assert bool(sheet.notice) == (encoding == "cp1252")


def test_decoding_tries_utf8_before_windows_1252():
    assert text_decode("Åsa".encode()) == ("Åsa", "utf-8")
    assert text_decode("Åsa".encode("cp1252")) == ("Åsa", "cp1252")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_sniffed(delimiter):
    text = ROWS.replace(",", delimiter)
    assert delimiter_sniff(text) == delimiter
    sheet = sheet_read(text.encode(), filename="season.csv")
    assert sheet.delimiter == delimiter
    assert sheet.dataset["päivä"] == ["4.3.2027", "2027-03-11"]


def test_semicolon_file_keeps_commas_inside_cells():
    text = 'nimi;kielet\n"Aho, Aino";suomi, svenska\n'
    sheet = sheet_read(text.encode("cp1252"), filename="x.csv")
    assert sheet.dataset[0] == ("Aho, Aino", "suomi, svenska")


def test_blank_rows_are_skipped_and_rows_keep_the_number_the_file_shows():
    text = "\nnimi,päivä\nEka,1.1.2027\n,\n  ,  \n\nToka,2.1.2027\n"
    sheet = sheet_read(text.encode(), filename="x.csv")
    assert sheet.dataset["nimi"] == ["Eka", "Toka"]
    assert sheet.row_numbers == [3, 7]


def test_xlsx_with_real_date_and_time_cells():
    content = xlsx(
        [
            ["Name", "Schedule_from", "Start_time", "Capacity"],
            ["Tiistai", dt.datetime(2027, 3, 4), dt.time(17, 30), 10],
            [None, None, None, None],
            ["Keskiviikko", dt.date(2027, 3, 5), dt.datetime(1899, 12, 30, 18, 0), 8.0],
        ]
    )
    sheet = sheet_read(content, filename="season.xlsx")
    assert sheet.dataset.headers == ["name", "schedule_from", "start_time", "capacity"]
    assert sheet.row_numbers == [2, 4]
    first, second = sheet.dataset
    # An Excel date cell is a datetime: compared with a date it must not crash.
    assert date_parse(first[1]) == dt.date(2027, 3, 4)
    assert date_parse(first[1]) < dt.date(2027, 12, 31)
    assert time_parse(first[2]) == dt.time(17, 30)
    assert date_parse(second[1]) == dt.date(2027, 3, 5)
    assert time_parse(second[2]) == dt.time(18, 0)
    assert integer_parse(second[3]) == 8


@pytest.mark.parametrize(
    "value", ["4.3.2027", "04.03.2027", "2027-03-04", " 4.3.27 ", dt.datetime(2027, 3, 4, 0, 0)]
)
def test_finnish_and_iso_dates(value):
    assert date_parse(value) == dt.date(2027, 3, 4)


@pytest.mark.parametrize("value", ["17.30", "17:30", "17:30:00", dt.time(17, 30), 0.7291666666])
def test_finnish_times(value):
    assert time_parse(value) == dt.time(17, 30)


@pytest.mark.parametrize(
    "value, code",
    [
        ("Lähitapaaminen", "in_person"),
        ("På plats", "in_person"),
        ("In person", "in_person"),
        ("in_person", "in_person"),
        ("  lähitapaaminen ", "in_person"),
        ("Etänä", "remote"),
        ("På distans", "remote"),
        ("Remote", "remote"),
    ],
)
def test_choice_labels_in_three_languages(value, code):
    with translation.override("fi"):
        assert choice_parse(value, Group.Mode.choices) == code


@pytest.mark.parametrize(
    "value, code", [("suomi", "fi"), ("svenska", "sv"), ("English", "en"), ("ruotsi", "sv")]
)
def test_language_labels_in_three_languages(value, code):
    with translation.override("en"):
        assert choice_parse(value, settings.LANGUAGES) == code


def test_booleans():
    assert boolean_parse("x") and boolean_parse("Kyllä") and boolean_parse("ja")
    assert not boolean_parse("ei") and not boolean_parse("nej") and not boolean_parse("")
    assert boolean_parse("", empty=None) is None


@pytest.mark.parametrize(
    "parse, value, finnish",
    [
        (date_parse, "32.13.2027", "Kirjoita päivämäärä muodossa 4.3.2027, ei “32.13.2027”."),
        (time_parse, "25.70", "Kirjoita kellonaika muodossa 17.30, ei “25.70”."),
        (integer_parse, "kymmenen", "Kirjoita kokonaisluku, ei “kymmenen”."),
        (boolean_parse, "ehkä", "Kirjoita x tai jätä tyhjäksi, ei “ehkä”."),
    ],
)
def test_cell_errors_are_in_the_users_language(parse, value, finnish):
    with translation.override("fi"), pytest.raises(ValueError) as error:
        parse(value)
    assert str(error.value) == finnish


def test_an_unknown_choice_lists_the_allowed_labels_in_the_users_language():
    with translation.override("fi"), pytest.raises(ValueError) as error:
        choice_parse("online", Group.Mode.choices)
    assert str(error.value) == "“online” ei ole mikään näistä: Lähitapaaminen, Etänä, Hybridi"


def test_file_errors_are_in_the_users_language():
    with translation.override("fi"):
        with pytest.raises(SpreadsheetError) as error:
            sheet_read(b"%PDF", filename="season.pdf")
        assert error.value.message == "Lataa .csv- tai .xlsx-tiedosto."
        with pytest.raises(SpreadsheetError) as error:
            sheet_read(b"name\nx\n", filename="x.csv", required_columns=("course",))
        assert "course" in error.value.message and "puuttuvat" in error.value.message
        with pytest.raises(SpreadsheetError):
            sheet_read(b"not a zip", filename="x.xlsx")
        with pytest.raises(SpreadsheetError):
            sheet_read(b"\n \n", filename="x.csv")


def test_too_many_rows_is_one_clear_error():
    with pytest.raises(SpreadsheetError):
        sheet_read(b"a\n1\n2\n3\n", filename="x.csv", max_rows=2)


def test_duplicate_rows_are_reported_on_each_row_with_the_file_row_numbers():
    dataset = tablib.Dataset(headers=["name", "email"])
    for row in [("A", "a@x.fi"), ("B", "b@x.fi"), ("A", "a@x.fi"), ("C", "A@X.fi ")]:
        dataset.append(row)
    numbers = [2, 3, 5, 6]
    with translation.override("fi"):
        whole = rows_duplicated(dataset, (), numbers)
        by_email = rows_duplicated(dataset, ("email",), numbers)
    assert whole == {1: "Rivit 2, 5 ovat samat.", 3: "Rivit 2, 5 ovat samat."}
    assert set(by_email) == {1, 3, 4}
    assert "2, 5, 6" in by_email[4] and "a@x.fi" in by_email[4]


@pytest.mark.django_db
def test_the_template_names_the_columns_and_the_allowed_values_in_the_users_language():
    from cms.imports import template_workbook
    from groups.resources import GroupResource

    with translation.override("fi"):
        content = template_workbook(GroupResource(), required=("course",))
    workbook = load_workbook(io.BytesIO(content))
    rows, allowed = workbook.worksheets
    header = [cell.value for cell in rows[1]]
    assert header[:3] == ["course", "name", "centre"] and "id" not in header
    reference = {row[0]: row[1:] for row in allowed.iter_rows(min_row=2, values_only=True)}
    assert "Lähitapaaminen" in reference["mode"][2]
    assert "suomi" in reference["language"][2]
    assert "4.3.2027" in reference["schedule_from"][2]
    assert reference["course"][1] == "kyllä"


@pytest.mark.parametrize("value", ["Infinity", "NaN", "10.5"])
def test_numbers_that_are_not_whole_are_a_row_error_not_a_crash(value):
    with pytest.raises(ValueError):
        integer_parse(value)
