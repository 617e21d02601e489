"""Where claim lines come from: one adapter per measure, turning another app's records into items.

An adapter is a function ``(*, cpas, start, end) -> iterable of ClaimItem`` returning every
reimbursable item of the CPAS whose period falls in ``start``–``end``, claimed or not; the
generation service leaves out what a live claim already holds. A source may also give a
``freeze(*, keys, reference, acting_user)`` function, called in the claim's transaction, so its
app never recomputes an amount once claimed. The adapters are in :mod:`reimbursements.adapters`;
tests may put a fake one in with :func:`overridden`.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cpas_portal.money import eur

from .rules import LEGISLATIONS


@dataclass(frozen=True)
class ClaimItem:
    """One reimbursable item, as the claim line will copy it.

    ``amount`` is signed: a regularisation (a recovery) is negative and becomes a line with sign −1.
    ``source_key`` names the source record once and for all (e.g. ``conventions.payment:42``).
    ``legislation`` is ``"2002"`` or ``"1965"`` (:func:`reimbursements.rules.legislation_of` the
    beneficiary's right type); it decides the form, the deadline and the group of the line.
    """

    source_key: str
    niss: str
    beneficiary_name: str
    covered_start: date
    covered_end: date
    amount: Decimal
    legal_basis: str
    legislation: str
    description: str = ""
    tier_code: str = ""
    partner: str = ""
    unconfirmed_rows: str = ""
    """``table@row date`` of each amount table not confirmed for the month (e.g. ``ris@2026-03-01``)."""

    def __post_init__(self):
        if len(self.source_key) > 80:
            raise ValueError("A source key holds at most 80 characters.")
        if self.legislation not in LEGISLATIONS:
            raise ValueError(f"The legislation of a line is one of {LEGISLATIONS}, not {self.legislation!r}.")
        object.__setattr__(self, "amount", eur(self.amount))


@dataclass(frozen=True)
class Source:
    gather: object
    freeze: object = None
    release: object = None
    still_unconfirmed: object = None
    unclaimed_amounts: object = None
    """Optional ``(*, cpas, start, end, claimed, covered_until=None) -> iterable of Unclaimed``: what
    :func:`gather` would give of the items not in ``claimed``, as the few facts a deadline needs, with the claimed
    ones left out (and the others counted) by the database (``claimed`` is a queryset of claim lines;
    :func:`claimed_filter` builds the test). Items whose period ends after ``covered_until`` (when given) may be
    left out too."""


@dataclass(frozen=True)
class Unclaimed:
    """What the deadline panel needs of items not yet claimed (:func:`unclaimed`): ``count`` items of one
    legislation whose periods end in the month of ``covered_end`` (on that day, for a single item), for ``amount``
    in all."""

    covered_end: date
    legislation: str
    amount: Decimal
    count: int = 1


_registry = {}


def register(measure, gather, *, freeze=None, release=None, still_unconfirmed=None, unclaimed_amounts=None):
    _registry[measure] = Source(gather, freeze, release, still_unconfirmed, unclaimed_amounts)


def _load_adapters():
    from . import adapters  # noqa: F401 — registers the adapters of the other apps


def source_for(measure):
    _load_adapters()
    try:
        return _registry[measure]
    except KeyError:
        raise LookupError(f"No source is registered for the measure {measure!r}.") from None


def adapter_for(measure):
    return source_for(measure).gather


def freeze(*, measure, keys, reference, acting_user):
    """Tell the source's app that these items are now claimed under ``reference``."""
    frozen = source_for(measure).freeze
    if frozen is not None and keys:
        frozen(keys=keys, reference=reference, acting_user=acting_user)


def release(*, measure, keys, acting_user):
    """Tell the source's app that these items are no longer claimed (their claim was cancelled or rejected)."""
    released = source_for(measure).release
    if released is not None and keys:
        released(keys=keys, acting_user=acting_user)


def still_unconfirmed(*, measure, lines):
    """Of claim lines marked "not confirmed", those whose amount tables are still not confirmed today, as
    ``(line, [table@row date, ...])``. Without a check from the source, every marked line stays so."""
    marked = [line for line in lines if line.unconfirmed]
    check = source_for(measure).still_unconfirmed
    if check is None:
        return [(line, line.unconfirmed_rows.split(",")) for line in marked]
    return [(line, pending) for line in marked if (pending := check(line))]


def gather(*, measure, cpas, start, end):
    """Every item of ``measure`` for ``cpas`` in the period, in a stable order."""
    items = list(adapter_for(measure)(cpas=cpas, start=start, end=end))
    keys = [item.source_key for item in items]
    if len(set(keys)) != len(keys):
        raise ValueError(f"The source of {measure!r} returned the same record twice.")
    return sorted(items, key=lambda item: (item.covered_start, item.beneficiary_name, item.source_key))


def claimed_filter(claimed, prefix, field="pk"):
    """A filter keeping the rows whose source key (``prefix`` + the row's ``field``) no line of ``claimed``
    holds: the database compares the keys, so a claimed row is never loaded.

    The lines are also narrowed to the keys starting with ``prefix`` (implied by the equality, but stated so
    that PostgreSQL reads only this source's keys, from the index of claim lines by source key, rather than
    every line of the CPAS)."""
    from django.db.models import CharField, Exists, OuterRef, Value
    from django.db.models.functions import Cast, Concat

    key = Concat(Value(prefix), Cast(OuterRef(field), output_field=CharField()), output_field=CharField())
    return ~Exists(claimed.filter(source_key__startswith=prefix, source_key=key))


def unclaimed(*, measure, cpas, start, end, claimed, covered_until=None):
    """The items of ``measure`` for ``cpas`` in the period that no line of ``claimed`` holds, as
    :class:`Unclaimed` facts: the same items as :func:`gather` minus the claimed ones, in any order. With
    ``covered_until``, items whose period ends after that day may be left out (the caller has no use for them).

    A source giving ``unclaimed_amounts`` leaves the claimed rows out in the database and computes only the
    others; for any other source, every item is gathered and the claimed ones dropped here (one query)."""
    source = source_for(measure)
    if source.unclaimed_amounts is not None:
        return list(source.unclaimed_amounts(cpas=cpas, start=start, end=end, claimed=claimed,
                                             covered_until=covered_until))
    return drop_claimed(gather(measure=measure, cpas=cpas, start=start, end=end), claimed)


def drop_claimed(items, claimed):
    """Of the claim ``items``, those no line of ``claimed`` holds, as :class:`Unclaimed` facts (one query)."""
    items = list(items)
    if not items:
        return []
    held = set(claimed.filter(source_key__in=[item.source_key for item in items])
               .values_list("source_key", flat=True))
    return [Unclaimed(item.covered_end, item.legislation, item.amount)
            for item in items if item.source_key not in held]


@contextmanager
def overridden(measure, adapter, freeze=None):
    """Use ``adapter`` for ``measure`` for the time of a block (tests, benchmarks)."""
    _load_adapters()
    previous = _registry.get(measure)
    _registry[measure] = Source(adapter, freeze)
    try:
        yield
    finally:
        if previous is None:
            _registry.pop(measure, None)
        else:
            _registry[measure] = previous
