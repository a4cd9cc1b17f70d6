"""Short links for text messages (docs/messages.md): /s/<code> leads to a longer address on
this site until it expires; erased with its owner's personal data.

    link = short_link_for(target=path, expires_at=when, owner=enrolment)
    short_link_url(link)                       # "https://.../s/3k7m9x2bqa", for a message
    short_links_erase(owner_model=Enrolment, owner_ids=[...])
"""

import datetime as dt
from collections.abc import Iterable

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


def short_link_for(
    *, target: str, expires_at: dt.datetime, owner: models.Model | None = None
) -> ShortLink:
    """The short link to `target` (a path on this site, e.g. from reverse()) that works until
    `expires_at`: an existing one for the same target, owner and expiry, else a new one (a
    message retried, or the same message in two channels, carries the same link)."""
    if not target.startswith("/") or target.startswith("//"):
        raise ValueError("A short link leads to a path on this site.")
    fields = {"target": target, "expires_at": expires_at, **_owner_fields(owner)}
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
