"""Reads behind the home pages, by role. Everything due comes from :func:`cpas_portal.due.due_items`
(the kernel never imports a measure app); these functions only group it.

- caseworker: their people's items, overdue / within 7 days / within 30 days;
- manager: the same counted per caseworker (a drill-down shows one caseworker's list), and what awaits
  the manager's signature;
- finance: items to claim by legal deadline, claims awaiting signatures, unpaid claims by age.

Each page costs a fixed number of queries, whatever the number of items or caseworkers; what it reads of the
due items is kept until the next write in the CPAS (:mod:`cpas_portal.due_cache`).
"""

import bisect
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from . import due, due_cache, person_search
from .models import Beneficiary
from .services import FILE_HOLDING_ROLES

# A day's list shows this many items per group (the soonest due); the rest is one click away.
SHOWN_PER_GROUP = 50
WEEK_DAYS = 7
MONTH_DAYS = 30
# Unpaid claims by days since they were sent (upper bounds; the last bucket is open).
AGE_BUCKETS = ((30, _("0–30 days")), (60, _("31–60 days")), (90, _("61–90 days")), (None, _("over 90 days")))


def horizon(on):
    return on + timedelta(days=MONTH_DAYS)


def uppers(on):
    """The last due day of each group: overdue (before ``on``), within 7 days, within 30 days."""
    return [on - timedelta(days=1), on + timedelta(days=WEEK_DAYS), horizon(on)]


@dataclass
class Groups:
    """Overdue / this week / within 30 days: each group's count and its soonest items (all of them when the
    page asks for all)."""

    overdue: list = field(default_factory=list)
    week: list = field(default_factory=list)
    month: list = field(default_factory=list)
    counts: dict = field(default_factory=lambda: {"overdue": 0, "week": 0, "month": 0})

    @property
    def sections(self):
        """``(anchor, title, items, count)`` of the three groups, in the order of the page."""
        return (("overdue", _("Overdue"), self.overdue, self.counts["overdue"]),
                ("this-week", _("This week"), self.week, self.counts["week"]),
                ("this-month", _("Within 30 days"), self.month, self.counts["month"]))

    @property
    def total(self):
        return sum(self.counts.values())

    @classmethod
    def of_bands(cls, bands):
        overdue, week, month = bands
        return cls(overdue=overdue.items, week=week.items, month=month.items,
                   counts={"overdue": overdue.count, "week": week.count, "month": month.count})

    @classmethod
    def of_counts(cls, counts):
        return cls(counts=dict(zip(("overdue", "week", "month"), counts, strict=True)))


def grouped(items, on, shown=SHOWN_PER_GROUP):
    """Items already read (a short list: the finance officer's items to claim), in the three groups."""
    found = Groups()
    limits = uppers(on)
    for item in sorted(items, key=due.soonest_first):
        name = ("overdue", "week", "month")[min(bisect.bisect_left(limits, item.due), 2)]
        found.counts[name] += 1
        if shown is None or len(getattr(found, name)) < shown:
            getattr(found, name).append(item)
    return found


def caseworker_groups(*, cpas, user, on, shown=SHOWN_PER_GROUP):
    """One caseworker's items in the three groups: counted in the database, the soonest ``shown`` of each read."""

    def read():
        bands = due.summary(cpas=cpas, on=on, uppers=uppers(on), referent_ids=[user.pk], audiences={due.CASEWORKER},
                            shown=shown)
        return Groups.of_bands(bands[due.CASEWORKER])

    return due_cache.remembered(page="caseworker", cpas_id=cpas.pk, parts=(user.pk, on, shown), read=read)


def caseworker_home(*, cpas, user, on, shown=SHOWN_PER_GROUP):
    """The caseworker's day: the items of the people they follow."""
    return {"groups": caseworker_groups(cpas=cpas, user=user, on=on, shown=shown), "on": on}


def file_holders(*, cpas):
    """The members of ``cpas`` who may follow files (caseworkers and managers), by name, with their names only (a
    large CPAS has a hundred of them, listed on every manager's page). One query."""
    return list(get_user_model().objects.filter(membership__cpas=cpas, membership__role__in=FILE_HOLDING_ROLES,
                                                is_active=True)
                .only("id", "username", "first_name", "last_name").order_by("last_name", "first_name", "id"))


