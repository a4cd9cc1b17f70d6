"""Template tags of the network's public pages: the expert directory's filters and listing are
built here, from the request's GET parameters, so that the page model needs no form or
selector (the same way the catalogue is built in `groups_tags`)."""

from django import template
from django.core.paginator import Paginator

from network.forms import DirectoryFilterForm
from network.selectors import experts_public_list

register = template.Library()

DIRECTORY_PAGE_SIZE = 50


@register.simple_tag(takes_context=True)
def expert_directory(context) -> dict:
    """The directory's filter form and one page of consenting, active experts."""
    request = context["request"]
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    experts = experts_public_list(
        county=filters.get("county") or None,
        language=filters.get("language") or None,
        variant=filters.get("variant") or None,
    )
    # A page at a time: the page keeps its size however large the network grows.
    page = Paginator(experts, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter_form": form,
        "experts": page,
        "count": page.paginator.count,
        "page_query": query.urlencode(),
    }
