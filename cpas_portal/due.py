"""What falls due: the items a caseworker, a manager or a finance officer must act on.

The kernel never imports a measure app (arrows point down): each app that knows of deadlines
registers a provider in its ``AppConfig.ready()``; the home pages and the daily notification job
gather here.

A provider is ``(*, cpas, on, until, referent_ids=None) -> iterable of DueItem``: every item of
``cpas`` that is overdue on ``on`` or falls due on or before ``until``. ``referent_ids`` (a
collection of user ids) narrows caseworker items to the people those caseworkers follow; ``None``
means every caseworker of the CPAS. A provider is set-based: it runs a fixed number of queries,
whatever the number of items or caseworkers.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

CASEWORKER = "caseworker"
FINANCE = "finance"
MANAGER = "manager"


@dataclass(frozen=True)
class DueItem:
    """One thing to do by a date.

    ``key`` names the item once and for all (e.g. ``piis.conclude:42``): the daily job records a
    notification per key and due date, so running it twice adds nothing. ``audience`` is the role
    whose home page shows it; caseworker items carry the person and their referent.
    """

    key: str
    kind: str
    due: date
    reason: str
    source: str
    url: str
    audience: str = CASEWORKER
    beneficiary_id: int | None = None
    beneficiary_name: str = ""
    referent_id: int | None = None
    amount: Decimal | None = None
    """Money the item is about, when it is (an amount to claim, a claim still unpaid)."""
    beneficiary_niss_masked: str = ""
    """The person's national number masked (``85.07.30-***.**``): never the full number here."""

    def is_overdue(self, on):
        return self.due < on


def person(beneficiary):
    """The person fields of a caseworker item, from a beneficiary (loaded with the item's own query)."""
    return {"beneficiary_id": beneficiary.pk, "beneficiary_name": str(beneficiary),
            "beneficiary_niss_masked": beneficiary.niss_masked, "referent_id": beneficiary.referent_id}


PERSON_VALUES = ("id", "first_name", "last_name", "niss", "referent_id")


def person_values(prefix="beneficiary__"):
    """The columns :func:`person_from_values` reads, for a provider reading many rows with ``.values()``."""
    return [prefix + name for name in PERSON_VALUES]


def person_only(prefix="beneficiary__"):
    """``.only()`` arguments loading of the person no more than :func:`person` reads."""
    return [prefix + name for name in PERSON_VALUES if name != "id"]


def person_from_values(row, prefix="beneficiary__"):
    from .identifiers import niss_masked

    return {"beneficiary_id": row[prefix + "id"],
            "beneficiary_name": f"{row[prefix + 'last_name'].upper()} {row[prefix + 'first_name']}",
            "beneficiary_niss_masked": niss_masked(row[prefix + "niss"]), "referent_id": row[prefix + "referent_id"]}


def narrowed(queryset, referent_ids, path="beneficiary__referent_id"):
    """``queryset`` limited to the people followed by ``referent_ids`` (every person when ``None``)."""
    if referent_ids is None:
        return queryset
    return queryset.filter(**{f"{path}__in": list(referent_ids)})


def url_maker(name, placeholder=987654321):
    """``pk -> URL`` of the named route taking one integer: reversed once, then filled per item (a caseworker's
    list holds hundreds of items, and reversing each one costs more than the rest of the item)."""
    from django.urls import reverse

    head, tail = reverse(name, args=[placeholder]).split(str(placeholder), 1)
    return lambda pk: f"{head}{pk}{tail}"


_providers = {}
_audiences = {}


def register(name, provider, audiences=None):
    """Register ``provider``; ``audiences`` (optional) names the roles its items are for, so a page that
    wants only other roles' items does not run it."""
    _providers[name] = provider
    _audiences[name] = frozenset(audiences) if audiences is not None else None


def registered():
    return dict(_providers)


def due_items(*, cpas, on, until, referent_ids=None, audiences=None):
    """Every item due up to ``until`` (overdue ones included) from every provider, soonest first."""
    found = []
    for name in sorted(_providers):
        declared = _audiences.get(name)
        if audiences is not None and declared is not None and not declared & set(audiences):
            continue
        for item in _providers[name](cpas=cpas, on=on, until=until, referent_ids=referent_ids):
            if audiences is None or item.audience in audiences:
                found.append(item)
    return sorted(found, key=lambda item: (item.due, item.kind, item.key))
