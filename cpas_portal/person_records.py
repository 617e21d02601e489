"""Who reads what on a person's file: confidential case notes and documents (one rule for page, API, admin)."""

from django.db.models import Q

from .models import Role


def may_read_confidential(*, user, membership, beneficiary):
    """A confidential note is read by the person's referent and the CPAS's managers only."""
    if membership is None:
        return False
    return membership.role == Role.MANAGER or (beneficiary.referent_id is not None
                                               and beneficiary.referent_id == user.pk)


def reads_every_note(membership):
    """The CPAS's managers read every note, confidential ones included."""
    return membership is not None and membership.role == Role.MANAGER


def notes_readable_by(user_id):
    """The notes someone who is not a manager may read: those not confidential, and every note of the people
    they are the referent of."""
    return Q(confidential=False) | Q(beneficiary__referent_id=user_id)


def readable_notes(queryset, *, user, membership):
    """``queryset`` of case notes less the confidential ones ``user`` may not read."""
    if reads_every_note(membership):
        return queryset
    return queryset.filter(notes_readable_by(user.pk))


def may_edit_note(*, user, membership, note):
    """A note is corrected by its author or a manager (it is signed by its author)."""
    return membership is not None and (membership.role == Role.MANAGER or note.author_id == user.pk)
