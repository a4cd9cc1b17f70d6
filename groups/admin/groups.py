"""Admin views about a group as a whole: schedule preview, facilitator load, and the
coordinator's decisions (extend enrolment, cancel, merge). URLs in `groups/admin/urls.py`."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from courses.models import CourseFormat, CoursePage
from groups.admin.forms import GroupExtendForm, GroupMergeForm, SchedulePreviewForm
from groups.exceptions import MergeError, ScheduleError
from groups.models import Group
from groups.scope import centre_scope, groups_for_user
from groups.selectors.catalogue import groups_same_course_open
from groups.selectors.facilitators import facilitator_load, facilitators
from groups.selectors.meetings import people_to_tell, schedule_moves_meetings
from groups.selectors.merge import group_when, merge_far_apart
from groups.services.go_no_go import group_enrolment_extend
from groups.services.merge import group_merge, group_merge_check, group_merge_preview
from groups.services.schedule import HELSINKI, group_cancel, schedule_preview


@require_POST
@permission_required(["groups.add_group", "groups.change_group"])
def schedule_preview_view(request):
    """The meeting dates the group form's schedule gives, as an HTML fragment; saves nothing."""
    form = SchedulePreviewForm(request.POST)
    meetings, error, told = [], "", 0
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
        group = (
            groups_for_user(user=request.user).filter(pk=data["group"]).first()
            if data["group"]
            else None
        )
        if (
            group is not None
            and meetings
            and schedule_moves_meetings(group=group, meetings=meetings)
        ):
            told = people_to_tell(group=group).count()
    else:
        error = " ".join(str(message) for errors in form.errors.values() for message in errors)
    return render(
        request,
        "groups/admin/schedule_preview_result.html",
        {"meetings": meetings, "error": error, "told": told},
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
        users=centre_scope(facilitators(), user=request.user),
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


@permission_required("groups.change_group")
def group_extend_view(request, pk: int):
    group = get_object_or_404(groups_for_user(user=request.user), pk=pk)
    form = GroupExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group_enrolment_extend(
                group=group,
                go_no_go_date=form.cleaned_data["go_no_go_date"],
                enrolment_closes=form.cleaned_data["enrolment_closes"],
                user=request.user,
            )
        except ScheduleError as error:
            form.add_error("go_no_go_date", error.message)
        else:
            messages.success(request, _("Enrolment extended."))
            return redirect("wagtailadmin_home")
    return TemplateResponse(
        request,
        "groups/admin/group_decision.html",
        {
            "form": form,
            "page_title": _("Extend enrolment"),
            "header_title": _("Extend enrolment: %(group)s") % {"group": group},
            "explanation": _("The group will be checked again at the new go/no-go date."),
            "submit_label": _("Extend enrolment"),
        },
    )


@permission_required("groups.change_group")
def group_cancel_view(request, pk: int):
    group = get_object_or_404(groups_for_user(user=request.user), pk=pk)
    if request.method == "POST":
        try:
            group_cancel(group=group, user=request.user)
        except ScheduleError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The group is cancelled; everyone enrolled is told."))
        return redirect("wagtailadmin_home")
    return TemplateResponse(
        request,
        "groups/admin/group_decision.html",
        {
            "form": forms.Form(),
            "page_title": _("Cancel the group"),
            "header_title": _("Cancel the group: %(group)s") % {"group": group},
            "explanation": _(
                "Everyone enrolled is told by e-mail or text message, as they chose, and the "
                "coming meetings are cancelled."
            ),
            "alternatives": groups_for_user(
                user=request.user, queryset=groups_same_course_open(group=group)
            ),
            "submit_label": _("Cancel the group"),
            "danger": True,
        },
    )


@permission_required("groups.change_group")
def group_merge_view(request, pk: int):
    """Pick a group to merge into (GET), see what would happen (GET with a target), confirm
    (POST). The preview shows numbers only, no names."""
    group = get_object_or_404(
        groups_for_user(user=request.user, queryset=Group.objects.select_related("course")), pk=pk
    )
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = GroupMergeForm(data, group=group, user=request.user)
    plan, refusal = None, ""
    if data is not None and form.is_valid():
        target = form.cleaned_data["target"]
        allow_other_language = form.cleaned_data["allow_other_language"]
        if request.method == "POST":
            try:
                group_merge(
                    source=group,
                    target=target,
                    user=request.user,
                    allow_other_language=allow_other_language,
                )
            except MergeError as error:
                messages.error(request, error.message)
                return redirect(f"{request.path}?target={target.pk}")
            messages.success(
                request,
                _("%(source)s is merged into %(target)s; everyone moved is told by e-mail.")
                % {"source": group, "target": target},
            )
            return redirect("wagtailadmin_home")
        try:
            group_merge_check(source=group, target=target, allow_other_language=True)
        except MergeError as error:
            refusal = error.message
        else:
            plan = group_merge_preview(source=group, target=target)
    title = _("Merge with another group")
    return TemplateResponse(
        request,
        "groups/admin/group_merge.html",
        {
            "form": form,
            "group": group,
            "target": form.cleaned_data["target"] if plan else None,
            "plan": plan,
            "far_apart": merge_far_apart(source=group, target=form.cleaned_data["target"])
            if plan
            else [],
            "group_when": group_when(group),
            "refusal": refusal,
            "page_title": title,
            "header_title": _("%(title)s: %(group)s") % {"title": title, "group": group},
            "header_icon": "group",
        },
    )
