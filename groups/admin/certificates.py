"""Certificates in the admin: which of a training's participants have one (the certificate
itself is public, behind the participant's manage token: `groups/views/public.py`)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from groups.admin.reports import user_sees_reports
from groups.models import Enrolment, Group
from groups.scope import groups_for_user
from groups.selectors.reports import enrolment_certificate


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
