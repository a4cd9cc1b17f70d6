from django import forms, template
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info, gettext_lazy
from wagtail.models import Page

from cms import links
from cms.models import CrisisCentre, text_in_language, text_is_fallback
from cms.selectors import helplines_for, page_translation_fallback, page_translations
from cms.towns import town_name

register = template.Library()


@register.simple_tag(takes_context=True)
def get_helplines(context) -> dict:
    """The helplines a template shows: those already given to it (an e-mail in its recipient's
    language, the static error page made without a database), else the site setting's for the
    request's language."""
    return context.get("helplines") or helplines_for(request=context.get("request"))


@register.inclusion_tag("includes/helplines.html", takes_context=True)
def helplines(context, variant: str = "bar", heading_id: str = "helplines-heading"):
    """`{% helplines "bar" %}` (compact), `"full"` (with a heading) or `"list"` (the list only)."""
    return {"helplines": get_helplines(context), "variant": variant, "heading_id": heading_id}


# The query parameter that asks a page to say it is shown instead of one missing in a language.
UNAVAILABLE_PARAM = "unavailable"

# Said in the language the reader asked for (the page itself is in another one).
UNAVAILABLE_NOTICES = {
    ("sv", "fi"): gettext_lazy(
        "This page is not available in Swedish; showing the Finnish version."
    ),
    ("en", "fi"): gettext_lazy(
        "This page is not available in English; showing the Finnish version."
    ),
}
UNAVAILABLE_NEAREST = gettext_lazy(
    "The page you were on is not available in this language; this is the nearest page that is."
)


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in every language. A page missing in a language links to the page in
    the default language (or the nearest ancestor in that language), which then says so: never
    a 404."""
    request = context.get("request")
    page = context.get("page")
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    translations = page_translations(page) if page is not None and page.pk else {}
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query.pop(UNAVAILABLE_PARAM, None)
    links = []
    for code, _name in settings.LANGUAGES:
        translation = translations.get(code)
        if translation is not None:
            url = translation.get_url(request=request)
            # Catalogue filters are language-neutral: the visitor keeps their choices.
            if query:
                url = f"{url}?{query.urlencode()}"
        elif page is not None and page.pk:
            fallback = page_translation_fallback(
                page=page, language=code, translations=translations
            )
            url = f"/{code}/"
            if fallback is not None:
                url = f"{fallback.get_url(request=request)}?{UNAVAILABLE_PARAM}={code}"
        elif page is not None:
            url = f"/{code}/"
        else:
            url = translate_url(request.get_full_path() if request else "/", code)
        # Each language is named in itself, so a reader finds their own whatever the page's.
        name = get_language_info(code)["name_local"]
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"links": links}


@register.inclusion_tag("includes/translation_notice.html", takes_context=True)
def translation_notice(context):
    """On a page reached from the language switcher for a language it lacks: a notice, in the
    language asked for, saying what is shown instead."""
    request = context.get("request")
    page = context.get("page")
    asked = request.GET.get(UNAVAILABLE_PARAM, "") if request is not None else ""
    if not isinstance(page, Page) or asked not in dict(settings.LANGUAGES):
        return {"notice": None}
    shown = page.locale.language_code
    if asked == shown:
        message = UNAVAILABLE_NEAREST
    else:
        message = UNAVAILABLE_NOTICES.get((asked, shown), UNAVAILABLE_NEAREST)
    with translation.override(asked):
        return {"notice": str(message), "language": asked}


@register.simple_tag
def absolute_url(path: str) -> str:
    """`{% absolute_url path %}`: the path on BASE_URL, for links that leave the site (e-mails)."""
    return links.absolute_url(path)


@register.simple_tag(takes_context=True)
def page_absolute_url(context, page) -> str:
    """`{% page_absolute_url page %}`: a page's address on BASE_URL (canonical link, og:url)."""
    return links.page_absolute_url(page, request=context.get("request"))


def _error_target(bound_field) -> str:
    """The id an error summary links to: the input itself, or a radio group's first radio."""
    if isinstance(bound_field.field.widget, forms.RadioSelect):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.simple_tag
def form_error_list(*forms) -> list[dict]:
    """Every error of the forms given, in page order: {"text", "target"} (target empty for an
    error of the whole form). The error summary lists them, each linking to its field."""
    errors = []
    for form in forms:
        if not form or not getattr(form, "errors", None):
            continue
        errors += [{"text": text, "target": ""} for text in form.non_field_errors()]
        for bound_field in form:
            errors += [
                {"text": f"{bound_field.label}: {text}", "target": _error_target(bound_field)}
                for text in bound_field.errors
            ]
    return errors


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms):
    """GOV.UK's error summary: `{% error_summary form other_form %}` at the top of a form."""
    return {"errors": form_error_list(*forms)}


@register.inclusion_tag("includes/quick_exit.html")
def quick_exit():
    """GOV.UK's "Exit this page": a button to a neutral site (settings.QUICK_EXIT_URL), its
    keyboard shortcut said in words and the page on staying safe online."""
    return {"exit_url": settings.QUICK_EXIT_URL, "safety_url": reverse("staying_safe")}


@register.filter
def fallback_lang(page) -> str:
    """` lang="fi"` on the title of a page that shows the default language's text in another
    language's tree (an alias of an untranslated page). Reads only ids: no query in a list."""
    default = settings.LANGUAGE_CODE[:2]
    if page is None or getattr(page, "alias_of_id", None) is None:
        return ""
    if (get_language() or default)[:2] == default:
        return ""
    return format_html(' lang="{}"', default)


@register.filter
def in_language(instance, field: str):
    """`{{ centre|in_language:"name" }}`: the field in the page's language (the one rule,
    `cms.models.text_in_language`), the Finnish text it falls back to wrapped in
    `<span lang="fi">` on Swedish and English pages. A field with no Swedish or English copy at
    all (a street address, a venue's or a group's own name) is Finnish text, marked the same."""
    text = text_in_language(instance, field)
    if text and text_is_fallback(instance, field):
        return format_html('<span lang="fi">{}</span>', text)
    return text


@register.filter
def town(name: str) -> str:
    """A town as a reader of the page's language knows it (Åbo on Swedish pages)."""
    return town_name(name, (get_language() or settings.LANGUAGE_CODE)[:2])


@register.simple_tag
def search_centre_names_mark(results) -> str:
    """Give each crisis-centre result of the site search `title_lang` ("fi") when its name has
    no translation in the page's language, so the page marks the Finnish name: one query."""
    by_pk = {}
    for result in results:
        if getattr(result, "source", "").startswith("cms.crisiscentre:"):
            by_pk.setdefault(int(result.source.partition(":")[2]), []).append(result)
    if not by_pk:
        return ""
    fields = ["name", *(f"name_{code}" for code, _name in settings.LANGUAGES if code != "fi")]
    for centre in CrisisCentre.objects.filter(pk__in=list(by_pk)).only("pk", *fields):
        if text_is_fallback(centre, "name"):
            for result in by_pk[centre.pk]:
                result.title_lang = settings.LANGUAGE_CODE[:2]
    return ""
