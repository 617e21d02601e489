"""Demo art. 60 §7 placements and social-economy budget of one CPAS, made through the services.

The CPAS's budget for the increased subsidy of 2026, then five placements spanning 2026: full time at
the CPAS; full time for a person under 25 at the employment office; half time, ended early; at a
private firm with a cooperation convention and two art. 61 tutoring premiums; and one under the
increased social-economy subsidy at the recognised initiative, approved within the budget.
Deterministic, and skipped when the CPAS already has placements (the budget when it has one for 2026).
For demonstration only.
"""

from datetime import date
from decimal import Decimal

from cpas_portal.models import Beneficiary, OrganisationKind, Role

from . import services
from .models import Placement, SocialEconomyBudget

BUDGET_YEAR = 2026
# A plausible granted budget: one increased-subsidy job for a year, with room to spare (Namur's
# initiative was created by the CPAS, which may use only a quarter of the budget for it).
BUDGET_GRANTED = Decimal("96000.00")
BUDGET_SOURCE = "demo"
YEAR_START = date(BUDGET_YEAR, 1, 1)
ADULT_AGE = 30


def _budget(cpas, acting_user):
    if SocialEconomyBudget.objects.filter(cpas=cpas, year=BUDGET_YEAR).exists():
        return
    # With a single CPAS in the allocation, its budget is the whole envelope.
    services.budgets_allocate(acting_user=acting_user, year=BUDGET_YEAR, envelope=BUDGET_GRANTED,
                              reimbursed={cpas: [BUDGET_GRANTED]}, source=BUDGET_SOURCE)


def _organisation(cpas, kind, **filters):
    return cpas.organisations.filter(kind=kind, **filters).order_by("id").first()


def _place(caseworker, cpas, beneficiary, gross_monthly_pay, **data):
    placement = services.placement_create(acting_user=caseworker, cpas=cpas, beneficiary=beneficiary,
                                          gross_monthly_pay=Decimal(gross_monthly_pay), **data)
    return services.placement_approve(acting_user=caseworker, placement=placement)


def load_demo(cpas, users):
    """Create the demo budget and placements of ``cpas``; ``users`` maps each role to the CPAS's demo user."""
    caseworker = users[Role.CASEWORKER]
    _budget(cpas, users[Role.MANAGER])
    if Placement.objects.filter(cpas=cpas).exists():
        return []
    # Never someone already followed under a partnership convention: the youngest for the placement
    # under 25, then adults of 30 or more.
    candidates = list(Beneficiary.objects.filter(cpas=cpas, conventions__isnull=True).order_by("-birth_date", "niss"))
    people = candidates[:1] + [person for person in candidates[1:] if person.age_on(YEAR_START) >= ADULT_AGE][:4]
    employment_office = _organisation(cpas, OrganisationKind.EMPLOYMENT_OFFICE)
    private_firm = _organisation(cpas, OrganisationKind.PRIVATE_FIRM)
    initiative = _organisation(cpas, OrganisationKind.SOCIAL_ECONOMY, recognised=True)

    young = _place(caseworker, cpas, people[0], "2050.00", workplace="other_user", organisation=employment_office,
                   start=date(2026, 2, 1), planned_end=date(2027, 1, 31), regime=Decimal("1.000"),
                   counts_as_full_time=True)
    adult = _place(caseworker, cpas, people[1], "2180.00", workplace="cpas", start=date(2026, 1, 5),
                   planned_end=date(2027, 1, 4), regime=Decimal("1.000"), counts_as_full_time=True)
    half_time = _place(caseworker, cpas, people[2], "2100.00", workplace="cpas", start=date(2026, 3, 1),
                       planned_end=date(2027, 2, 28), regime=Decimal("0.500"), counts_as_full_time=False)
    half_time = services.placement_end(acting_user=caseworker, placement=half_time, actual_end=date(2026, 8, 14))
    at_firm = _place(caseworker, cpas, people[3], "2240.00", workplace="private_firm", organisation=private_firm,
                     start=date(2026, 4, 1), planned_end=date(2027, 3, 31), regime=Decimal("1.000"),
                     counts_as_full_time=True, cooperation_convention_date=date(2026, 3, 18))
    services.art61_premium_record(acting_user=caseworker, placement=at_firm, month=date(2026, 4, 1),
                                  supervision_costs=Decimal("180.00"), training_costs=Decimal("140.00"))
    services.art61_premium_record(acting_user=caseworker, placement=at_firm, month=date(2026, 5, 1),
                                  supervision_costs=Decimal("160.00"), training_costs=Decimal("0.00"))
    social_economy = _place(
        caseworker, cpas, people[4], "2120.00", workplace="social_economy", organisation=initiative,
        start=date(2026, 5, 4), planned_end=date(2026, 12, 31), regime=Decimal("1.000"), counts_as_full_time=True,
        scheme="social_economy", se_convention_date=date(2026, 4, 20), se_staff_count=14,
        se_staff_not_reduced=True, se_new_additional_job=True, se_no_service_vouchers=True,
    )
    # The main case of the art. 61 premium: a person hired by the private firm itself, at 4/5.
    others = [person for person in candidates if person not in people]
    if others:
        hired = services.firm_employment_create(
            acting_user=caseworker, cpas=cpas, beneficiary=others[0], organisation=private_firm,
            cooperation_convention_date=date(2026, 3, 18), start=date(2026, 5, 1), end=None, regime=Decimal("0.800"))
        services.art61_premium_record(acting_user=caseworker, firm_employment=hired, month=date(2026, 5, 1),
                                      supervision_costs=Decimal("220.00"), training_costs=Decimal("0.00"))
    return [young, adult, half_time, at_firm, social_economy]
