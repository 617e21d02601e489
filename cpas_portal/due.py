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

    def is_overdue(self, on):
        return self.due < on


_providers = {}


def register(name, provider):
    _providers[name] = provider


def registered():
    return dict(_providers)


def due_items(*, cpas, on, until, referent_ids=None, audiences=None):
    """Every item due up to ``until`` (overdue ones included) from every provider, soonest first."""
    found = []
    for name in sorted(_providers):
        for item in _providers[name](cpas=cpas, on=on, until=until, referent_ids=referent_ids):
            if audiences is None or item.audience in audiences:
                found.append(item)
    return sorted(found, key=lambda item: (item.due, item.kind, item.key))
