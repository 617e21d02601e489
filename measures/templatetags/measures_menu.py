"""What the main menu offers a user from the measures apps: entries only for those who may use them."""

from django import template

from cpas_portal.tenancy import is_administrator
from measures.allocation import may_allocate

register = template.Library()


@register.simple_tag
def may_allocate_budgets(user):
    """Whether ``user`` may allocate the social-economy budgets of every CPAS (an administrator)."""
    return may_allocate(user)


@register.simple_tag
def may_allocate_activation(user):
    """Whether ``user`` may allocate the social-activation subsidies across CPAS (a superuser)."""
    return is_administrator(user)
