"""Personal data: who exported it, erasing it after the retention period, and a person's own
requests (export, erasure).

Erasing keeps every row and every figure the reports count (status, dates, attendance, the risk
flag): only what points to a person goes. Every model that holds a participant's personal
data adds one step to PERSONAL_DATA_ERASERS; retention and erasure on request both run the
whole list.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from cms.services.audit import log_entries_relabel
from cms.services.short_links import short_links_erase
from groups.capacity import group_lock
from groups.models import (
    Apology,
    Attendance,
    Enrolment,
    FollowUp,
    Group,
    OutboxMessage,
    Stay,
    new_manage_token,
)
from groups.selectors.privacy import ERASED_ERROR, retention_due_enrolments
from groups.services.enrolment import PRIVATE_KEYS, enrolment_log, offer_next_on_commit
from groups.services.interest import interest_erase, interests_remind_and_end
from groups.services.residential import stays_erase

# What an erased enrolment keeps in place of its name (the admin shows "#<id>" beside it).
ERASED_NAME = ""


def enrolments_personal_data_erase(*, enrolment_ids: list[int], now: dt.datetime) -> int:
    """Name, contact, needs, intake answers and free text of the enrolments; the private links
    stop working. Status, dates and the risk flag stay for the reports."""
    rows = list(
        Enrolment.objects.filter(pk__in=enrolment_ids, anonymised_at__isnull=True).only("pk")
    )
    for row in rows:
        # Fresh random keys: the old links (manage, done page, certificate) lead nowhere.
        for name in PRIVATE_KEYS:
            setattr(row, name, new_manage_token())
    Enrolment.objects.bulk_update(rows, list(PRIVATE_KEYS), batch_size=500)
    return Enrolment.objects.filter(pk__in=[row.pk for row in rows]).update(
        display_name=ERASED_NAME,
        email="",
        phone="",
        interpreter_language="",
        accessibility_needs="",
        intake_answers={},
        decline_message="",
        risk_call_note="",
        anonymised_at=now,
        updated_at=now,
    )


def outbox_personal_data_erase(*, enrolment_ids: list[int], now: dt.datetime) -> int:
    """The e-mails and text messages to the enrolments: address or number and context go;
    unsent ones never go."""
    messages = OutboxMessage.objects.filter(enrolment_id__in=enrolment_ids)
    messages.filter(status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENDING]).update(
        status=OutboxMessage.Status.FAILED, next_attempt_at=None, last_error=ERASED_ERROR
    )
    return messages.exclude(recipient="", context={}).update(recipient="", context={})


def audit_personal_data_erase(*, enrolment_ids: list[int], now: dt.datetime) -> int:
    """Audit entries about the enrolments and their stays, attendance, apologies, follow-ups
    and e-mails are labelled by number (entries written before that rule carried the person's
    name)."""
    changed = log_entries_relabel(model=Enrolment, object_ids=enrolment_ids)
    for model in (Stay, Attendance, Apology, FollowUp, OutboxMessage):
        ids = model.objects.filter(enrolment_id__in=enrolment_ids).values_list("pk", flat=True)
        changed += log_entries_relabel(model=model, object_ids=ids)
    return changed


def short_links_personal_data_erase(*, enrolment_ids: list[int], now: dt.datetime) -> int:
    """The short links of the enrolments' text messages: they would lead to their pages."""
    return short_links_erase(owner_model=Enrolment, owner_ids=enrolment_ids)


# Every step that erases a participant's personal data, in order. Each takes the enrolments'
# ids and the time of erasure (keyword-only) and returns how many rows it changed. A new model
# holding a participant's data adds its step here (e.g. residential stays).
PERSONAL_DATA_ERASERS: list[Callable[..., int]] = [
    audit_personal_data_erase,
    outbox_personal_data_erase,
    short_links_personal_data_erase,
    stays_erase,
    enrolments_personal_data_erase,
]


