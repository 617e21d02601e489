"""Writes on the authentication records."""

import logging

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ..models import Membership, Role
from ..tenancy import membership_of

log = logging.getLogger(__name__)


def lockout_lift(*, acting_user, username):
    """A manager lifts the login lock of an account of their CPAS (the addresses' locks stay)."""
    membership = membership_of(acting_user)
    if membership is None or membership.role != Role.MANAGER:
        raise PermissionDenied(_("Only a manager may unlock an account."))
    user = get_object_or_404(get_user_model(), username=username, membership__cpas=membership.cpas)
    count = AxesProxyHandler.reset_attempts(username=user.get_username())
    log.info("Login lock of user %s lifted by user %s (%d records).", user.pk, acting_user.pk, count)
    return count


def membership_language_set(*, acting_user, language):
    """The user's own interface language ("" follows the browser); recorded in the membership's history.
    A user without a membership (an administrator) keeps the selector's cookie only."""
    membership = membership_of(acting_user)
    if membership is None:
        return None
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.language != language:
            membership.language = language
            membership.full_clean()
            membership.save(update_fields=["language"])
    return membership
