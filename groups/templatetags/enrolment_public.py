from django import template

from cms.selectors import helplines_for

register = template.Library()


@register.simple_tag(takes_context=True)
def crisis_helplines(context) -> dict:
    """The helplines for the crisis notice (the footer's own block keeps its heading id)."""
    return helplines_for(request=context.get("request"))
