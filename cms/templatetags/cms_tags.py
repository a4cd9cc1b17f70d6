from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from cms.selectors import helplines_for, page_translations

register = template.Library()


@register.inclusion_tag("includes/helplines.html", takes_context=True)
def helplines(context, variant: str = "bar"):
    return {"helplines": helplines_for(request=context.get("request")), "variant": variant}


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in every language; a page without a translation links to that
    language's home page instead of a 404."""
    request = context.get("request")
    page = context.get("page")
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    translations = page_translations(page) if page is not None and page.pk else {}
    links = []
    for code, _name in settings.LANGUAGES:
        translation = translations.get(code)
        if translation is not None:
            url = translation.get_url(request=request)
            # Catalogue filters are language-neutral: the visitor keeps their choices.
            if request is not None and request.GET:
                url = f"{url}?{request.GET.urlencode()}"
        elif page is not None:
            url = f"/{code}/"
        else:
            url = translate_url(request.get_full_path() if request else "/", code)
        # Each language is named in itself, so a reader finds their own whatever the page's.
        name = get_language_info(code)["name_local"]
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"links": links}
