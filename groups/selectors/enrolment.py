"""Enrolment: the group an enrolment form shows or is posted to, a manage link's enrolment,
and the groups whose free places wait for an offer."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from courses.models import CoursePage, IntakeQuestion
from groups.capacity import groups_with_places
from groups.models import Enrolment, Group, Meeting
from groups.selectors.availability import GroupState, course_is_public, group_state
from groups.selectors.catalogue import meeting_count_subquery, with_facts


def group_for_enrolment(group_id: int, *, facts: bool = True) -> Group | None:
    """The group shown on the enrolment form, with its course, place, facilitators' profiles,
    places left and number of meetings: one query. Without `facts`, only the course and places
    left, which is all a sent form needs to be taken (its state and questions): a lighter
    query for the enrolment POST, the busiest request when a group opens."""
    queryset = Group.objects.select_related("course").filter(pk=group_id)
    if not facts:
        return groups_with_places(queryset).first()
    queryset = queryset.select_related(
        "venue",
        "centre",
        "facilitator_1__facilitator_profile",
        "facilitator_2__facilitator_profile",
    )
    return groups_with_places(queryset).annotate(meeting_count=meeting_count_subquery()).first()


def _group_for_mail(**lookup) -> Group | None:
    queryset = Group.objects.select_related(
        "course",
        "venue",
        "centre",
        "facilitator_1__facilitator_profile",
        "facilitator_2__facilitator_profile",
    ).filter(**lookup)
    group = queryset.annotate(meeting_count=meeting_count_subquery()).first()
    if group is not None:
        with_facts([group])
    return group


def group_of_enrolment_for_mail(enrolment_id: int) -> Group | None:
    """The group of an enrolment as its e-mails describe it (`with_facts` adds the rest): one
    query, at sending time, so the facts are current and the enrolment's own write stays
    short."""
    return _group_for_mail(enrolments__pk=enrolment_id)


def group_for_mail(group_id: int) -> Group | None:
    """A group as an e-mail to someone without an enrolment in it describes it (a place kept
    for an interest): the same facts as `group_of_enrolment_for_mail`, in one query."""
    return _group_for_mail(pk=group_id)


def group_enrolment_state(group: Group) -> GroupState:
    """The state of one group (from `group_for_enrolment`) for its enrolment form."""
    return group_state(
        group=group, places_left=group.places_left, course_public=course_is_public(group.course)
    )


@dataclass(frozen=True)
class CourseInLanguage:
    """A group's course as a visitor of one language reads it: the page's translation in that
    language when it is published, else the group's own page, then `fallback_language` says
    which language it is in (the form marks its questions with it: never silently another)."""

    page: CoursePage
    questions: list[IntakeQuestion]
    fallback_language: str | None


def course_in_language(*, group: Group, language: str) -> CourseInLanguage:
    """The course page in `language` and its intake questions (each translation carries its
    own, translated with the page): two queries."""
    page = (
        CoursePage.objects.live()
        .filter(translation_key=group.course.translation_key, locale__language_code=language)
        .first()
    )
    fallback = None
    if page is None:
        page = group.course
        fallback = page.locale.language_code
    questions = IntakeQuestion.objects.filter(course_id=page.pk).order_by("sort_order", "pk")
    return CourseInLanguage(page=page, questions=list(questions), fallback_language=fallback)


def _enrolment_by(field: str, token: str) -> Enrolment | None:
    if not token or len(token) > 64:
        return None
    return (
        Enrolment.objects.select_related("group__course", "group__centre", "group__venue")
        .prefetch_related("group__meetings")
        .filter(**{field: token})
        .first()
    )


def enrolment_for_token(token: str) -> Enrolment | None:
    """The enrolment behind a private manage link, with its group and meetings."""
    return _enrolment_by("manage_token", token)


def enrolment_for_done_token(token: str) -> Enrolment | None:
    """The enrolment behind the page shown right after enrolling."""
    return _enrolment_by("done_token", token)


def enrolment_for_certificate_token(token: str) -> Enrolment | None:
    """The enrolment behind a certificate's address (the one a trainee gives an employer)."""
    return _enrolment_by("certificate_token", token)


