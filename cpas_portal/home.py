"""Reads behind the home pages, by role. Everything due comes from :func:`cpas_portal.due.due_items`
(the kernel never imports a measure app); these functions only group it.

- caseworker: their people's items, overdue / within 7 days / within 30 days;
- manager: the same counted per caseworker (a drill-down shows one caseworker's list), and what awaits
  the manager's signature;
- finance: items to claim by legal deadline, claims awaiting signatures, unpaid claims by age.

Each page costs a fixed number of queries, whatever the number of items or caseworkers.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from . import due
from .models import Beneficiary, Membership
from .services import FILE_HOLDING_ROLES

# A day's list shows this many items per group (the soonest due); the rest is one click away.
SHOWN_PER_GROUP = 50
WEEK_DAYS = 7
MONTH_DAYS = 30
# Unpaid claims by days since they were sent (upper bounds; the last bucket is open).
AGE_BUCKETS = ((30, _("0–30 days")), (60, _("31–60 days")), (90, _("61–90 days")), (None, _("over 90 days")))


def horizon(on):
    return on + timedelta(days=MONTH_DAYS)


@dataclass
class Groups:
    overdue: list = field(default_factory=list)
    week: list = field(default_factory=list)
    month: list = field(default_factory=list)

    @property
    def sections(self):
        """``(anchor, title, items)`` of the three groups, in the order of the page."""
        return (("overdue", _("Overdue"), self.overdue), ("this-week", _("This week"), self.week),
                ("this-month", _("Within 30 days"), self.month))

    @property
    def total(self):
        return len(self.overdue) + len(self.week) + len(self.month)

    def add(self, item, on):
        if item.due < on:
            self.overdue.append(item)
        elif item.due <= on + timedelta(days=WEEK_DAYS):
            self.week.append(item)
        else:
            self.month.append(item)


def grouped(items, on):
    groups = Groups()
    for item in items:
        groups.add(item, on)
    return groups


def caseworker_home(*, cpas, user, on):
    """The caseworker's day: the items of the people they follow."""
    items = due.due_items(cpas=cpas, on=on, until=horizon(on), referent_ids=[user.pk], audiences={due.CASEWORKER})
    return {"groups": grouped(items, on), "on": on}


def file_holders(*, cpas):
    """The members of ``cpas`` who may follow files (caseworkers and managers), by name. One query."""
    return [membership.user for membership in Membership.objects.filter(cpas=cpas, role__in=FILE_HOLDING_ROLES,
                                                                         user__is_active=True)
            .select_related("user").order_by("user__last_name", "user__first_name", "user_id")]


def manager_home(*, cpas, on, caseworker_id=None):
    """Per caseworker: their counts of overdue / this week / this month; with ``caseworker_id`` (a caseworker of
    this CPAS, else 404) that caseworker's list and files. Items of people without a referent are counted apart."""
    items = due.due_items(cpas=cpas, on=on, until=horizon(on), audiences={due.CASEWORKER, due.MANAGER})
    holders = file_holders(cpas=cpas)
    by_referent = {user.pk: Groups() for user in holders}
    unassigned = Groups()
    for item in items:
        if item.audience == due.CASEWORKER:
            by_referent.get(item.referent_id, unassigned).add(item, on)
    context = {
        "on": on,
        "rows": [(user, by_referent[user.pk]) for user in holders],
        "unassigned": unassigned,
        "manager_items": [item for item in items if item.audience == due.MANAGER],
        "holders": holders,
        "selected": None,
    }
    if caseworker_id is not None:
        selected = next((user for user in holders if str(user.pk) == str(caseworker_id)), None)
        if selected is None:
            raise Http404(_("No such caseworker in your CPAS."))
        context.update(selected=selected, groups=by_referent[selected.pk], files=list(
            Beneficiary.objects.filter(cpas=cpas, referent=selected).only("id", "first_name", "last_name", "niss")
            .order_by("last_name", "first_name", "id")))
    return context


def finance_home(*, cpas, on):
    """What to claim now (by legal deadline), what waits for signatures, and what SPP IS still owes, by age."""
    items = due.due_items(cpas=cpas, on=on, until=horizon(on), audiences={due.FINANCE})
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
        "to_claim": grouped([item for item in items if item.kind == "reimbursements.to_claim"], on),
        "awaiting_signature": [item for item in items if item.kind == "reimbursements.awaiting_signature"],
        "unpaid_buckets": buckets,
        "other": [item for item in items if item.kind not in {
            "reimbursements.to_claim", "reimbursements.awaiting_signature", "reimbursements.unpaid"}],
    }
