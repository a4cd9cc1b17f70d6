"""Read queries for the site skeleton."""

import datetime as dt
import re

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

from cms.models import AccessibilityFeedback, HelplineSettings


def helplines_for(*, request: HttpRequest | None = None, language: str | None = None) -> dict:
    """The helplines to show, in the language of the page or e-mail.

    Without a request (e-mails, tasks) the default site's setting is used; with no site at all
    the model defaults still give the real numbers, so a helpline is never missing.
    """
    if request is not None:
        setting = HelplineSettings.for_request(request)
    else:
        site = Site.objects.filter(is_default_site=True).first()
        setting = HelplineSettings.for_site(site) if site else HelplineSettings()
    return setting.for_language(language or get_language())


def page_translations(page: Page) -> dict[str, Page]:
    """The live translations of a page keyed by language code, in one query."""
    translations = (
        Page.objects.live()
        .filter(translation_key=page.translation_key)
        .select_related("locale")
        .only("id", "url_path", "locale__language_code", "translation_key")
    )
    return {translation.locale.language_code: translation for translation in translations}


def page_translation_fallback(*, page: Page, language: str, translations: dict) -> Page | None:
    """Where a reader asking for a language this page lacks is sent: the page in the default
    language, else the nearest ancestor that exists in the asked language (a home page always
    does). `translations` is `page_translations(page)`."""
    default = translations.get(settings.LANGUAGE_CODE)
    if default is not None:
        return default
    keys = page.get_ancestors().filter(depth__gt=1).values("translation_key")
    return (
        Page.objects.live()
        .filter(translation_key__in=keys, locale__language_code=language)
        .order_by("-depth")
        .first()
    )


def locale_for(language_code: str) -> Locale | None:
    return Locale.objects.filter(language_code=language_code).first()


def page_search(*, query: str, language: str, limit: int = 30) -> list[Page]:
    """Live, public pages of one language matching the words, best first.

    Only the words of the query reach the search backend: quotes, brackets and operators typed
    by a visitor are not query syntax here (a lone `"` is an FTS5 syntax error on SQLite)."""
    locale = locale_for(language)
    words = " ".join(re.findall(r"\w+", query))
    if not words or locale is None:
        return []
    pages = Page.objects.live().public().filter(locale=locale)
    return list(pages.search(words)[:limit])


class _SettingValues(dict):
    """`{SETTING_NAME}` in a retention text reads the setting's current value."""

    def __missing__(self, key):
        return getattr(settings, key)


def privacy_notice() -> list[dict]:
    """What the system stores about people, read from the models themselves: every model that
    declares `personal_data` (cms.personal_data.PersonalData), with each of its fields but the
    primary key, links to other records and the ones it calls technical, by verbose name and
    help text; its purpose, retention (with the settings' values) and erasure."""
    records = []
    for model in apps.get_models():
        declared = getattr(model, "personal_data", None)
        if declared is None:
            continue
        fields = [
            {"name": declared.labels.get(field.name, field.verbose_name), "help": field.help_text}
            for field in model._meta.concrete_fields
            if not field.primary_key
            and not field.is_relation
            and field.name not in declared.technical
        ]
        records.append(
            {
                "label": model._meta.label_lower,
                "name": model._meta.verbose_name_plural,
                "purpose": declared.purpose,
                "retention": str(declared.retention).format_map(_SettingValues()),
                "erasure": declared.erasure,
                "fields": fields,
            }
        )
    return records


def accessibility_feedback_unanswered(*, limit: int = 10) -> tuple[int, list]:
    """How many accessibility messages wait for a reply, and the oldest `limit` of them, each
    with its reply deadline (`reply_due`: ACCESSIBILITY_FEEDBACK_REPLY_DAYS after it came)."""
    waiting = AccessibilityFeedback.objects.filter(replied_at__isnull=True)
    days = dt.timedelta(days=settings.ACCESSIBILITY_FEEDBACK_REPLY_DAYS)
    rows = list(waiting.order_by("received_at")[:limit])
    for row in rows:
        row.reply_due = row.received_at + days
    return waiting.count(), rows
