"""Coordinator reports in the Wagtail admin: a table, SVG charts and CSV/XLSX exports."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.exports import spreadsheet_response
from groups.admin.charts import bar_chart
from groups.models import Group
from groups.scope import groups_for_user
from groups.selectors.reports import (
    DIMENSIONS,
    Figures,
    group_figures,
    groups_starting_between,
    report_by,
    report_groups,
    report_selection,
    season_choices,
    season_dates,
)


def user_sees_reports(user) -> bool:
    return user.is_superuser or user.has_perm("groups.view_group")


ISO_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportPeriodForm(forms.Form):
    """Which groups a report covers, by their start date: a season, or from and until dates
    (both may be given: the dates narrow the season)."""

    season = forms.ChoiceField(label=gettext_lazy("Season"), required=False)
    # The browser's own date picker: a GET form of a report needs no admin script.
    starts_from = forms.DateField(
        label=gettext_lazy("Groups starting from"), required=False, widget=ISO_DATE
    )
    starts_until = forms.DateField(label=gettext_lazy("until"), required=False, widget=ISO_DATE)

    FIELDS = ("season", "starts_from", "starts_until")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["season"].choices = [("", _("All seasons")), *season_choices()]

    def period(self) -> tuple:
        if not self.is_valid():
            return None, None
        start, end = season_dates(self.cleaned_data["season"]) or (None, None)
        starts_from, starts_until = (
            self.cleaned_data["starts_from"],
            self.cleaned_data["starts_until"],
        )
        if starts_from and (start is None or starts_from > start):
            start = starts_from
        if starts_until and (end is None or starts_until < end):
            end = starts_until
        return start, end

    def query(self) -> str:
        """The period as URL parameters, for the downloads and the pages of the report."""
        if not self.is_valid():
            return ""
        return urlencode({name: self.data[name] for name in self.FIELDS if self.data.get(name)})


def report_period(request) -> tuple[ReportPeriodForm, QuerySet[Group]]:
    """The period form of a report and the user's groups within it (the centre boundary
    first, then the period)."""
    form = ReportPeriodForm(request.GET)
    start, end = form.period()
    groups = groups_starting_between(groups_for_user(user=request.user), start=start, end=end)
    return form, groups


def figures_table(rows: list[Figures]) -> tuple[list[str], list[list]]:
    header = [
        _("Name"),
        _("Groups"),
        _("Places"),
        _("Taken"),
        _("Fill rate %"),
        _("Attendance rate %"),
        _("Completion rate %"),
        _("Waiting list"),
        _("Days to a place (median)"),
        _("Drop-outs by meeting number"),
    ]
    body = [
        [
            row.label,
            row.groups,
            row.capacity,
            row.taken,
            row.fill_rate,
            row.attendance_rate,
            row.completion_rate,
            row.waitlisted,
            row.median_wait_days,
            ", ".join(f"{number}: {count}" for number, count in row.dropouts_sorted),
        ]
        for row in rows
    ]
    return header, body


# The report by group shows a page of groups at a time, each with its chart per meeting; the
# downloads hold every group.
GROUPS_PER_PAGE = 50


def attendance_report(request):
    if not user_sees_reports(request.user):
        raise PermissionDenied
    dimension = request.GET.get("by", "course")
    if dimension not in DIMENSIONS and dimension != "group":
        dimension = "course"
    fmt = request.GET.get("format")
    exporting = fmt in ("csv", "xlsx")
    period_form, period_groups = report_period(request)
    trainings = []
    page = None
    if dimension == "group":
        selected = report_selection(queryset=period_groups)
        groups = report_groups(queryset=selected)
        if exporting:
            # The downloads carry no rates per meeting: only the charts below show them.
            per_group = group_figures(groups=groups, within=selected, per_meeting=False)
        else:
            page = Paginator(groups, GROUPS_PER_PAGE).get_page(request.GET.get("p"))
            groups = list(page.object_list)
            per_group = group_figures(groups=groups)
        trainings = [group for group in groups if group.course_format == "training"]
        rows = [per_group[group.pk] for group in groups]
    else:
        rows = report_by(dimension=dimension, queryset=period_groups)
    header, body = figures_table(rows)
    if exporting:
        return spreadsheet_response(header, body, fmt, f"attendance-by-{dimension}")

    dropouts = Figures()
    for row in rows:
        dropouts.add(row)
    charts = [
        bar_chart(title=_("Fill rate"), values=[(r.label, r.fill_rate) for r in rows], maximum=100),
        bar_chart(
            title=_("Attendance rate"),
            values=[(r.label, r.attendance_rate) for r in rows],
            maximum=100,
        ),
        bar_chart(
            title=_("Completion rate"),
            values=[(r.label, r.completion_rate) for r in rows],
            maximum=100,
        ),
        bar_chart(
            title=_("Drop-outs by meeting number"),
            values=[(str(number), count) for number, count in dropouts.dropouts_sorted],
            unit="",
        ),
    ]
    if dimension == "group":
        charts += [
            bar_chart(
                title=_("Attendance per meeting: %(group)s") % {"group": row.label},
                values=[(str(number), rate) for number, rate in row.per_meeting],
                maximum=100,
            )
            for row in rows
            if row.per_meeting
        ]
    choices = [("group", _("Group")), *((key, label) for key, label in DIMENSIONS.items())]
    return render(
        request,
        "groups/admin/attendance_report.html",
        {
            "dimension": dimension,
            "choices": choices,
            "header": header,
            "body": body,
            "charts": charts,
            "trainings": trainings,
            "page": page,
            "period_form": period_form,
            "period_query": period_form.query(),
        },
    )
