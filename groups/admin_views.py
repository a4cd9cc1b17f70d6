"""Small Wagtail admin views that the group screens use (registered in wagtail_hooks.py)."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.views.decorators.http import require_POST

from courses.models import CourseFormat, CoursePage
from groups.admin_forms import SchedulePreviewForm
from groups.exceptions import ScheduleError
from groups.services.schedule import schedule_preview


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
