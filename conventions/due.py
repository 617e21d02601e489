"""What falls due in partnership conventions, for the home pages and the daily notifications.

After the convention ends, the CPAS pays each partner its balance on the partner's claim (déclaration
de créance, circular of 31/01/2013 §3, DOMAIN.md §5); the project expects it within
``parameters.CLAIM_EXPECTED_DAYS`` of the end [interp]. A balance still awaiting its claim is the
caseworker's to chase: the item falls due on that expected date.
"""

from django.utils.translation import gettext as _

from cpas_portal.due import (
    CASEWORKER,
    DueItem,
    DueQuery,
    narrowed,
    person_from_values,
    person_values,
)
from cpas_portal.url_patterns import url_maker

from . import parameters
from .models import Payment, PaymentKind, PaymentStatus


def partner_claims_awaited(*, cpas, on, until, referent_ids=None):
    """Balances awaiting the partner's claim, expected on or before ``until`` (overdue ones included). Rows in the
    database: a large CPAS has thousands of balances awaited."""
    rows = narrowed(
        Payment.objects.filter(convention__cpas=cpas, kind=PaymentKind.BALANCE, status=PaymentStatus.AWAITING_CLAIM,
                               due_date__lte=until),
        referent_ids, "convention__beneficiary__referent_id",
    )
    detail_url = url_maker("convention_detail")
    the_cpas = str(_("The CPAS itself"))

    def build(row):
        expected = parameters.CLAIM_EXPECTED_DAYS.in_force(row["convention__conclusion_date"])
        end = row["convention__end_date"]
        return DueItem(
            key=f"conventions.partner_claim:{row['pk']}", kind="conventions.partner_claim", due=row["due_date"],
            reason=_("Convention ended on %(end)s: %(partner)s has not sent its claim for the balance") % {
                "end": end.strftime("%d/%m/%Y") if end else "…",
                "partner": the_cpas if row["partner__is_cpas"] else row["partner__organisation__name"]},
            source=f"{parameters.CIRCULAR_2013_PAYMENT}; {expected.source}",
            url=detail_url(row["convention_id"]),
            audience=CASEWORKER, amount=row["amount"],
            **person_from_values(row, "convention__beneficiary__"),
        )

    return DueQuery(rows=rows, key="due_date", build=build, on=on, until=until,
                    referent="convention__beneficiary__referent_id", fields=(
                        "pk", "due_date", "amount", "convention_id", "convention__conclusion_date",
                        "convention__end_date", "partner__is_cpas", "partner__organisation__name",
                        *person_values("convention__beneficiary__")))
