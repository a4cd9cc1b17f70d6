"""Public iCal feeds: one per group, one per course (all its groups)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from courses.models import CoursePage
from groups.calendars import meetings_calendar
from groups.selectors.catalogue import calendar_meetings, course_public_groups, public_group

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
@cache_control(public=True, max_age=900)
def group_calendar(request, group_id: int):
    group = public_group(group_id=group_id)
    if group is None:
        raise Http404
    meetings = calendar_meetings(groups=[group])
    return _calendar_response(
        meetings_calendar(meetings=meetings, name=group.course.localized.title),
        f"group-{group.pk}.ics",
    )


@require_GET
@cache_control(public=True, max_age=900)
def course_calendar(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    groups = course_public_groups(translation_key=course.translation_key)
    meetings = calendar_meetings(groups=groups)
    return _calendar_response(
        meetings_calendar(meetings=meetings, name=course.title), f"course-{course.pk}.ics"
    )
