"""Invariants of conventions/rules.py through its public functions, for any date and plan (Hypothesis).

A date outside every rule version is a ValidationError (a message), never another exception; amounts
are never negative; the advance never exceeds the agreed amount; a tier follows the hours.
"""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from conventions import rules
from conventions.rules import ConventionStatus, PartnerShare

FAST = settings(max_examples=80, deadline=None)
any_day = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
hours = st.integers(min_value=0, max_value=100_000)
outcomes = st.sampled_from([ConventionStatus.COMPLETED, ConventionStatus.EMPLOYED_EARLY, ConventionStatus.STOPPED])


@FAST
@given(planned=hours, day=any_day)
def test_the_agreed_amount_is_a_decision_or_a_message(planned, day):
    try:
        agreed = rules.agreed_amount(planned, on=day)
    except ValidationError:
        return
    assert agreed.amount > 0 and agreed.parameters
    advance = rules.advance_amount(agreed.amount, on=day)
    assert 0 <= advance.amount <= agreed.amount
    assert rules.form_b_tier(planned, on=day) in (1, 2)


@FAST
@given(planned=hours, day=any_day, cpas_share=st.integers(min_value=0, max_value=100),
       outcome=outcomes)
def test_assess_and_settle_never_crash_and_add_up(planned, day, cpas_share, outcome):
    shares = [share for share in (Decimal(cpas_share), Decimal(100 - cpas_share)) if share > 0]
    partners = [PartnerShare(index == 0 and cpas_share > 0, share) for index, share in enumerate(shares)]
    try:
        assessment = rules.assess(planned_hours=planned, partners=partners, on=day)
    except ValidationError:
        return
    assert sum(assessment.advance_parts) == assessment.advance <= assessment.agreed
    settlement = rules.settle(agreed=assessment.agreed, advance_parts=assessment.advance_parts,
                              shares=[partner.share for partner in partners], outcome=outcome, on=day)
    assert settlement.balance >= 0 and assessment.advance + settlement.balance == settlement.final
    assert sum(settlement.final_parts) == settlement.final


recorded_measure = st.builds(SimpleNamespace, label=st.just("placement"), end=any_day,
                              at_private_firm=st.booleans(), source_key=st.just("measures.placement:1"))


@FAST
@given(has_right=st.booleans(), recorded=st.lists(recorded_measure, max_size=3), insertion_end=st.none() | any_day,
       private=st.booleans(), day=any_day)
def test_eligibility_is_a_yes_or_a_message_on_any_day(has_right, recorded, insertion_end, private, day):
    try:
        decision = rules.check_eligibility(has_right=has_right, recorded_measures=recorded,
                                           declared_insertion_measure_end=insertion_end,
                                           declared_in_private_employment_measure=private, on=day)
    except ValidationError as refusal:
        assert refusal.message_dict
        return
    # Accepted: never over a recorded or declared private-firm employment, and a recorded insertion
    # measure's own end decides over a declared one (DOMAIN.md §5).
    assert not private and not any(measure.at_private_firm for measure in recorded)
    assert decision["basis"] != "declared_insertion_measure" or not recorded
