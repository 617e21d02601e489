"""Demo partnership conventions of one CPAS, made through the services as caseworkers and finance would.

Four conventions of 2026, one per stage: a draft; a signed one shared 60/40 with coaching hours under
way; one closed because the person found a job early, its partner's claim registered and balance paid
(so it is settled); one whose hours are completed, its balance waiting for the partner's claim.
Deterministic, and skipped when the CPAS already has conventions. For demonstration only.
"""

from datetime import date
from decimal import Decimal

from cpas_portal import rights
from cpas_portal.models import Beneficiary, OrganisationKind, Role

from . import services
from .models import Convention, PaymentKind, PaymentStatus
from .rules import ConventionStatus

FULL_PLAN = {
    "plan_assessment": True, "plan_job_offers": True, "plan_application_techniques": True,
    "plan_work_attitudes": True, "plan_prospection": True,
}
FIRST_CONCLUSION = date(2026, 1, 12)
EMPLOYMENT_NOTE = {"fr": "Contrat à durée indéterminée", "nl": "Contract van onbepaalde duur"}


def _partner(organisation, share):
    """A partner row for ``convention_create``; no organisation means the CPAS itself."""
    return {"organisation": organisation, "is_cpas": organisation is None, "share": Decimal(share)}


def _organisation(cpas, kind):
    return cpas.organisations.filter(kind=kind).order_by("id").first()


def _create(caseworker, cpas, beneficiary, partners, *, conclusion_date, planned_hours, methodology, **plan):
    return services.convention_create(
        acting_user=caseworker, cpas=cpas, beneficiary=beneficiary, partners=partners,
        conclusion_date=conclusion_date, planned_hours=planned_hours, methodology=methodology,
        **{**FULL_PLAN, **plan},
    )


def _pay_advances(finance, convention, paid_date):
    for payment in convention.payments.filter(kind=PaymentKind.ADVANCE, status=PaymentStatus.DUE).order_by("id"):
        services.payment_mark_paid(acting_user=finance, payment=payment, paid_date=paid_date,
                                   reference=f"ADV-{convention.pk:05d}-{payment.pk:05d}")


def _record_hours(caseworker, convention, entries):
    partners = list(convention.partners.order_by("id"))
    for partner_index, day, hours in entries:
        services.coaching_hours_record(acting_user=caseworker, convention=convention,
                                       partner=partners[partner_index], day=day, hours=Decimal(hours))


def load_demo(cpas, users):
    """Create the demo conventions of ``cpas``; ``users`` maps each role to the CPAS's demo user."""
    if Convention.objects.filter(cpas=cpas).exists():
        return []
    caseworker, finance = users[Role.CASEWORKER], users[Role.FINANCE]
    employment_office = _organisation(cpas, OrganisationKind.EMPLOYMENT_OFFICE)
    coaching_partner = _organisation(cpas, OrganisationKind.COACHING_PARTNER)
    # People with the integration income or equivalent aid from before the first conclusion, oldest first
    # (the youngest are left for the art. 60 §7 placements).
    people = list(rights.with_right_in_force(Beneficiary.objects.filter(cpas=cpas), day=FIRST_CONCLUSION)
                  .filter(right_decisions__end__isnull=True).distinct().order_by("birth_date", "niss")[:4])

    employed_early = _create(caseworker, cpas, people[0], [_partner(coaching_partner, "70"), _partner(None, "30")],
                             conclusion_date=FIRST_CONCLUSION, planned_hours=100, methodology="job_coaching")
    employed_early = services.convention_sign(acting_user=caseworker, convention=employed_early)
    _pay_advances(finance, employed_early, date(2026, 1, 30))
    _record_hours(caseworker, employed_early, [
        (0, date(2026, 1, 19), "6"), (1, date(2026, 1, 26), "4"),
        (0, date(2026, 2, 9), "8"), (0, date(2026, 3, 2), "7.5"), (1, date(2026, 3, 16), "3"),
    ])
    services.convention_close(acting_user=caseworker, convention=employed_early,
                              outcome=ConventionStatus.EMPLOYED_EARLY, end_date=date(2026, 4, 13),
                              note=EMPLOYMENT_NOTE.get(cpas.language, EMPLOYMENT_NOTE["fr"]))
    balance = employed_early.payments.get(kind=PaymentKind.BALANCE, partner__is_cpas=False)
    services.partner_claim_register(acting_user=finance, partner=balance.partner, received_date=date(2026, 5, 4),
                                    reference="DC-2026-0117", amount_claimed=balance.amount)
    balance.refresh_from_db()
    services.payment_mark_paid(acting_user=finance, payment=balance, paid_date=date(2026, 5, 27))

    completed = _create(caseworker, cpas, people[1], [_partner(employment_office, "100")],
                        conclusion_date=date(2026, 2, 2), planned_hours=60, methodology="job_search")
    completed = services.convention_sign(acting_user=caseworker, convention=completed)
    _pay_advances(finance, completed, date(2026, 2, 20))
    _record_hours(caseworker, completed, [
        (0, date(2026, 2, 16), "12"), (0, date(2026, 3, 9), "16"), (0, date(2026, 4, 13), "14"),
        (0, date(2026, 5, 11), "18"),
    ])
    services.convention_close(acting_user=caseworker, convention=completed, outcome=ConventionStatus.COMPLETED,
                              end_date=date(2026, 5, 29))

    signed = _create(caseworker, cpas, people[2], [_partner(employment_office, "60"), _partner(coaching_partner, "40")],
                     conclusion_date=date(2026, 3, 2), planned_hours=120, methodology="both", plan_training=True)
    signed = services.convention_sign(acting_user=caseworker, convention=signed)
    _pay_advances(finance, signed, date(2026, 3, 20))
    _record_hours(caseworker, signed, [
        (0, date(2026, 3, 16), "10"), (1, date(2026, 4, 7), "6"), (0, date(2026, 5, 5), "12"),
        (1, date(2026, 6, 2), "8"), (0, date(2026, 9, 14), "9"),
    ])

    draft = _create(caseworker, cpas, people[3], [_partner(coaching_partner, "100")],
                    conclusion_date=date(2026, 10, 5), planned_hours=100, methodology="job_search")
    return [employed_early, completed, signed, draft]
