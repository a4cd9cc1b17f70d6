"""Server-side SVG bar charts: numbers in, shapes out; the template draws them. Only the
admin's reports draw charts, so they live in `groups/admin/`."""

from dataclasses import dataclass

from django.utils.formats import number_format

WIDTH = 600
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 220  # room for 26 characters at 13 px; the whole label is the bar's title


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    y: int
    width: float


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    height: int
    width: int = WIDTH
    label_width: int = LABEL_WIDTH


def bar_chart(*, title: str, values: list[tuple[str, float | None]], maximum=None, unit="%"):
    """Horizontal bars, longest = `maximum` (100 for rates); missing values draw no bar."""
    known = [value for _label, value in values if value is not None]
    top = maximum or max(known, default=0) or 1
    room = WIDTH - LABEL_WIDTH - 60
    bars = [
        Bar(
            label=str(label),
            value=value or 0,
            # In the reader's language: "66,7%" in Finnish and Swedish, "66.7%" in English.
            text="-" if value is None else f"{number_format(_plain(value))}{unit}",
            y=index * (BAR_HEIGHT + GAP),
            width=round(room * (value or 0) / top, 1),
        )
        for index, (label, value) in enumerate(values)
    ]
    return BarChart(title=title, bars=bars, height=max(len(bars), 1) * (BAR_HEIGHT + GAP))


def _plain(value: float) -> float | int:
    """100.0 is written 100, 66.7 stays 66.7."""
    return int(value) if float(value).is_integer() else value