def personal_data_erase(*, enrolment_ids: Iterable[int], now: dt.datetime | None = None) -> int:
    """Run every eraser on the enrolments in one transaction; returns how many were erased."""
    enrolment_ids = list(enrolment_ids)
    now = now or timezone.now()
    if not enrolment_ids:
        return 0
    erased = 0
    with transaction.atomic():
        for eraser in PERSONAL_DATA_ERASERS:
            changed = eraser(enrolment_ids=enrolment_ids, now=now)
            if eraser is enrolments_personal_data_erase:
                erased = changed
    return erased


# --- Retention -------------------------------------------------------------------------------


def retention_preview(*, today: dt.date | None = None, user=None) -> list[dict]:
    """What the next retention run would erase: per group, how many enrolments. No names.

    With a user, only the groups of their centres (the admin report)."""
    from groups.scope import centre_scope

    queryset = retention_due_enrolments(today=today)
    if user is not None:
        queryset = centre_scope(queryset, user=user)
    counts = Counter(queryset.values_list("group_id", flat=True))
    groups = Group.objects.filter(pk__in=counts).select_related("course", "centre")
    return [
        {"group": group, "count": counts[group.pk], "ended": group.ends_on or group.starts_on}
        for group in sorted(groups, key=lambda group: (group.ends_on or group.starts_on, group.pk))
    ]


def retention_erase_due(*, today: dt.date | None = None) -> int:
    """Erase the personal data of enrolments whose group ended more than RETENTION_DAYS ago,
    group by group; each group's erasure is one log entry (counts only). Interests whose time
    has ended are erased whole, after one reminder (`interests_remind_and_end`). Safe to
    rerun."""
    now = timezone.now()
    interests_remind_and_end(now=now)
    due = retention_due_enrolments(today=today).values_list("group_id", "pk")
    by_group: dict[int, list[int]] = {}
    for group_id, enrolment_id in due:
        by_group.setdefault(group_id, []).append(enrolment_id)
    total = 0
    for group_id, enrolment_ids in by_group.items():
        with transaction.atomic():
            erased = personal_data_erase(enrolment_ids=enrolment_ids, now=now)
            group = Group.objects.get(pk=group_id)
            log(
                group,
                "groups.group.personal_data_erased",
                title=f"#{group.pk}",
                data={"enrolments": erased, "retention_days": settings.RETENTION_DAYS},
            )
        total += erased
    return total


# --- A person's own requests -------------------------------------------------------------------


def contact_data_exported_log(*, enrolments: Iterable[Enrolment], user, how: str) -> None:
    """Someone took contact data out of the system: one entry per group, counts only."""
    per_group = Counter(enrolment.group_id for enrolment in enrolments)
    groups = Group.objects.in_bulk(list(per_group))
    for group_id, count in per_group.items():
        log(
            groups[group_id],
            "groups.group.contacts_exported",
            user=user,
            title=f"#{group_id}",
            data={"rows": count, "how": how},
        )


def contact_data_viewed_log(*, group: Group, user) -> None:
    """A facilitator saw the roster with e-mails and phones (FACILITATORS_SEE_CONTACTS)."""
    log(group, "groups.group.contacts_viewed", user=user, title=f"#{group.pk}")


def _stay_data(enrolment: Enrolment) -> dict | None:
    """A residential stay's details (diet, allergies, travel, room), if the person has one."""
    stay = getattr(enrolment, "stay", None)
    if stay is None:
        return None
    return {
        "arrives_on": stay.arrives_on.isoformat(),
        "departs_on": stay.departs_on.isoformat(),
        "travel_mode": stay.travel_mode,
        "arrival_time": stay.arrival_time.isoformat() if stay.arrival_time else None,
        "pickup_wanted": stay.pickup_wanted,
        "single_room": stay.single_room,
        "roommate_wish": stay.roommate_wish,
        "diet": stay.diet,
        "gluten_free": stay.gluten_free,
        "lactose_free": stay.lactose_free,
        "allergies": stay.allergies,
        "accessible_room": stay.accessible_room,
        "room": str(stay.room) if stay.room_id else None,
    }


