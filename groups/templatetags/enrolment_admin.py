from django import template

from groups.selectors.dashboard import risk_calls_waiting

register = template.Library()


@register.simple_tag(takes_context=True)
def risk_flagged_count(context) -> int:
    """Risk answers waiting for a call in the centres of the user looking at the listing."""
    return risk_calls_waiting(user=context["request"].user).count()
