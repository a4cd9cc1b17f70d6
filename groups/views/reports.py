"""Coordinator reports in the Wagtail admin: a table, SVG charts and CSV/XLSX exports."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from cms.exports import spreadsheet_response
from groups.charts import bar_chart
from groups.scope import groups_for_user
from groups.selectors.reports import (
    DIMENSIONS,
    Figures,
    group_figures,
    report_by,
    report_groups,
    report_selection,
)


def user_sees_reports(user) -> bool:
    return user.is_superuser or user.has_perm("groups.view_group")


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
    trainings = []
    page = None
    if dimension == "group":
        selected = report_selection(queryset=groups_for_user(user=request.user))
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
        rows = report_by(dimension=dimension, queryset=groups_for_user(user=request.user))
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
        },
    )