def enrolments_for_roster(queryset: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    return queryset.select_related("group__course").order_by("group_id", "status", "created_at")


# --- When the private links expire (docs/privacy.md) ---------------------------------------

# A manage link keeps working this long after the group's last meeting, then expires.
MANAGE_LINK_DAYS_AFTER_END = 14


def group_last_day(group: Group, *, fallback: dt.date) -> dt.date:
    """The group's last meeting day: its end date, else its last meeting not cancelled (from
    `group.meetings.all()`, prefetched by the token selectors), else its start date, else
    `fallback`."""
    if group.ends_on:
        return group.ends_on
    days = [
        timezone.localdate(meeting.starts_at)
        for meeting in group.meetings.all()
        if meeting.status != Meeting.Status.CANCELLED
    ]
    return max(days) if days else (group.starts_on or fallback)


def manage_link_expires_on(enrolment: Enrolment) -> dt.date:
    """Two weeks after the last meeting, never after the retention erasure. A group with no
    end date and no meetings yet counts from the enrolment itself."""
    enrolled_on = timezone.localdate(enrolment.created_at)
    last_day = group_last_day(
        enrolment.group, fallback=enrolled_on + dt.timedelta(days=settings.RETENTION_DAYS)
    )
    days = min(MANAGE_LINK_DAYS_AFTER_END, settings.RETENTION_DAYS)
    return last_day + dt.timedelta(days=days)


def manage_link_expired(enrolment: Enrolment, *, today=None) -> bool:
    return (today or timezone.localdate()) > manage_link_expires_on(enrolment)


def done_link_expired(enrolment: Enrolment, *, now=None) -> bool:
    """The page after enrolling is for that moment: DONE_LINK_HOURS, then gone."""
    expires_at = enrolment.created_at + dt.timedelta(hours=settings.DONE_LINK_HOURS)
    return (now or timezone.now()) > expires_at


def certificate_valid_until(enrolment: Enrolment) -> dt.date:
    """A certificate's address works CERTIFICATE_LINK_DAYS after the training's last day, and
    never after the retention erasure (which removes the name it shows)."""
    last_day = group_last_day(enrolment.group, fallback=timezone.localdate(enrolment.created_at))
    days = min(settings.CERTIFICATE_LINK_DAYS, settings.RETENTION_DAYS)
    return last_day + dt.timedelta(days=days)


def groups_with_free_places_and_queue() -> list[int]:
    """Groups where a place is free while people wait: a lost offer task is caught up."""
    offering = [Group.Status.OPEN, Group.Status.FULL, Group.Status.RUNNING]
    return list(
        groups_with_places(Group.objects.filter(status__in=offering))
        .filter(places_left__gt=0, waitlist_length__gt=0)
        .values_list("pk", flat=True)
    )


# --- Facilitator portal ------------------------------------------------------------------------

# Groups a facilitator works with in the portal: those that will run or are running.


# What the enrolment POST needs of its group (the checks, the new enrolment, its first e-mail):
# the group's other fields, and the course page's content, are left unread.
ENROLMENT_POST_FIELDS = (
    "name",
    "status",
    "capacity",
    "enrolment_opens",
    "enrolment_closes",
    "starts_on",
    "ends_on",
    "venue",
    "course__title",
    "course__live",
    "course__translation_key",
    "course__locale",
    "course__format",
    "course__requires_approval",
)


def enrolment_post_queryset() -> QuerySet[Group]:
    """Groups as an enrolment POST reads them: with their course, only the fields it needs.
    The enrolment service reads the posted group through this under the group lock."""
    return Group.objects.select_related("course").only(*ENROLMENT_POST_FIELDS)


def queue_position(enrolment: Enrolment) -> int | None:
    """The person's place in the waiting list (1 = next to be offered), in the order offers
    are made (`queued_at`, then `pk`); None when they are not waiting."""
    if enrolment.status != Enrolment.Status.WAITLISTED or enrolment.queued_at is None:
        return None
    ahead = Enrolment.objects.filter(
        Q(queued_at__lt=enrolment.queued_at)
        | Q(queued_at=enrolment.queued_at, pk__lt=enrolment.pk),
        group_id=enrolment.group_id,
        status=Enrolment.Status.WAITLISTED,
    ).count()
    return ahead + 1