def person_data(*, enrolments: Iterable[Enrolment], interests: Iterable = ()) -> dict:
    """Everything the system holds on the person, for the export (JSON and HTML): their
    enrolments and their waiting interests."""
    records = []
    for enrolment in enrolments:
        records.append(
            {
                "enrolment": enrolment.pk,
                "group": str(enrolment.group),
                "centre": str(enrolment.group.centre or ""),
                "status": enrolment.status,
                "display_name": enrolment.display_name,
                "email": enrolment.email,
                "phone": enrolment.phone,
                "language": enrolment.language,
                "interpreter_language": enrolment.interpreter_language,
                "accessibility_needs": enrolment.accessibility_needs,
                "intake_answers": enrolment.intake_answers,
                "risk_flagged": enrolment.risk_flagged,
                "risk_call_note": enrolment.risk_call_note,
                "consent_text_version": enrolment.consent_text_version,
                "consented_at": enrolment.consented_at.isoformat(),
                "enrolled_at": enrolment.created_at.isoformat(),
                "decline_message": enrolment.decline_message,
                "attendance": [
                    {
                        "meeting": timezone.localtime(attendance.meeting.starts_at).isoformat(),
                        "status": attendance.status,
                    }
                    for attendance in enrolment.attendances.all()
                ],
                "apologies": [
                    timezone.localtime(apology.meeting.starts_at).isoformat()
                    for apology in enrolment.apologies.all()
                ],
                "stay": _stay_data(enrolment),
                "emails": [
                    {
                        "message": message.template,
                        "status": message.status,
                        "created_at": message.created_at.isoformat(),
                    }
                    for message in enrolment.outbox_messages.all()
                ],
            }
        )
    return {
        "exported_at": timezone.now().isoformat(),
        "enrolments": records,
        "interests": [
            {
                "interest": interest.pk,
                "display_name": interest.display_name,
                "email": interest.email,
                "phone": interest.phone,
                "towns": [town.town for town in interest.towns.all()],
                "online": interest.online,
                "language": interest.language,
                "earliest_start": interest.earliest_start.isoformat()
                if interest.earliest_start
                else None,
                "latest_start": interest.latest_start.isoformat()
                if interest.latest_start
                else None,
                "consent_text_version": interest.consent_text_version,
                "consented_at": interest.consented_at.isoformat(),
                "ends_at": interest.expires_at.isoformat(),
            }
            for interest in interests
        ],
    }


def person_data_export_log(*, enrolments: Iterable[Enrolment], user, fmt: str) -> None:
    for enrolment in enrolments:
        enrolment_log(enrolment, "groups.enrolment.data_exported", user=user, data={"format": fmt})


def person_data_erase(*, enrolments: Iterable[Enrolment], user, interests: Iterable = ()) -> int:
    """Erase on the person's request: an active enrolment is cancelled first (no e-mail: the
    person asked to be forgotten), and a place it held goes to the waiting list. Their waiting
    interests are erased whole, each in its own transaction (a place one kept goes on)."""
    for interest in interests:
        interest_erase(interest_id=interest.pk, action="groups.interest.erased")
    enrolments = list(enrolments)
    if not enrolments:
        return 0
    freed_groups = set()
    with transaction.atomic(durable=True):
        for group_id in sorted({enrolment.group_id for enrolment in enrolments}):
            group_lock(group_id)
        for enrolment in Enrolment.objects.filter(
            pk__in=[enrolment.pk for enrolment in enrolments], status__in=Enrolment.ACTIVE
        ):
            if enrolment.status in Enrolment.HOLDS_PLACE:
                freed_groups.add(enrolment.group_id)
            enrolment.status = Enrolment.Status.CANCELLED
            enrolment.offer_expires_at = None
            enrolment.save(update_fields=["status", "offer_expires_at", "updated_at"])
            enrolment_log(enrolment, "groups.enrolment.cancelled", user=user)
        erased = personal_data_erase(enrolment_ids=[enrolment.pk for enrolment in enrolments])
        for enrolment in enrolments:
            enrolment_log(enrolment, "groups.enrolment.erased", user=user)
        for group_id in freed_groups:
            offer_next_on_commit(group_id)
    return erased
