"""The anonymous end-of-group survey (public) and its results per course (admin)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from groups.charts import bar_chart
from groups.exceptions import FeedbackError
from groups.forms import FeedbackForm
from groups.selectors.reports import feedback_results
from groups.services.feedback import feedback_submit, feedback_token_group
from groups.views.reports import user_sees_reports


def answer(request, token: str):
    group = feedback_token_group(token=token)
    if group is None:
        return render(request, "groups/feedback/used.html", status=404)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_submit(token=token, **form.cleaned_data)
        except FeedbackError:
            return render(request, "groups/feedback/used.html", status=404)
        return render(request, "groups/feedback/thanks.html")
    return render(request, "groups/feedback/form.html", {"form": form, "group": group})


def results(request):
    if not user_sees_reports(request.user):
        raise PermissionDenied
    courses = feedback_results()
    for course in courses:
        course["charts"] = [
            bar_chart(title=str(course["helped_title"]), values=course["helped"], unit=""),
            bar_chart(title=str(course["recommend_title"]), values=course["recommend"], unit=""),
        ]
    return render(request, "groups/admin/feedback_results.html", {"courses": courses})
