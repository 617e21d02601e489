"""Invariants of reimbursements/rules.py (Hypothesis): reconciliation accounts for every record and
line once, corrections carry exactly the difference, periods and deadlines are ordered."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cpas_portal.money import eur
from reimbursements import rules

FAST = settings(max_examples=80, deadline=None)
amounts = st.integers(min_value=-10**8, max_value=10**8).map(lambda cents: Decimal(cents) / 100)
periods = st.sampled_from([(date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 4, 30))])
nisses = st.sampled_from(["90051700165", "85073003328"])


@FAST
@given(lines=st.lists(st.tuples(nisses, periods, amounts), max_size=8),
       records=st.lists(st.tuples(nisses, periods, amounts), max_size=8))
def test_reconciliation_accounts_for_every_record_and_line_once(lines, records):
    payables = [rules.Payable(index, niss, *period, amount) for index, (niss, period, amount) in enumerate(lines)]
    paid = [rules.Paid(index, niss, *period, amount) for index, (niss, period, amount) in enumerate(records)]
    outcomes, unpaid = rules.reconcile(payables, paid)
    assert sorted(record for record, _line, _state in outcomes) == list(range(len(records)))
    used = [line for _record, line, _state in outcomes if line is not None]
    assert len(used) == len(set(used))
    assert sorted(used + unpaid) == list(range(len(lines)))
    for record, line, state in outcomes:
        if state == rules.MATCHED:
            assert paid[record].amount == payables[line].amount


@FAST
@given(previous=st.dictionaries(st.text(min_size=1, max_size=4), amounts, max_size=8),
       current=st.dictionaries(st.text(min_size=1, max_size=4), amounts, max_size=8))
def test_a_correction_carries_exactly_the_difference(previous, current):
    lines = rules.correction_lines(previous, current)
    assert {line.source_key for line in lines} == set(previous) | set(current)
    assert sum((line.difference for line in lines), Decimal(0)) == (
        sum((eur(value) for value in current.values()), Decimal(0))
        - sum((eur(value) for value in previous.values()), Decimal(0)))


@FAST
@given(year=st.integers(min_value=2003, max_value=2100), number=st.integers(min_value=1, max_value=12),
       kind=st.sampled_from([rules.MONTH, rules.QUARTER]), on=st.dates(min_value=date(2003, 1, 1),
                                                                       max_value=date(2100, 12, 31)))
def test_periods_and_deadlines_are_ordered(year, number, kind, on):
    if kind == rules.QUARTER and number > 4:
        return
    start, end = rules.period_bounds(kind, year, number)
    assert start <= end and rules.period_label(kind, start).startswith(str(year))
    try:
        deadline = rules.claim_deadline(end, on=on)
    except LookupError:
        return
    assert deadline.due > end
    state, days_left = rules.deadline_state(deadline.due, on=on)
    assert state in ("overdue", "soon", "later") and (state == "overdue") == (days_left < 0)


@FAST
@given(total=st.integers(min_value=0, max_value=10_000), paid=st.integers(min_value=0, max_value=10_000))
def test_reconciled_status_follows_the_lines_paid(total, paid):
    paid = min(paid, total)
    status = rules.status_after_reconciliation(lines_total=total, lines_paid=paid)
    assert status == (rules.PAID if total and paid == total else rules.PARTLY_PAID if paid else None)
