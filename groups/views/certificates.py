"""Attendance certificates of trainings: print-ready HTML in the reader's language."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from groups.models import Enrolment, Group
from groups.scope import groups_for_user
from groups.selectors.reports import enrolment_certificate
from groups.views.reports import user_sees_reports


def certificate(request, token: str):
    """Reached with an enrolment's private manage token (from the participant's manage page)."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("group__course", "group__centre"), manage_token=token
    )
    context = enrolment_certificate(enrolment=enrolment)
    if context is None:
        raise Http404
    return render(request, "groups/certificate.html", context)


def group_certificates(request, pk: int):
    """Admin: the training's participants and which of them have a certificate."""
    if not user_sees_reports(request.user):
        raise PermissionDenied
    group = get_object_or_404(
        groups_for_user(user=request.user, queryset=Group.objects.select_related("course")),
        pk=pk,
    )
    people = [
        (enrolment, enrolment_certificate(enrolment=enrolment) is not None)
        for enrolment in group.enrolments.filter(
            status__in=[Enrolment.Status.CONFIRMED, Enrolment.Status.COMPLETED]
        ).select_related("group__course")
    ]
    return render(request, "groups/admin/certificates.html", {"group": group, "people": people})
