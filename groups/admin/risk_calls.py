"""The risk call page: who to call after a risk answer in the intake, with what they told us,
and "mark called". Only for roles that may see contact data (`groups.view_enrolment_contact`),
of the coordinator's own centres (`groups.scope`). The dashboard panel links here and counts
down as calls are marked."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from groups.admin.panels import short_datetime
from groups.exceptions import EnrolmentError
from groups.forms import intake_answers_readable
from groups.models import Enrolment
from groups.scope import enrolments_for_user
from groups.services.enrolment import risk_call_mark_done


class RiskCallForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Note (optional)"),
        help_text=_("For a colleague who calls next. Write only what is needed."),
    )


@permission_required("groups.view_enrolment_contact")
def risk_call_view(request, pk: int):
    enrolment = get_object_or_404(
        enrolments_for_user(
            user=request.user,
            queryset=Enrolment.objects.select_related("group__course"),
        ),
        pk=pk,
    )
    form = RiskCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            risk_call_mark_done(
                enrolment_id=enrolment.pk, user=request.user, note=form.cleaned_data["note"]
            )
        except EnrolmentError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The call is marked done."))
        return redirect("wagtailadmin_home")
    title = _("Risk call")
    return TemplateResponse(
        request,
        "groups/admin/risk_call.html",
        {
            "enrolment": enrolment,
            "language": enrolment.get_language_display(),
            "answers": intake_answers_readable(enrolment.intake_answers),
            "enrolled": short_datetime(enrolment.created_at),
            "called": short_datetime(enrolment.risk_call_done_at),
            "form": form,
            "page_title": title,
            "header_title": title,
            "header_icon": "warning",
        },
    )
