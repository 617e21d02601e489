"""Recording hires and their monthly payments: the limits of seed 001 §4.3 hold at every write."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils.formats import date_format

from measures import services as measure_services
from measures.interventions import services
from measures.interventions.models import Hire, InterventionPayment, InterventionProgramme, InterventionRate
from tests.factories import BeneficiaryFactory

from .factories import employer, hire, pay, rate, right, seed_programmes

D = Decimal
pytestmark = pytest.mark.django_db


def test_the_programmes_are_seeded_with_their_decree_and_no_amount():
    seed_programmes()
    sources = dict(InterventionProgramme.objects.values_list("code", "legal_source"))
    assert set(sources) == {"activa", "interim", "ptp", "sine"}
    assert all("11/07/2002" in source for source in sources.values())
    assert "intérim d'insertion" in sources["interim"]
    assert InterventionRate.objects.count() == 0


def test_a_month_without_an_amount_in_force_is_an_explicit_error_not_zero(alice, bob, person):
    hired = hire(alice, person, start=date(2025, 1, 1))
    with pytest.raises(ValidationError) as error:
        pay(bob, hired, date(2025, 3, 1))
    assert "No amount of the Activa intervention is in force" in str(error.value.message_dict["month"])
    assert not InterventionPayment.objects.exists()
    # A row from April: March still has none, April has one.
    rate("activa", since=date(2025, 4, 1))
    with pytest.raises(ValidationError):
        pay(bob, hired, date(2025, 3, 1))
    assert pay(bob, hired, date(2025, 4, 1)).amount == D("500.00")


def test_a_full_month_takes_the_rate_times_the_regime(alice, bob, person):
    rate("sine", amount="600.00")
    hired = hire(alice, person, programme="sine", regime="0.5")
    payment = pay(bob, hired, date(2025, 5, 1))
    assert payment.amount == D("300.00")
    assert (payment.full_time_amount, payment.rate_since, payment.legislation) == (D("600.00"), date(2020, 1, 1),
                                                                                     "2002")
    assert payment.paid_to == "employer"
    assert payment.history.first().history_user == bob


def test_an_incomplete_month_is_capped_at_the_net_pay_due(alice, bob, person):
    rate("activa")
    hired = hire(alice, person, start=date(2025, 3, 10))  # 22 of 31 days: 354.84 before the cap
    payment = pay(bob, hired, date(2025, 3, 1), net="210.40")
    assert payment.amount == D("210.40")
    assert (payment.days_covered, payment.days_in_month) == (22, 31)
    assert payment.capped
    # With a higher net pay the pro rata stands.
    other = hire(alice, BeneficiaryFactory(right_type=None, cpas=person.cpas), start=date(2025, 3, 10))
    right(other.beneficiary)
    assert pay(bob, other, date(2025, 3, 1), net="900.00").amount == D("354.84")


def test_a_ptp_intervention_is_paid_to_the_worker(alice, bob, person):
    rate("ptp")
    payment = pay(bob, hire(alice, person, programme="ptp"), date(2025, 2, 1))
    assert payment.paid_to == "worker"


def test_interim_beyond_24_months_is_refused_even_with_an_interruption(alice, person):
    agency = employer(person.cpas, name="Interim+")
    hire(alice, person, programme="interim", start=date(2024, 1, 1), end=date(2024, 6, 30), organisation=agency)
    # Six months paid, then an interruption of six months: 18 more months would make 24 paid months, but
    # the limit runs from the first day: 31 December 2025.
    with pytest.raises(ValidationError) as error:
        hire(alice, person, programme="interim", start=date(2025, 1, 1), end=date(2026, 6, 30), organisation=agency)
    assert date_format(date(2025, 12, 31), "SHORT_DATE_FORMAT") in error.value.message_dict["end"][0]
    assert Hire.objects.filter(programme="interim").count() == 1
    # Up to the limit is accepted.
    assert hire(alice, person, programme="interim", start=date(2025, 1, 1), end=date(2025, 12, 31),
                organisation=agency).end == date(2025, 12, 31)


def test_an_open_ended_interim_is_refused(alice, person):
    with pytest.raises(ValidationError) as error:
        hire(alice, person, programme="interim", start=date(2025, 1, 1), end=None)
    assert "24 months" in error.value.message_dict["end"][0]


def test_no_interim_month_is_paid_after_the_limit(alice, bob, person):
    rate("interim")
    first = hire(alice, person, programme="interim", start=date(2024, 1, 15), end=date(2024, 3, 31))
    later = hire(alice, person, programme="interim", start=date(2025, 6, 1), end=date(2026, 1, 14))
    # January 2026: the limit is 14 January 2026, 14 of 31 days.
    assert pay(bob, later, date(2026, 1, 1), net="9000").amount == D("225.81")
    assert pay(bob, first, date(2024, 1, 1), net="9000").days_covered == 17


def test_two_part_time_jobs_in_two_programmes_are_refused(alice, person):
    hire(alice, person, programme="activa", regime="0.5", start=date(2025, 1, 1), end=None)
    with pytest.raises(ValidationError) as error:
        hire(alice, person, programme="ptp", regime="0.5", start=date(2025, 6, 1), end=date(2025, 12, 31))
    assert "Two part-time jobs in two different programmes may not be combined" in \
        error.value.message_dict["programme"][0]
    assert Hire.objects.count() == 1
    # In the same programme, or after the first ends, it is accepted.
    assert hire(alice, person, programme="activa", regime="0.5", start=date(2025, 6, 1))


def test_an_update_cannot_create_the_forbidden_combination(alice, person):
    hire(alice, person, programme="activa", regime="0.5", start=date(2025, 1, 1), end=date(2025, 3, 31))
    later = hire(alice, person, programme="sine", regime="0.5", start=date(2025, 4, 1), end=None)
    with pytest.raises(ValidationError):
        services.hire_update(acting_user=alice, hire=later, start=date(2025, 3, 1))
    later.refresh_from_db()
    assert later.start == date(2025, 4, 1)


def test_a_month_is_recorded_once(alice, bob, person):
    rate("activa")
    hired = hire(alice, person)
    pay(bob, hired, date(2025, 2, 1))
    with pytest.raises(ValidationError) as error:
        pay(bob, hired, date(2025, 2, 14))
    assert "already recorded" in error.value.message_dict["month"][0]


def test_a_month_outside_the_hire_is_refused(alice, bob, person):
    rate("activa")
    hired = hire(alice, person, start=date(2025, 2, 10), end=date(2025, 4, 30))
    for month in (date(2025, 1, 1), date(2025, 5, 1)):
        with pytest.raises(ValidationError):
            pay(bob, hired, month)


def test_a_person_without_a_right_on_the_month_is_refused(alice, bob, beneficiary_a):
    rate("activa")
    right(beneficiary_a, start=date(2025, 6, 1))
    hired = hire(alice, beneficiary_a)
    with pytest.raises(ValidationError) as error:
        pay(bob, hired, date(2025, 3, 1))
    assert "no right" in error.value.message_dict["month"][0]
    assert pay(bob, hired, date(2025, 6, 1)).legislation == "2002"


def test_equivalent_aid_is_claimed_under_the_law_of_1965(alice, bob, beneficiary_a):
    rate("activa")
    right(beneficiary_a, right_type="equivalent_aid")
    assert pay(bob, hire(alice, beneficiary_a), date(2025, 3, 1)).legislation == "1965"


def test_an_art61_premium_can_be_granted_on_the_linked_firm_employment(alice, person):
    firm = employer(person.cpas, name="Boulangerie Lambert")
    employment = measure_services.firm_employment_create(
        acting_user=alice, cpas=person.cpas, beneficiary=person, organisation=firm,
        cooperation_convention_date=date(2024, 12, 1), start=date(2025, 1, 1), regime=D("1"))
    hired = hire(alice, person, organisation=firm, firm_employment=employment)
    premium = measure_services.art61_premium_record(acting_user=alice, firm_employment=hired.firm_employment,
                                                    month=date(2025, 2, 1), supervision_costs=D("300.00"),
                                                    training_costs=D("0"))
    assert premium.granted_amount == D("250.00")


def test_the_linked_employment_must_be_this_persons_at_this_employer(alice, person):
    firm = employer(person.cpas)
    employment = measure_services.firm_employment_create(
        acting_user=alice, cpas=person.cpas, beneficiary=person, organisation=firm,
        cooperation_convention_date=date(2024, 12, 1), start=date(2025, 1, 1), regime=D("1"))
    with pytest.raises(ValidationError) as error:
        hire(alice, person, organisation=employer(person.cpas), firm_employment=employment)
    assert "firm_employment" in error.value.message_dict


def test_another_cpas_person_or_employer_is_refused(alice, person, beneficiary_b):
    with pytest.raises(ValidationError) as error:
        hire(alice, person, organisation=employer(beneficiary_b.cpas))
    assert "employer" in error.value.message_dict


def test_a_stale_edit_is_refused(alice, person):
    from cpas_portal.concurrency import StaleVersion

    hired = hire(alice, person)
    services.hire_update(acting_user=alice, hire=hired, end=date(2025, 11, 30), version=1)
    with pytest.raises(StaleVersion):
        services.hire_update(acting_user=alice, hire=hired, end=date(2025, 10, 31), version=1)


def test_payments_keep_the_hire_covering_them(alice, bob, person):
    rate("activa")
    hired = hire(alice, person)
    pay(bob, hired, date(2025, 6, 1))
    with pytest.raises(ValidationError):
        services.hire_update(acting_user=alice, hire=hired, end=date(2025, 5, 31))
