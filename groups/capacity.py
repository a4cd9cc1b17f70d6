"""Capacity: the group lock and places left. The only copy of both (STYLE rule 12).

**Places left.** A place is held by a confirmed enrolment, an open offer
(`Enrolment.HOLDS_PLACE`) or a place kept for someone who left an interest (an open
`PlaceHold`, docs/interest.md). A group may give as many places as its capacity; a residential
course also needs a bed for everyone holding a place, so once its venue's rooms are entered
its limit is the smaller of its capacity and its beds. Places left are the limit less the
places held, never below zero. Two forms of the same rule:

- `groups_with_places(queryset)`: the annotation every list uses (catalogue, merge targets,
  dashboard, residential screen, reports): `places_taken`, `places_held`, `waitlist_length`,
  `places_left`;
- `place_counts(group)`: the count for one group, inside the transaction that locked it
  (`group_lock`), so it stands until the commit; the enrolment services decide with it.

**The group lock.** Every change that gives or frees a place, or changes what a place is
(capacity, status, venue), takes `group_lock(group_id)`: the group row locked exclusively
(`SELECT ... FOR UPDATE OF` the group's own row: the joined course page stays free, or every
enrolment into any group of the course would wait, and editors could not publish it). A
newcomer who can only join the waiting list takes it shared (`shared=True`, `FOR SHARE`):
when a popular group opens, hundreds of them do not wait for one another, while a count
under either lock still stands until the commit (`groups.services.enrolment.enrolment_create`
tells how a newcomer who finds a place free starts again under the exclusive lock). A
function that locks two groups locks them in primary-key order.

On SQLite there are no row locks: every write transaction is IMMEDIATE (cms settings), so
it holds the database's write lock from its first statement and any read in it is already
exclusive; `group_lock` is then a plain read.

This module reads and locks; it imports no service, so selectors and services both use it.
"""

import functools
from dataclasses import dataclass

from django.db import connections
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.db.models.sql import Query
from django.db.models.sql.compiler import SQLCompiler

from courses.models import CourseFormat
from groups.models import Enrolment, Group, PlaceHold, Room

# --- The lock ---------------------------------------------------------------------------------


def row_locks() -> bool:
    """Whether the database locks rows (PostgreSQL). SQLite's IMMEDIATE transaction holds the
    whole database's write lock from its start: any read in it is already exclusive."""
    return connections[Group.objects.db].features.has_select_for_update_of


def group_locking(queryset: QuerySet[Group], *, shared: bool = False) -> QuerySet[Group]:
    """`queryset` (of groups) reading its rows locked until the transaction ends: exclusively,
    or `shared`. Only the group rows are locked, never the rows joined by `select_related`."""
    locked = queryset.select_for_update(of=("self",))
    if shared and row_locks():
        locked.query = locked.query.chain(klass=_SharedLockQuery)
    return locked


def group_lock(
    group_id: int, *, shared: bool = False, queryset: QuerySet[Group] | None = None
) -> Group:
    """The group row, locked exclusively (or `shared`) until the transaction ends, with its
    course read alongside (or as `queryset` reads it, e.g. with `.only()`). Raises
    `Group.DoesNotExist` for an unknown id."""
    if queryset is None:
        queryset = Group.objects.select_related("course")
    return group_locking(queryset, shared=shared).get(pk=group_id)


class _SharedLockCompiler:
    """Django's `select_for_update` has no shared mode (Django ticket #10088). The database's
    own compiler writes the query and its `FOR UPDATE OF ...` clause as usual; this mixin asks
    for the same clause in the shared mode. Nothing else of the statement is touched, and a
    Django that wrote the clause differently would fail here loudly rather than lock wrongly."""

    def as_sql(self, *args, **kwargs):
        sql, params = super().as_sql(*args, **kwargs)
        clause = self.connection.ops.for_update_sql(of=self.get_select_for_update_of_arguments())
        if not (clause.startswith("FOR UPDATE") and sql.endswith(clause)):
            raise RuntimeError(f"Cannot make a shared lock of {sql!r}")
        return sql.removesuffix(clause) + "FOR SHARE" + clause.removeprefix("FOR UPDATE"), params


@functools.cache
def _shared_lock_compiler(compiler: type[SQLCompiler]) -> type[SQLCompiler]:
    return type(f"SharedLock{compiler.__name__}", (_SharedLockCompiler, compiler), {})


class _SharedLockQuery(Query):
    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = super().get_compiler(using, connection, elide_empty)
        compiler.__class__ = _shared_lock_compiler(type(compiler))
        return compiler


