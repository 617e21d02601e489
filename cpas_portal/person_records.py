"""Who reads what on a person's file: confidential case notes and documents (one rule for page, API, admin)."""

from django.db.models import Q

from .models import Role


def may_read_confidential(*, user, membership, beneficiary):
    """A confidential note is read by the person's referent and the CPAS's managers only."""
    if membership is None:
        return False
    return membership.role == Role.MANAGER or (beneficiary.referent_id is not None
                                               and beneficiary.referent_id == user.pk)


def readable_notes(queryset, *, user, membership):
    """``queryset`` of case notes less the confidential ones ``user`` may not read."""
    if membership is not None and membership.role == Role.MANAGER:
        return queryset
    return queryset.filter(Q(confidential=False) | Q(beneficiary__referent_id=user.pk))


def may_edit_note(*, user, membership, note):
    """A note is corrected by its author or a manager (it is signed by its author)."""
    return membership is not None and (membership.role == Role.MANAGER or note.author_id == user.pk)
