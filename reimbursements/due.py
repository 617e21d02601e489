"""What falls due in claims to SPP IS, for the finance and manager home pages and the notifications.

- items to claim now, grouped by measure, month and legislation, due on the deadline of their own
  legislation (form B 8 days after the month, law of 1965 12 months after the quarter, DOMAIN.md §10);
- reviewed claims awaiting their signatures (the managers sign; finance follows them);
- claims sent and not (fully) paid, dated by the day they were sent, so the page ages them.

Each provider runs a fixed number of queries, whatever the number of items or claims.
"""

from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cpas_portal.aggregates import child_sum
from cpas_portal.due import FINANCE, MANAGER, DueItem
from cpas_portal.money import eur

from . import parameters, rules, selectors
from .models import StatementRecord


def items_to_claim(*, cpas, on, until, referent_ids=None):
    """Items not yet on a claim whose deadline falls by ``until`` (overdue and lost ones included)."""
    if referent_ids is not None:
        return
    for row in selectors.deadlines(cpas=cpas, today=on)["items"]:
        deadline = row["deadline"]
        if deadline.due > until:
            continue
        start = row["period_start"]
        yield DueItem(
            key=f"reimbursements.to_claim:{row['measure']}:{start:%Y-%m}:{row['legislation']}",
            kind="reimbursements.to_claim", due=deadline.due,
            reason=_("%(measure)s, %(month)s: %(count)s item(s) to claim (law of %(law)s)") % {
                "measure": row["measure_label"], "month": start.strftime("%m/%Y"), "count": row["count"],
                "law": row["legislation"]},
            source=deadline.source,
            url=reverse("claim_request") + "?" + urlencode(
                {"measure": row["measure"], "year": start.year, "number": start.month}),
            audience=FINANCE, amount=row["total"],
        )


def claims_awaiting_signature(*, cpas, on, until, referent_ids=None):
    """Reviewed claims not yet signed twice, due on their claim deadline: one item for the managers who sign,
    one for finance who sends them. Two queries (the claims, their lines' legislations)."""
    if referent_ids is not None:
        return
    claims = list(selectors.claim_list(cpas=cpas, status=rules.REVIEWED))
    for row in selectors.claim_deadlines(cpas=cpas, claims=claims, today=on):
        claim, deadline = row["claim"], row["deadline"]
        if deadline.due > until:
            continue
        for audience in (MANAGER, FINANCE):
            yield DueItem(
                key=f"reimbursements.awaiting_signature:{claim.pk}", kind="reimbursements.awaiting_signature",
                due=deadline.due,
                reason=_("Claim %(reference)s (%(period)s) awaits its signatures") % {
                    "reference": claim.reference, "period": claim.period_label},
                source=deadline.source, url=reverse("claim_detail", args=[claim.pk]), audience=audience,
                amount=claim.total,
            )


def claims_unpaid(*, cpas, on, until, referent_ids=None):
    """Claims sent to SPP IS and not fully paid, from the statements matched to their lines; due on the day
    they were sent (the page ages them). One query."""
    if referent_ids is not None:
        return
    claims = (selectors.claim_list(cpas=cpas).filter(status__in=[rules.SENT, rules.PARTLY_PAID],
                                                    sent_at__isnull=False)
              .annotate(paid=child_sum(StatementRecord.objects.all(), "line__claim", "amount",
                                       default=Decimal("0.00"))))
    for claim in claims:
        sent = timezone.localdate(claim.sent_at)
        unpaid = eur(claim.total - claim.paid)
        if unpaid <= 0 or sent > until:
            continue
        yield DueItem(
            key=f"reimbursements.unpaid:{claim.pk}", kind="reimbursements.unpaid", due=sent,
            reason=_("Claim %(reference)s sent on %(day)s: %(unpaid)s € of %(total)s € not yet paid") % {
                "reference": claim.reference, "day": sent.strftime("%d/%m/%Y"), "unpaid": unpaid,
                "total": claim.total},
            source=parameters.PRIMABOOK, url=reverse("claim_detail", args=[claim.pk]), audience=FINANCE,
            amount=unpaid,
        )


PROVIDERS = {
    "reimbursements.to_claim": (items_to_claim, {FINANCE}),
    "reimbursements.awaiting_signature": (claims_awaiting_signature, {MANAGER, FINANCE}),
    "reimbursements.unpaid": (claims_unpaid, {FINANCE}),
}
