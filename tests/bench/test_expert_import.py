"""`make bench`: the coordinator's spreadsheet of 10,000 experts imports well under a minute."""

import time

import pytest
import tablib

from network.models import Expert
from network.resources import ExpertResource

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
]

ROWS = 10_000


def dataset(rows: int) -> tablib.Dataset:
    data = tablib.Dataset(
        headers=[
            "name",
            "title",
            "organisation",
            "county",
            "city",
            "email",
            "languages",
            "assip",
            "adoassip",
            "home",
            "status",
            "public_listing_consent",
        ]
    )
    for n in range(rows):
        data.append(
            [
                f"Expert {n}",
                "Psykologi",
                "Hyvinvointialue",
                "Pirkanmaa",
                "Tampere",
                f"bench{n}@example.invalid",
                "fi, sv",
                "x",
                "",
                "",
                "active",
                "x",
            ]
        )
    return data


def test_ten_thousand_rows_preview_and_import_in_well_under_a_minute():
    sheet = dataset(ROWS)
    started = time.monotonic()
    preview = ExpertResource().import_data(sheet, dry_run=True, raise_errors=False)
    result = ExpertResource().import_data(sheet, dry_run=False, raise_errors=False)
    elapsed = time.monotonic() - started

    print(f"\n{ROWS} rows: preview + import in {elapsed:.1f} s")
    assert not preview.has_validation_errors() and not result.has_errors()
    assert Expert.objects.count() == ROWS
    assert elapsed < 60
