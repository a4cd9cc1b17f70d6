"""Enrolment: the group an enrolment form shows or is posted to, a manage link's enrolment,
and the groups whose free places wait for an offer."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from courses.models import CoursePage, IntakeQuestion
from groups.capacity import groups_with_places
from groups.models import Enrolment, Group
from groups.selectors.availability import GroupState, course_is_public, group_state
from groups.selectors.catalogue import meeting_count_subquery, with_facts


def group_for_enrolment(group_id: int) -> Group | None:
    """The group shown on the enrolment form, with its course, place, facilitators' profiles,
    places left and number of meetings: one query."""
    queryset = Group.objects.select_related(
        "course",
        "venue",
        "centre",
        "facilitator_1__facilitator_profile",
        "facilitator_2__facilitator_profile",
    ).filter(pk=group_id)
    return groups_with_places(queryset).annotate(meeting_count=meeting_count_subquery()).first()


def group_of_enrolment_for_mail(enrolment_id: int) -> Group | None:
    """The group of an enrolment as its e-mails describe it (`with_facts` adds the rest): one
    query, at sending time, so the facts are current and the enrolment's own write stays
    short."""
    queryset = Group.objects.select_related(
        "course",
        "venue",
        "centre",
        "facilitator_1__facilitator_profile",
        "facilitator_2__facilitator_profile",
    ).filter(enrolments__pk=enrolment_id)
    group = queryset.annotate(meeting_count=meeting_count_subquery()).first()
    if group is not None:
        with_facts([group])
    return group


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


def enrolment_for_token(token: str) -> Enrolment | None:
    """The enrolment behind a private manage link, with its group and meetings."""
    if not token or len(token) > 64:
        return None
    return (
        Enrolment.objects.select_related("group__course", "group__centre", "group__venue")
        .prefetch_related("group__meetings")
        .filter(manage_token=token)
        .first()
    )


def enrolments_for_roster(queryset: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    return queryset.select_related("group__course").order_by("group_id", "status", "created_at")


# A manage link keeps working this long after the group's last meeting, then expires.


MANAGE_LINK_DAYS_AFTER_END = 14


def manage_link_expired(enrolment: Enrolment, *, today=None) -> bool:

    ends_on = enrolment.group.ends_on
    if ends_on is None:
        return False
    today = today or timezone.localdate()
    return today > ends_on + dt.timedelta(days=MANAGE_LINK_DAYS_AFTER_END)


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
