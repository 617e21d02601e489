"""Data of the claims benchmark: one CPAS-month of art. 60 §7 monthly subsidies.

One person in five receives equivalent financial aid (law of 1965), the others the integration
income (law of 2002), so the claim has both groups. The rows are bulk-inserted as the measures app
stores them (approved full-time placements and their subsidy of the month) rather than computed
through its services, which the measures app measures on its own; what is measured here is the
claim: gathering, writing, rendering.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from cpas_portal.demo import national_number
from cpas_portal.models import Beneficiary, RightDecision

# RIS category 3 in force on 2026-03-01 (DOMAIN.md §3), the full-time subsidy of the month.
FULL_TIME_SUBSIDY = Decimal("1811.57")


def _last_name(index):
    # One person in 97 has a long compound name, as real lists do: the PDF wraps it, never cuts it.
    if index % 97 == 0:
        return f"Van den Bossche-Delacroix de la Montagne Sainte-Geneviève {index:05d}"
    return f"Nom{index:05d}"


@transaction.atomic
def create_art60_month(*, cpas, user, count, start, end):
    from measures.models import MonthlySubsidy, Placement

    if MonthlySubsidy.objects.filter(cpas=cpas, month=start).count() >= count:
        return
    beneficiaries = Beneficiary.objects.bulk_create([
        Beneficiary(cpas=cpas, niss=national_number(date(1970, 1, 1) + timedelta(days=index // 990),
                                                    index % 990 + 1),
                    first_name=f"Prénom{index:05d}", last_name=_last_name(index),
                    birth_date=date(1970, 1, 1) + timedelta(days=index // 990), sex="F")
        for index in range(count)
    ])
    RightDecision.objects.bulk_create([
        RightDecision(cpas=cpas, beneficiary=beneficiary, right_type="equivalent_aid" if index % 5 == 0 else "ris",
                      category=3, start=date(2025, 1, 1))
        for index, beneficiary in enumerate(beneficiaries)
    ])
    placements = Placement.objects.bulk_create([
        Placement(cpas=cpas, beneficiary=beneficiary, workplace="cpas", start=start,
                  planned_end=start + timedelta(days=365), regime=Decimal("1.000"), counts_as_full_time=True,
                  scheme="normal", status="approved", approved_by=user)
        for beneficiary in beneficiaries
    ])
    MonthlySubsidy.objects.bulk_create([
        MonthlySubsidy(cpas=cpas, placement=placement, beneficiary=placement.beneficiary, month=start,
                       amount=FULL_TIME_SUBSIDY, scheme="normal",
                       legal_basis="L. 08/07/1976 art. 60 §7; L. 26/05/2002 art. 39",
                       rule_set="federal", days_covered=(end - start).days + 1, days_in_month=(end - start).days + 1,
                       gross_pay=Decimal("2100.00"), explanation=[])
        for placement in placements
    ])


def reset_frozen_month(*, cpas, start):
    """Unclaim the benchmark month in the measures app so each run claims (and freezes) it again."""
    from measures.models import MonthlySubsidy

    MonthlySubsidy.objects.filter(cpas=cpas, month=start).update(claimed_at=None, claim_reference="")
