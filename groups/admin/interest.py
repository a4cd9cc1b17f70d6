"""The interest list for coordinators (docs/interest.md): the demand table (counts only, by
course or topic, town, language and month wanted) with its downloads, and the dashboard panel
of the most-wanted groups that no open group serves."""

from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from cms.exports import export_format, spreadsheet_response
from cms.towns import town_name
from groups.admin.reports import user_sees_reports
from groups.selectors.interest import (
    SMALL_COUNT,
    DemandRow,
    centres_by_town,
    course_pages_by_key,
    demand_row_prefill,
    interest_demand,
    most_wanted_without_group,
)


def _language() -> str:
    return (get_language() or "fi")[:2]


def _labels(row: DemandRow, language: str) -> dict:
    return {
        "title": row.title,
        "town": town_name(row.town, language) if row.town else _("Online"),
        "language": {"fi": _("Finnish"), "sv": _("Swedish"), "en": _("English")}.get(
            row.language, row.language
        ),
        "month": date_format(row.month, "YEAR_MONTH_FORMAT") if row.month else _("Any time"),
        "count": row.shown_count
        if row.shown_count is not None
        else _("fewer than %(n)s") % {"n": SMALL_COUNT},
    }


def _create_urls(rows: list[DemandRow], *, language: str) -> list[str]:
    """ "Create a group" for each row: the add form with the row's course, language, mode and
    the town's crisis centre filled in (two queries for all rows)."""
    courses = course_pages_by_key(
        {row.course_key for row in rows if row.course_key}, language=language
    )
    centres = centres_by_town()
    base = reverse("groups_group:add")
    return [
        f"{base}?{urlencode(demand_row_prefill(row, courses=courses, centres=centres))}"
        for row in rows
    ]


def interest_report(request):
    """Waiting interests of the user's centres; counts below SMALL_COUNT are not shown."""
    if not user_sees_reports(request.user):
        raise PermissionDenied
    language = _language()
    rows = interest_demand(user=request.user, language=language)
    labelled = [_labels(row, language) for row in rows]
    header = [_("Course or topic"), _("Town"), _("Language"), _("Start wanted"), _("People")]
    if request.GET.get("format") in ("csv", "xlsx"):
        body = [
            [item["title"], item["town"], item["language"], item["month"], item["count"]]
            for item in labelled
        ]
        return spreadsheet_response(header, body, export_format(request), "interest-demand")
    create = (
        _create_urls(rows, language=language)
        if request.user.has_perm("groups.add_group")
        else [""] * len(rows)
    )
    return TemplateResponse(
        request,
        "groups/admin/interest_report.html",
        {
            "header": header,
            "rows": [
                {**item, "create_url": url} for item, url in zip(labelled, create, strict=True)
            ],
            "small": SMALL_COUNT,
            "page_title": _("Interest in groups"),
            "header_title": _("Interest in groups: who is waiting for what"),
            "header_icon": "table",
        },
    )


class MostWantedPanel(Component):
    """The most-wanted groups without an open group, each with "create a group"."""

    name = "most_wanted"
    order = 90
    template_name = "groups/admin/most_wanted_panel.html"
    permission = "groups.add_group"
    heading = gettext_lazy("Most-wanted groups without an open group")

    def __init__(self, user):
        self.user = user

    def render_html(self, parent_context=None):
        language = _language()
        rows = most_wanted_without_group(user=self.user, language=language)
        if not rows:
            return ""
        items = [
            {**_labels(row, language), "create_url": url}
            for row, url in zip(rows, _create_urls(rows, language=language), strict=True)
        ]
        return render_to_string(
            self.template_name,
            {"panel": self, "rows": items, "report_url": reverse("groups_interest_report")},
        )
