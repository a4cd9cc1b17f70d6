"""Admin screens for personal data: a person's own requests (find, export, erase) and what the
next retention run will erase. Both need `groups.manage_personal_data` and show a coordinator
only their centres' enrolments.

Contact details travel in POST bodies only, never in URLs (they would end up in access logs).
"""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.selectors.privacy import person_enrolments, person_interests
from groups.services.privacy import (
    person_data,
    person_data_erase,
    person_data_export_log,
    retention_preview,
)


class PersonLookupForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), required=False, max_length=30)

    def clean(self):
        data = super().clean()
        if not data.get("email") and not (data.get("phone") or "").strip():
            raise forms.ValidationError(gettext_lazy("Give an e-mail address or a phone number."))
        return data


@permission_required("groups.manage_personal_data", raise_exception=True)
def data_request(request):
    """Find a person's enrolments by the exact e-mail or phone they gave; export or erase them."""
    context = {
        "page_title": _("Data requests"),
        "header_title": _("A person's data: find, export, erase"),
        "header_icon": "user",
    }
    form = PersonLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = {"email": form.cleaned_data["email"], "phone": form.cleaned_data["phone"]}
        enrolments = list(person_enrolments(user=request.user, **contact))
        interests = person_interests(user=request.user, **contact)
        action = request.POST.get("action", "find")
        if (enrolments or interests) and action in ("json", "html"):
            return _export(request, enrolments, action, interests=interests)
        if (enrolments or interests) and action == "erase":
            erased = person_data_erase(
                enrolments=enrolments, interests=interests, user=request.user
            )
            messages.success(
                request,
                _("The person's data is erased from %(count)d enrolments.") % {"count": erased},
            )
            return redirect("groups_data_request")
        context["enrolments"] = enrolments
        context["interests"] = interests
        context["searched"] = True
    context["form"] = form
    return TemplateResponse(request, "groups/admin/data_request.html", context)


def _export(request, enrolments, fmt: str, *, interests=()) -> HttpResponse:
    data = person_data(enrolments=enrolments, interests=interests)
    person_data_export_log(enrolments=enrolments, user=request.user, fmt=fmt)
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    else:
        response = HttpResponse(
            render_to_string("groups/admin/data_request_export.html", {"data": data}, request),
            content_type="text/html; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@permission_required("groups.manage_personal_data", raise_exception=True)
def retention_report(request):
    """Dry run of the daily retention task: groups and counts, never names."""
    rows = retention_preview(user=request.user)
    return TemplateResponse(
        request,
        "groups/admin/retention_report.html",
        {
            "rows": rows,
            "total": sum(row["count"] for row in rows),
            "settings_retention_days": settings.RETENTION_DAYS,
            "page_title": _("Retention"),
            "header_title": _("Retention: what the next run will erase"),
            "header_icon": "bin",
        },
    )
