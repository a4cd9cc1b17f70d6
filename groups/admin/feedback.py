"""Feedback in the admin: the survey's results per course (a report) and sending a group's
anonymous feedback links now."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from groups.admin.charts import bar_chart
from groups.admin.reports import report_period, user_sees_reports
from groups.exceptions import FeedbackError
from groups.models import FeedbackAnswer, Group
from groups.scope import centre_scope, groups_for_user
from groups.selectors.reports import feedback_groups_waiting, feedback_results
from groups.services.feedback import feedback_links_send


def results(request):
    if not user_sees_reports(request.user):
        raise PermissionDenied
    period_form, period_groups = report_period(request)
    answers = centre_scope(
        FeedbackAnswer.objects.filter(group__in=period_groups.values("pk")), user=request.user
    )
    courses = feedback_results(answers=answers)
    for course in courses:
        course["charts"] = [
            bar_chart(title=str(course["helped_title"]), values=course["helped"], unit=""),
            bar_chart(title=str(course["recommend_title"]), values=course["recommend"], unit=""),
        ]
    return render(
        request,
        "groups/admin/feedback_results.html",
        {
            "courses": courses,
            "period_form": period_form,
            "groups_waiting": feedback_groups_waiting(answers=answers),
            "min_answers": settings.FEEDBACK_MIN_ANSWERS,
        },
    )


@permission_required("groups.change_group")
def group_feedback_send_view(request, pk: int):
    """Confirm, then mail the group's anonymous feedback links now (the daily task would)."""
    group = get_object_or_404(
        groups_for_user(user=request.user, queryset=Group.objects.select_related("course")), pk=pk
    )
    if request.method == "POST":
        try:
            sending = feedback_links_send(group_id=group.pk, user=request.user)
        except FeedbackError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Feedback links sent: %(sent)d. Failed: %(failed)d. Without an e-mail "
                    "address: %(without_email)d."
                )
                % {
                    "sent": sending.sent,
                    "failed": sending.failed,
                    "without_email": sending.without_email,
                },
            )
        return redirect("groups_group:index")
    return TemplateResponse(
        request,
        "groups/admin/group_decision.html",
        {
            "form": forms.Form(),
            "page_title": _("Send feedback links"),
            "header_title": _("Send feedback links: %(group)s") % {"group": group},
            "explanation": _(
                "Each participant with an e-mail address gets one anonymous link to the "
                "end-of-group survey, once. Nobody, not even the system, can see whose answer "
                "is whose. The links are also sent automatically the day after the last meeting."
            ),
            "submit_label": _("Send feedback links"),
        },
    )
