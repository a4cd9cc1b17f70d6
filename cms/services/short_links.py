"""Short links for text messages (docs/messages.md): /s/<code> leads to a longer address on
this site until it expires; erased with its owner's personal data.

    link = short_link_for(target=path, expires_at=when, owner=enrolment)
    short_link_url(link)                       # "https://.../s/3k7m9x2bqa", for a message
    short_links_erase(owner_model=Enrolment, owner_ids=[...])

A task that messages many people wraps its loop in `short_links_batched(owners=...)`: the
links those people already have are read in one query, the new ones written in one INSERT.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cms.links import absolute_url
from cms.models import ShortLink

# An expired link still answers "this link has expired" (410) for this long, then it is gone
# and answers "not found" (404) like any unknown code.
EXPIRED_KEPT_DAYS = 30


def _owner_fields(owner: models.Model | None) -> dict:
    if owner is None:
        return {"owner_type": None, "owner_id": None}
    return {"owner_type": ContentType.objects.get_for_model(owner), "owner_id": owner.pk}


def _link_key(fields: dict) -> tuple:
    owner_type = fields["owner_type"]
    owner_type_id = owner_type.pk if owner_type else None
    return (fields["target"], fields["expires_at"], owner_type_id, fields["owner_id"])


class _LinkBatch:
    """The links of a batch's owners as read once, and the new links made in it, unwritten."""

    def __init__(self, owners: Iterable[models.Model]):
        self.links: dict[tuple, ShortLink] = {}
        self.new: list[ShortLink] = []
        by_type: dict[ContentType, set[int]] = {}
        for owner in owners:
            by_type.setdefault(ContentType.objects.get_for_model(owner), set()).add(owner.pk)
        self.owners = {(owner_type.pk, pk) for owner_type, ids in by_type.items() for pk in ids}
        for owner_type, ids in by_type.items():
            # Newest first, so the oldest of equal links is the one kept (as `short_link_for`).
            for link in ShortLink.objects.filter(
                owner_type=owner_type, owner_id__in=ids, expires_at__gt=timezone.now()
            ).order_by("-pk"):
                key = (link.target, link.expires_at, link.owner_type_id, link.owner_id)
                self.links[key] = link

    def link_for(self, fields: dict) -> ShortLink | None:
        """The link, or None for an owner the batch did not read."""
        key = _link_key(fields)
        if key[2:] not in self.owners:
            return None
        if key not in self.links:
            self.links[key] = ShortLink(**fields)
            self.new.append(self.links[key])
        return self.links[key]


_batch: ContextVar[_LinkBatch | None] = ContextVar("short_link_batch", default=None)


@contextmanager
def short_links_batched(*, owners: Iterable[models.Model]) -> Iterator[None]:
    """Inside, `short_link_for` finds the links of `owners` in what one query read here, and
    makes new links (their codes, so their addresses, are known at once) that are written in
    one INSERT on leaving: a message to each of many people costs no query per person. Inside
    a batch already, the outer one reads and writes."""
    if _batch.get() is not None:
        yield
        return
    batch = _LinkBatch(owners)
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    ShortLink.objects.bulk_create(batch.new)


def short_link_for(
    *, target: str, expires_at: dt.datetime, owner: models.Model | None = None
) -> ShortLink:
    """The short link to `target` (a path on this site, e.g. from reverse()) that works until
    `expires_at`: an existing one for the same target, owner and expiry, else a new one (a
    message retried, or the same message in two channels, carries the same link). Within
    `short_links_batched`, read and written with the batch's other links."""
    if not target.startswith("/") or target.startswith("//"):
        raise ValueError("A short link leads to a path on this site.")
    fields = {"target": target, "expires_at": expires_at, **_owner_fields(owner)}
    batch = _batch.get()
    link = batch.link_for(fields) if batch is not None else None
    if link is not None:
        return link
    link = ShortLink.objects.filter(**fields).order_by("pk").first()
    return link or ShortLink.objects.create(**fields)


def short_link_url(link: ShortLink) -> str:
    """The link's full address, as a message carries it."""
    return absolute_url(reverse("short_link", kwargs={"code": link.code}))


def short_links_erase(*, owner_model: type[models.Model], owner_ids: Iterable[int]) -> int:
    """Delete the links of these owners (their personal data is being erased)."""
    owner_type = ContentType.objects.get_for_model(owner_model)
    deleted, _ = ShortLink.objects.filter(
        owner_type=owner_type, owner_id__in=list(owner_ids)
    ).delete()
    return deleted


def short_links_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete links that expired more than EXPIRED_KEPT_DAYS ago (daily, with retention)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=EXPIRED_KEPT_DAYS)
    deleted, _ = ShortLink.objects.filter(expires_at__lt=cutoff).delete()
    return deleted
