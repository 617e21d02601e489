"""What falls due in partnership conventions, for the home pages and the daily notifications.

After the convention ends, the CPAS pays each partner its balance on the partner's claim (déclaration
de créance, circular of 31/01/2013 §3, DOMAIN.md §5); the project expects it within
``parameters.CLAIM_EXPECTED_DAYS`` of the end [interp]. A balance still awaiting its claim is the
caseworker's to chase: the item falls due on that expected date.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from cpas_portal.due import CASEWORKER, DueItem, narrowed, person

from . import parameters
from .models import Payment, PaymentKind, PaymentStatus


def partner_claims_awaited(*, cpas, on, until, referent_ids=None):
    """Balances awaiting the partner's claim, expected on or before ``until`` (overdue ones included). One query."""
    payments = narrowed(
        Payment.objects.filter(convention__cpas=cpas, kind=PaymentKind.BALANCE, status=PaymentStatus.AWAITING_CLAIM,
                               due_date__lte=until),
        referent_ids, "convention__beneficiary__referent_id",
    ).select_related("convention__beneficiary", "partner__organisation").order_by("due_date", "id")
    for payment in payments:
        convention = payment.convention
        expected = parameters.CLAIM_EXPECTED_DAYS.in_force(convention.conclusion_date)
        yield DueItem(
            key=f"conventions.partner_claim:{payment.pk}", kind="conventions.partner_claim", due=payment.due_date,
            reason=_("Convention ended on %(end)s: %(partner)s has not sent its claim for the balance") % {
                "end": convention.end_date.strftime("%d/%m/%Y") if convention.end_date else "…",
                "partner": payment.partner.name},
            source=f"{parameters.CIRCULAR_2013_PAYMENT}; {expected.source}",
            url=reverse("convention_detail", args=[convention.pk]),
            audience=CASEWORKER, amount=payment.amount,
            **person(convention.beneficiary),
        )
