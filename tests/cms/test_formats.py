# ruff: noqa: RUF001  (times are written with an en dash between them)
"""Dates, times, weekdays and numbers as people write them in each language, in Helsinki time."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

WINTER = dt.datetime(2025, 1, 14, 15, 30, tzinfo=dt.UTC)  # Tuesday 17.30 in Helsinki (UTC+2)
SUMMER = dt.datetime(2025, 7, 15, 14, 30, tzinfo=dt.UTC)  # Tuesday 17.30 in Helsinki (UTC+3)


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load meeting_time %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "ti 14.1. klo 17.30"),
        ("sv", "tis 14.1 kl. 17.30"),
        ("en", "Tue 14 Jan, 5:30 pm"),
    ],
)
def test_meeting_time_in_each_language_in_helsinki_winter_time(language, expected):
    assert render("{{ when|meeting_datetime }}", language, when=WINTER) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "ti 15.7. klo 17.30"),
        ("sv", "tis 15.7 kl. 17.30"),
        ("en", "Tue 15 Jul, 5:30 pm"),
    ],
)
def test_summer_time_is_one_hour_further_from_utc_and_still_reads_17_30(language, expected):
    assert render("{{ when|meeting_datetime }}", language, when=SUMMER) == expected


DAYS = {
    "fi": ("ti 14.1.", "ke 15.1."),
    "sv": ("tis 14.1", "ons 15.1"),
    "en": ("Tue 14 Jan", "Wed 15 Jan"),
}


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", "ke 15.1. klo 9.05"), ("sv", "ons 15.1 kl. 9.05"), ("en", "Wed 15 Jan, 9:05 am")],
)
def test_a_morning_meeting_and_the_day_after_midnight_utc(language, expected):
    when = dt.datetime(2025, 1, 15, 7, 5, tzinfo=dt.UTC)  # 9.05 in Helsinki
    assert render("{{ when|meeting_datetime }}", language, when=when) == expected
    # 23.30 UTC on the 14th is already the 15th in Helsinki.
    late = dt.datetime(2025, 1, 14, 23, 30, tzinfo=dt.UTC)
    assert render("{{ late|meeting_date }}", language, late=late) == DAYS[language][1]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", "ti 14.1. klo 17.30"), ("sv", "tis 14.1 kl. 17.30"), ("en", "Tue 14 Jan, 5:30 pm")],
)
def test_a_groups_start_day_and_wall_clock_time_read_like_a_meeting(language, expected):
    rendered = render(
        "{{ day|meeting_datetime:time }}|{{ day|meeting_datetime }}",
        language,
        day=dt.date(2025, 1, 14),
        time=dt.time(17, 30),
    )
    assert rendered == f"{expected}|{DAYS[language][0]}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", "17.30–19.00"), ("sv", "17.30–19.00"), ("en", "5:30 pm–7:00 pm")],
)
def test_meeting_end_time_alone(language, expected):
    ends = WINTER + dt.timedelta(minutes=90)
    rendered = render(
        "{{ starts|meeting_time }}–{{ ends|meeting_time }}", language, starts=WINTER, ends=ends
    )
    assert rendered == expected


@pytest.mark.parametrize(
    ("language", "date", "number"),
    [("fi", "14.1.2025", "7,5"), ("sv", "14.1.2025", "7,5"), ("en", "14 Jan 2025", "7.5")],
)
def test_short_dates_and_decimals_follow_the_language(language, date, number):
    rendered = render(
        '{{ day|date:"SHORT_DATE_FORMAT" }} {{ hours }}',
        language,
        day=dt.date(2025, 1, 14),
        hours=Decimal("7.5"),
    )
    assert rendered == f"{date} {number}"