# --- Places left ------------------------------------------------------------------------------


def group_beds(*, group: Group) -> int | None:
    """Beds of a residential course's venue, or None when beds do not limit it (not
    residential, no venue, or the venue's rooms not entered yet)."""
    if group.course.format != CourseFormat.RESIDENTIAL or not group.venue_id:
        return None
    total = Room.objects.filter(venue_id=group.venue_id).aggregate(total=Sum("beds"))["total"]
    return total or None


def place_limit(group: Group) -> int:
    """How many may hold a place in `group`: its capacity, and for a residential course also
    its venue's beds, whichever runs out first."""
    beds = group_beds(group=group)
    return group.capacity if beds is None else min(group.capacity, beds)


@dataclass(frozen=True)
class PlaceCounts:
    """One group's places, counted in one query (under its lock, for a decision)."""

    limit: int
    taken: int  # confirmed and open offers
    waiting: int  # on the waiting list
    same_contact: int = 0  # active enrolments with the contact asked about
    held: int = 0  # places kept for people who left an interest (open `PlaceHold`s)

    @property
    def left(self) -> int:
        return max(self.limit - self.taken - self.held, 0)

    @property
    def free_for_newcomer(self) -> bool:
        """A place is left and nobody waits for it: a place freed a moment ago belongs to the
        queue's first person, not to a newcomer."""
        return not self.waiting and self.left > 0


def place_counts(group: Group, *, email: str = "", phone: str = "") -> PlaceCounts:
    """Places taken, places kept and people waiting in `group`, and, given a contact
    (normalised), the group's active enrolments with that e-mail or phone: one query (and one
    for the beds of a residential course). Call it under `group_lock` to act on it."""
    same_contact = Q()
    if email:
        same_contact |= Q(email=email)
    if phone:
        same_contact |= Q(phone=phone)
    enrolments = Enrolment.objects.filter(group_id=OuterRef("pk"))
    counts = {
        "taken": _count(enrolments.filter(status__in=Enrolment.HOLDS_PLACE)),
        "waiting": _count(enrolments.filter(status=Enrolment.Status.WAITLISTED)),
        "held": _held_count(),
    }
    if same_contact:
        counts["same_contact"] = _count(
            enrolments.filter(same_contact, status__in=Enrolment.ACTIVE)
        )
    values = Group.objects.filter(pk=group.pk).values(**counts).get()
    return PlaceCounts(limit=place_limit(group), **values)


def _count(queryset: QuerySet) -> Coalesce:
    """How many rows of `queryset` (correlated to a group by `OuterRef`), as one subquery."""
    return Coalesce(
        Subquery(
            queryset.order_by().values("group_id").annotate(count=Count("pk")).values("count"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _held_count() -> Coalesce:
    """Open place holds of the group row (an index of open holds by group answers it)."""
    return _count(PlaceHold.objects.filter(group_id=OuterRef("pk"), status=PlaceHold.Status.OPEN))


def places_left(group: Group) -> int:
    """Places left in one group (`place_counts`); under `group_lock` it stands until commit."""
    return place_counts(group).left


def _place_limit_expression() -> Case:
    """`place_limit` as an expression of a group row (for `groups_with_places`)."""
    beds = Subquery(
        Room.objects.filter(venue_id=OuterRef("venue_id"))
        .order_by()
        .values("venue_id")
        .annotate(total=Sum("beds"))
        .values("total")[:1],
        output_field=IntegerField(),
    )
    return Case(
        When(
            course__format=CourseFormat.RESIDENTIAL,
            venue__isnull=False,
            then=Least(F("capacity"), Coalesce(beds, F("capacity"))),
        ),
        default=F("capacity"),
        output_field=IntegerField(),
    )


def groups_with_places(queryset: QuerySet[Group] | None = None) -> QuerySet[Group]:
    """`queryset` (every group by default) annotated with `places_taken` (confirmed + open
    offers), `places_held` (kept for interests), `waitlist_length` and `places_left`:
    `place_counts` for many groups at once."""
    queryset = Group.objects.all() if queryset is None else queryset
    return queryset.annotate(
        places_taken=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.HOLDS_PLACE)),
        waitlist_length=Count(
            "enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED)
        ),
        places_held=_held_count(),
    ).annotate(
        places_left=Greatest(
            Coalesce(_place_limit_expression(), Value(0))
            - Coalesce("places_taken", Value(0))
            - F("places_held"),
            Value(0),
            output_field=IntegerField(),
        )
    )
