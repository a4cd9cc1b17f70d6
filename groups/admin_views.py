"""Small Wagtail admin views that the group screens use (registered in wagtail_hooks.py)."""

import datetime as dt

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from courses.models import CourseFormat, CoursePage
from groups.admin_forms import SchedulePreviewForm
from groups.exceptions import ScheduleError
from groups.selectors import facilitator_load
from groups.services.schedule import HELSINKI, schedule_preview


@require_POST
@permission_required(["groups.add_group", "groups.change_group"])
def schedule_preview_view(request):
    """The meeting dates the group form's schedule gives, as an HTML fragment; saves nothing."""
    form = SchedulePreviewForm(request.POST)
    meetings, error = [], ""
    if form.is_valid():
        data = form.cleaned_data
        course = CoursePage.objects.filter(pk=data["course"]).first() if data["course"] else None
        try:
            meetings = schedule_preview(
                schedule=data["schedule"],
                schedule_from=data["schedule_from"],
                start_time=data["start_time"],
                duration_minutes=data["duration_minutes"] or 90,
                course_format=course.format if course else CourseFormat.WEEKLY,
            )
        except ScheduleError as schedule_error:
            error = schedule_error.message
    else:
        error = " ".join(str(message) for errors in form.errors.values() for message in errors)
    return render(
        request,
        "groups/admin/schedule_preview_result.html",
        {"meetings": meetings, "error": error},
    )


@permission_required("groups.change_group")
def facilitator_load_view(request):
    """Each facilitator's groups and meetings per month for the coming six months."""
    today = timezone.localdate()
    first = today.replace(day=1)
    months = [(first + dt.timedelta(days=32 * step)).replace(day=1) for step in range(6)]
    until = (months[-1] + dt.timedelta(days=32)).replace(day=1)
    load = facilitator_load(
        since=dt.datetime.combine(first, dt.time.min, tzinfo=HELSINKI),
        until=dt.datetime.combine(until, dt.time.min, tzinfo=HELSINKI),
    )
    rows = [
        {
            "name": row["user"].get_full_name() or row["user"].get_username(),
            "centre": getattr(
                getattr(row["user"], "facilitator_profile", None), "home_centre", None
            ),
            "groups": row["groups"],
            "counts": [row["months"].get(month, 0) for month in months],
        }
        for row in load
    ]
    return TemplateResponse(
        request,
        "groups/admin/facilitator_load.html",
        {
            "rows": rows,
            "months": months,
            "page_title": _("Facilitator load"),
            "header_title": _("Facilitator load"),
            "header_icon": "group",
        },
    )
