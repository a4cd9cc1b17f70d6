"""The floor of the enrolment burst: what any Django implementation must pay for one enrolment
that cannot overbook. One durable transaction that locks the group row, counts the places held
and inserts one enrolment row, answered with a redirect like the real form. No form, no intake,
no audit entry, no e-mail, no page cache: the load run posts the same burst here and reports
the real enrolment's p95 as a multiple of this one's (`burst` / `floor`)."""

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from groups.models import Enrolment, Group


@csrf_exempt
@require_POST
def floor_enrol(request: HttpRequest, group_id: int) -> HttpResponse:
    with transaction.atomic(durable=True):
        group = Group.objects.select_for_update(of=("self",)).only("capacity").get(pk=group_id)
        held = Enrolment.objects.filter(group_id=group_id, status__in=Enrolment.HOLDS_PLACE)
        placed = held.count() < group.capacity
        Enrolment.objects.create(
            group=group,
            display_name=request.POST.get("display_name", ""),
            email=request.POST.get("email", ""),
            consent_text_version="bench",
            consented_at=timezone.now(),
            status=Enrolment.Status.CONFIRMED if placed else Enrolment.Status.WAITLISTED,
        )
    return HttpResponseRedirect("/")