FILES_SHOWN = 200
"""Files of one caseworker listed for a handover; a search finds the others (a caseworker may follow thousands)."""


def followed_files(*, cpas, caseworker, search="", shown=None):
    """The first ``shown`` files ``caseworker`` follows, by name, narrowed by ``search`` (a name or a national
    number, as the beneficiary search), and how many there are. Two queries."""
    shown = FILES_SHOWN if shown is None else shown
    files = person_search.search(Beneficiary.objects.filter(cpas=cpas, referent=caseworker), search, cpas=cpas)
    return (list(files.only("id", "first_name", "last_name", "niss").order_by("last_name", "first_name", "id")[:shown]),
            files.count())


def manager_home(*, cpas, on, caseworker_id=None, shown=SHOWN_PER_GROUP, files_search=""):
    """Per caseworker: their counts of overdue / this week / this month; with ``caseworker_id`` (a caseworker of
    this CPAS, else 404) that caseworker's list and files (the first :data:`FILES_SHOWN`, or those matching
    ``files_search``). Items of people without a referent are counted apart."""
    holders = file_holders(cpas=cpas)
    selected = None
    if caseworker_id is not None:
        selected = next((user for user in holders if str(user.pk) == str(caseworker_id)), None)
        if selected is None:
            raise Http404(_("No such caseworker in your CPAS."))
    per_referent, manager_items = due_cache.remembered(page="manager", cpas_id=cpas.pk, parts=(on,),
                                                       read=lambda: _manager_counts(cpas=cpas, on=on))
    # People without a referent, or followed by someone who no longer holds files here (a deactivated account).
    held = {user.pk for user in holders}
    unassigned = Groups.of_counts([sum(column) for column in zip(
        [0, 0, 0], *(counts for referent, counts in per_referent.items() if referent not in held), strict=True)])
    context = {
        "on": on,
        "rows": [(user, Groups.of_counts(per_referent.get(user.pk, [0, 0, 0]))) for user in holders],
        "unassigned": unassigned,
        "manager_items": manager_items,
        "holders": holders,
        "selected": selected,
    }
    if selected is not None:
        files, files_total = followed_files(cpas=cpas, caseworker=selected, search=files_search)
        context.update(groups=caseworker_groups(cpas=cpas, user=selected, on=on, shown=shown), files=files,
                       files_total=files_total, files_search=files_search, files_shown=FILES_SHOWN)
    return context


def _manager_counts(*, cpas, on):
    """``({referent id: [count per group]}, the manager's own items)``."""
    _bands, per_referent = due.summary(cpas=cpas, on=on, uppers=uppers(on), audiences={due.CASEWORKER}, shown=0,
                                       by_referent=True)
    manager_items = due.summary(cpas=cpas, on=on, uppers=[horizon(on)], audiences={due.MANAGER},
                                shown=None)[due.MANAGER][0].items
    return per_referent, manager_items


def finance_home(*, cpas, on, shown=SHOWN_PER_GROUP):
    """What to claim now (by legal deadline), what waits for signatures, and what SPP IS still owes, by age."""
    items = due_cache.remembered(page="finance", cpas_id=cpas.pk, parts=(on,), read=lambda: due.due_items(
        cpas=cpas, on=on, until=horizon(on), audiences={due.FINANCE}))
    unpaid = [item for item in items if item.kind == "reimbursements.unpaid"]
    buckets = []
    lower = 0
    for upper, label in AGE_BUCKETS:
        rows = [item for item in unpaid if (on - item.due).days >= lower and (upper is None or
                                                                               (on - item.due).days <= upper)]
        buckets.append({"label": label, "items": rows,
                        "total": sum((item.amount or Decimal("0") for item in rows), Decimal("0.00"))})
        lower = (upper or 0) + 1
    return {
        "on": on,
        "to_claim": grouped([item for item in items if item.kind == "reimbursements.to_claim"], on, shown),
        "awaiting_signature": [item for item in items if item.kind == "reimbursements.awaiting_signature"],
        "unpaid_buckets": buckets,
        "other": [item for item in items if item.kind not in {
            "reimbursements.to_claim", "reimbursements.awaiting_signature", "reimbursements.unpaid"}],
    }
