"""The rules table, from the seeds (000: circular of 31/01/2013; 003: Council of Ministers of 9/07/2004)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conventions import rules
from conventions.rules import ConventionStatus, PartnerShare
from cpas_portal.employment import RecordedMeasure

D = Decimal
V2012_DAY = date(2012, 11, 4)
V2012_EVE = date(2012, 11, 3)


@pytest.fixture(autouse=True)
def english():
    """Messages in the source language (the pages and API tests check French and Dutch)."""
    with translation.override("en"):
        yield



@pytest.mark.parametrize(("on", "version"), [
    (date(2004, 9, 23), "v2004"),
    (V2012_EVE, "v2004"),
    (V2012_DAY, "v2012"),
    (date(2026, 1, 1), "v2012"),
])
def test_the_conclusion_date_decides_the_rule_version(on, version):
    assert rules.rule_version(on=on).value == version


def test_no_rule_before_the_2004_decree():
    with pytest.raises(ValidationError) as error:
        rules.rule_version(on=date(2004, 9, 22))
    assert "conclusion_date" in error.value.message_dict


@pytest.mark.parametrize(("hours", "on", "agreed", "advance"), [
    (100, date(2024, 3, 1), "500.00", "250.00"),  # seed 000: ≥ 100 h → 500 €
    (50, date(2024, 3, 1), "250.00", "125.00"),  # seed 000: ≥ 50 h → 250 €
    (99, date(2024, 3, 1), "250.00", "125.00"),
    (160, date(2024, 3, 1), "500.00", "250.00"),
    (100, V2012_EVE, "500.00", "250.00"),  # seed 003: 100 h → 500 € already in 2004
    (50, V2012_EVE, "250.00", "125.00"),
    (100, V2012_DAY, "500.00", "250.00"),
    (50, V2012_DAY, "250.00", "125.00"),
])
def test_agreed_amount_and_advance(hours, on, agreed, advance):
    decided = rules.agreed_amount(hours, on=on)
    assert decided.amount == D(agreed)
    assert rules.advance_amount(decided.amount, on=on).amount == D(advance)
    assert {line["name"] for line in decided.parameters} >= {"rule_version"}
    assert all(line["source"] for line in decided.parameters)


@pytest.mark.parametrize("on", [V2012_EVE, V2012_DAY])
def test_fewer_than_50_hours_is_refused(on):
    with pytest.raises(ValidationError) as error:
        rules.agreed_amount(49, on=on)
    assert "50" in error.value.message_dict["planned_hours"][0]


@pytest.mark.parametrize(("hours", "tier"), [(0, 0), (49, 0), (50, 1), (99, 1), (100, 2), (250, 2)])
def test_form_b_tier(hours, tier):
    assert rules.form_b_tier(hours, on=date(2024, 3, 1)) == tier


@pytest.mark.parametrize(("on", "final", "balance"), [
    (V2012_DAY, "500.00", "375.00"),  # AR 08/10/2012: 500 € when employed before the plan ends
    (V2012_EVE, "250.00", "125.00"),  # 2004 version: the agreed amount
])
def test_early_job_on_a_50_hour_plan(on, final, balance):
    assessment = rules.assess(planned_hours=50, partners=[PartnerShare(False, D("100"))], on=on)
    settlement = rules.settle(agreed=assessment.agreed, advance_parts=assessment.advance_parts, shares=[D("100")],
                              outcome=ConventionStatus.EMPLOYED_EARLY, on=on)
    assert (settlement.final, settlement.balance) == (D(final), D(balance))


@pytest.mark.parametrize(("outcome", "final", "balance"), [
    (ConventionStatus.COMPLETED, "500.00", "250.00"),
    (ConventionStatus.EMPLOYED_EARLY, "500.00", "250.00"),
    (ConventionStatus.STOPPED, "250.00", "0.00"),  # [interp] no balance, only the advance
])
def test_final_amount_by_outcome_on_a_100_hour_plan(outcome, final, balance):
    settlement = rules.settle(agreed=D("500.00"), advance_parts=[D("250.00")], shares=[D("100")], outcome=outcome,
                              on=date(2024, 3, 1))
    assert (settlement.final, settlement.balance) == (D(final), D(balance))


def test_two_partners_60_40_on_500():
    assessment = rules.assess(planned_hours=100, partners=[PartnerShare(False, D("60")), PartnerShare(False, D("40"))],
                              on=date(2024, 3, 1))
    assert assessment.advance_parts == [D("150.00"), D("100.00")]
    settlement = rules.settle(agreed=assessment.agreed, advance_parts=assessment.advance_parts,
                              shares=[D("60"), D("40")], outcome=ConventionStatus.COMPLETED, on=date(2024, 3, 1))
    assert settlement.balance_parts == [D("150.00"), D("100.00")]


def test_three_equal_partners_on_an_odd_cent_amount_add_up_exactly():
    parts = rules.split_by_shares(D("100.01"), [D("1"), D("1"), D("1")])
    assert parts == [D("33.33"), D("33.34"), D("33.34")]
    assert sum(parts) == D("100.01")
    thirds = [D("33.34"), D("33.33"), D("33.33")]
    assessment = rules.assess(planned_hours=50, partners=[PartnerShare(False, share) for share in thirds],
                              on=date(2024, 3, 1))
    assert sum(assessment.advance_parts) == D("125.00")
    assert assessment.advance_parts == [D("41.68"), D("41.66"), D("41.66")]


@pytest.mark.parametrize(("on", "partners", "accepted"), [
    (V2012_EVE, [(True, "60"), (False, "40")], False),  # 2004: the CPAS carries at most 50 %
    (V2012_EVE, [(True, "50"), (False, "50")], True),
    (V2012_DAY, [(True, "60"), (False, "40")], True),  # 2012: any share ...
    (V2012_DAY, [(True, "100")], False),  # ... but with at least one other partner
    (V2012_EVE, [(True, "100")], False),
    (V2012_DAY, [(False, "60"), (False, "30")], False),  # shares add up to 90 %
    (V2012_DAY, [(False, "100"), (False, "10")], False),
    (V2012_DAY, [(True, "50"), (True, "50")], False),
])
def test_shares_and_the_cpas_part(on, partners, accepted):
    shares = [PartnerShare(is_cpas, D(share)) for is_cpas, share in partners]
    if accepted:
        assert rules.check_shares(shares, on=on)
    else:
        with pytest.raises(ValidationError) as error:
            rules.check_shares(shares, on=on)
        assert "partners" in error.value.message_dict


@pytest.mark.parametrize(("has_right", "measure_end", "private", "on", "eligible"), [
    (True, None, False, date(2024, 3, 1), True),
    (True, None, True, date(2024, 3, 1), False),  # already employed at a private firm
    (False, None, False, date(2024, 3, 1), False),
    (False, date(2024, 6, 1), False, date(2024, 3, 1), True),  # first day of the last 3 months
    (False, date(2024, 6, 1), False, date(2024, 2, 29), False),  # the day before
    (False, date(2024, 6, 1), False, date(2024, 6, 1), True),  # last day of the measure
    (False, date(2024, 6, 1), False, date(2024, 6, 2), False),
    (False, date(2024, 5, 31), False, date(2024, 2, 29), True),  # 3 months before 31 May: 29 February
])
def test_eligibility(has_right, measure_end, private, on, eligible):
    def check():
        rules.check_eligibility(has_right=has_right, declared_insertion_measure_end=measure_end,
                                declared_in_private_employment_measure=private, on=on)

    if eligible:
        check()
    else:
        with pytest.raises(ValidationError):
            check()


def recorded(end, *, private=False):
    return RecordedMeasure(kind="art60", label="placement", start=date(2023, 1, 1), end=end,
                           at_private_firm=private, source_key="measures.placement:1")


@pytest.mark.parametrize(("has_right", "measures", "declared_end", "declared_private", "on", "outcome"), [
    # A recorded placement at a private firm refuses, whatever the right or the declaration says.
    (True, [recorded(date(2024, 12, 31), private=True)], None, False, date(2024, 3, 1),
     "in_private_employment_measure"),
    (False, [recorded(date(2024, 4, 30), private=True)], date(2024, 4, 30), False, date(2024, 3, 1),
     "in_private_employment_measure"),
    # A recorded insertion measure ending within 3 months after the conclusion date accepts, no declaration sent.
    (False, [recorded(date(2024, 6, 1))], None, False, date(2024, 3, 1), "recorded_insertion_measure"),
    (False, [recorded(date(2024, 6, 1))], None, False, date(2024, 2, 29), "insertion_measure_end"),
    # The declaration never overrides the recorded end date...
    (False, [recorded(date(2024, 12, 31))], date(2024, 4, 30), False, date(2024, 3, 1), "insertion_measure_end"),
    # ...nor a recorded non-private measure clears a declared private-firm employment held elsewhere.
    (False, [recorded(date(2024, 4, 30))], None, True, date(2024, 3, 1), "in_private_employment_measure"),
    # Nothing recorded: the declaration adds the fact.
    (False, [], date(2024, 4, 30), False, date(2024, 3, 1), "declared_insertion_measure"),
    (True, [recorded(date(2030, 1, 1))], None, False, date(2024, 3, 1), "right"),
])
def test_eligibility_from_recorded_measures(has_right, measures, declared_end, declared_private, on, outcome):
    def check():
        return rules.check_eligibility(has_right=has_right, recorded_measures=measures,
                                       declared_insertion_measure_end=declared_end,
                                       declared_in_private_employment_measure=declared_private, on=on)

    if outcome in ("right", "recorded_insertion_measure", "declared_insertion_measure"):
        assert check()["basis"] == outcome
    else:
        with pytest.raises(ValidationError) as error:
            check()
        assert outcome in error.value.message_dict


@pytest.mark.parametrize(("approved", "on", "accepted"), [
    (False, date(2004, 9, 23), False),
    (False, date(2012, 11, 3), False),  # the last day of the 2004 decree alone
    (True, date(2012, 11, 3), True),
    (False, date(2012, 11, 4), True),  # from the 2012 decree the CPAS chooses its partners
])
def test_2004_partners_are_approved_by_the_regional_employment_service(approved, on, accepted):
    shares = [PartnerShare(True, D("50")), PartnerShare(False, D("50"), approved_by_employment_service=approved)]
    if accepted:
        assert rules.check_shares(shares, on=on)
    else:
        with pytest.raises(ValidationError) as error:
            rules.check_shares(shares, on=on)
        assert "regional employment service" in error.value.message_dict["partners"][0]


def test_the_plan_needs_its_five_elements():
    plan = dict.fromkeys(rules.REQUIRED_PLAN_ELEMENTS, True)
    assert rules.missing_plan_elements(plan) == []
    plan["plan_prospection"] = False
    assert rules.missing_plan_elements(plan) == ["plan_prospection"]


@pytest.mark.parametrize(("current", "target", "message"), [
    (ConventionStatus.SIGNED, ConventionStatus.SIGNED, "already signed"),
    (ConventionStatus.DRAFT, ConventionStatus.COMPLETED, "draft"),
    (ConventionStatus.COMPLETED, ConventionStatus.STOPPED, "already closed"),
    (ConventionStatus.SIGNED, ConventionStatus.SETTLED, "closed convention"),
])
def test_status_pipeline_refusals(current, target, message):
    with pytest.raises(ValidationError) as error:
        rules.check_transition(current, target)
    assert message in error.value.message_dict["status"][0]


@pytest.mark.parametrize(("current", "target"), [
    (ConventionStatus.DRAFT, ConventionStatus.SIGNED),
    (ConventionStatus.SIGNED, ConventionStatus.EMPLOYED_EARLY),
    (ConventionStatus.STOPPED, ConventionStatus.SETTLED),
])
def test_status_pipeline_allows(current, target):
    rules.check_transition(current, target)
