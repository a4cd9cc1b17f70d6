from django import template

from groups.selectors import risk_flagged_waiting_count

register = template.Library()


@register.simple_tag
def risk_flagged_count() -> int:
    return risk_flagged_waiting_count()
