from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpas_portal.dated import NotInForce
from reimbursements import rules

D = Decimal


@pytest.mark.parametrize(("current", "target", "allowed"), [
    ("draft", "reviewed", True),
    ("draft", "signed", False),
    ("draft", "sent", False),
    ("reviewed", "signed", True),
    ("reviewed", "sent", False),
    ("signed", "sent", True),
    ("signed", "draft", False),
    ("sent", "draft", False),
    ("sent", "paid", True),
    ("sent", "partly_paid", True),
    ("sent", "rejected", True),
    ("sent", "superseded", True),
    ("partly_paid", "paid", True),
    ("paid", "sent", False),
    ("rejected", "sent", False),
    ("superseded", "sent", False),
    ("cancelled", "draft", False),
])
def test_status_pipeline(current, target, allowed):
    assert rules.can_move(current, target) is allowed


def test_a_sent_claim_never_goes_back_to_an_editable_status():
    editable = {rules.DRAFT, rules.REVIEWED}
    for status in (rules.SENT, rules.PARTLY_PAID, rules.PAID, rules.SUPERSEDED, rules.REJECTED):
        assert not rules.ALLOWED_TRANSITIONS[status] & editable


@pytest.mark.parametrize(("kind", "year", "number", "start", "end"), [
    ("month", 2026, 2, date(2026, 2, 1), date(2026, 2, 28)),
    ("month", 2024, 2, date(2024, 2, 1), date(2024, 2, 29)),
    ("month", 2026, 12, date(2026, 12, 1), date(2026, 12, 31)),
    ("quarter", 2026, 1, date(2026, 1, 1), date(2026, 3, 31)),
    ("quarter", 2026, 4, date(2026, 10, 1), date(2026, 12, 31)),
])
def test_period_bounds(kind, year, number, start, end):
    assert rules.period_bounds(kind, year, number) == (start, end)


def test_a_fifth_quarter_is_refused():
    with pytest.raises(ValueError):
        rules.quarter_period(2026, 5)


@pytest.mark.parametrize(("period_end", "due"), [
    (date(2026, 1, 31), date(2027, 3, 31)),
    (date(2026, 3, 31), date(2027, 3, 31)),
    (date(2026, 4, 30), date(2027, 6, 30)),
    (date(2025, 12, 31), date(2026, 12, 31)),
])
def test_claim_deadline_is_twelve_months_after_the_quarter(period_end, due):
    deadline = rules.claim_deadline(period_end, on=date(2026, 11, 1), legislation=rules.LAW_1965)
    assert deadline.due == due
    assert (deadline.legislation, deadline.lost_from) == (rules.LAW_1965, None)
    assert "12 months" in deadline.source


# Law of 2002, form B: on time up to day 8 after the month, late from day 9; reimbursement lost from
# day 45 until received. Law of 1965: 12 months after the end of the quarter (DOMAIN.md §10).
@pytest.mark.parametrize(("legislation", "period_end", "today", "state", "days_left"), [
    (rules.LAW_2002, date(2026, 3, 31), date(2026, 4, 8), "soon", 0),      # day 8: the last day
    (rules.LAW_2002, date(2026, 3, 31), date(2026, 4, 9), "overdue", -1),  # day 9: late
    (rules.LAW_2002, date(2026, 3, 31), date(2026, 5, 14), "overdue", -36),  # day 44: late, still reimbursed
    (rules.LAW_2002, date(2026, 3, 31), date(2026, 5, 15), "lost", -37),   # day 45: reimbursement lost
    (rules.LAW_2002, date(2024, 2, 29), date(2024, 3, 8), "soon", 0),      # a leap February
    (rules.LAW_2002, date(2024, 2, 29), date(2024, 4, 14), "lost", -37),   # day 45 after 29 February
    (rules.LAW_1965, date(2026, 3, 31), date(2027, 3, 31), "soon", 0),     # quarter end + 12 months
    (rules.LAW_1965, date(2026, 3, 31), date(2027, 4, 1), "overdue", -1),
    (rules.LAW_1965, date(2026, 12, 31), date(2027, 12, 31), "soon", 0),   # the fourth quarter
    (rules.LAW_1965, date(2026, 12, 31), date(2028, 1, 1), "overdue", -1),
    (rules.LAW_1965, date(2026, 2, 28), date(2027, 3, 31), "soon", 0),     # a month inside the quarter
    (rules.LAW_1965, date(2026, 3, 31), date(2030, 1, 1), "overdue", -1007),  # never "lost"
])
def test_deadline_per_legislation(legislation, period_end, today, state, days_left):
    deadline = rules.claim_deadline(period_end, on=today, legislation=legislation)
    assert rules.deadline_state(deadline.due, on=today, lost_from=deadline.lost_from) == (state, days_left)


@pytest.mark.parametrize(("right_type", "legislation"), [
    ("ris", rules.LAW_2002), ("equivalent_aid", rules.LAW_1965), (None, rules.LAW_2002)])
def test_the_legislation_of_a_line_is_its_beneficiarys_right(right_type, legislation):
    assert rules.legislation_of(right_type) == legislation


def test_a_claim_holding_both_legislations_takes_the_earlier_deadline():
    deadline = rules.earliest_deadline(date(2026, 3, 31), [rules.LAW_1965, rules.LAW_2002], on=date(2026, 4, 1))
    assert (deadline.legislation, deadline.due) == (rules.LAW_2002, date(2026, 4, 8))


def test_claim_deadline_before_the_law_of_1965_has_no_value():
    with pytest.raises(NotInForce):
        rules.claim_deadline(date(1960, 1, 31), on=date(1965, 4, 1))


@pytest.mark.parametrize(("today", "state", "days_left"), [
    (date(2027, 1, 29), "later", 61),
    (date(2027, 1, 30), "soon", 60),   # the day the warning window opens
    (date(2027, 3, 31), "soon", 0),    # the last day
    (date(2027, 4, 1), "overdue", -1),  # the day after
])
def test_deadline_state(today, state, days_left):
    assert rules.deadline_state(date(2027, 3, 31), on=today) == (state, days_left)


def test_correction_lines_mark_new_changed_unchanged_and_withdrawn():
    lines = rules.correction_lines(
        {"a": D("500.00"), "b": D("250.00"), "c": D("100.00")},
        {"a": D("500.00"), "b": D("500.00"), "d": D("40.00")},
    )
    assert [(line.source_key, line.change, line.signed_amount, line.difference) for line in lines] == [
        ("a", "unchanged", D("500.00"), D("0.00")),
        ("b", "changed", D("500.00"), D("250.00")),
        ("c", "withdrawn", D("0.00"), D("-100.00")),
        ("d", "new", D("40.00"), D("40.00")),
    ]


amounts = st.decimals(min_value=D("-5000"), max_value=D("5000"), places=2)


@given(st.dictionaries(st.text("abcdef", min_size=1, max_size=3), amounts),
       st.dictionaries(st.text("abcdef", min_size=1, max_size=3), amounts))
def test_a_correction_carries_exactly_the_difference_of_the_totals(previous, current):
    lines = rules.correction_lines(previous, current)
    assert sum((line.difference for line in lines), D("0")) == sum(current.values(), D("0")) - sum(
        previous.values(), D("0"))
    assert sum((line.signed_amount for line in lines), D("0")) == sum(current.values(), D("0"))


def test_reconcile_exact_then_differing_then_unmatched():
    march = (date(2026, 3, 1), date(2026, 3, 31))
    payables = [
        rules.Payable(1, "85073003328", *march, D("1811.57")),
        rules.Payable(2, "85073003328", *march, D("250.00")),
        rules.Payable(3, "01010100225", *march, D("625.00")),
        rules.Payable(4, "24022900164", *march, D("500.00")),
    ]
    payments = [
        rules.Paid(10, "85073003328", *march, D("250.00")),
        rules.Paid(11, "85073003328", *march, D("1800.00")),
        rules.Paid(12, "01010100225", *march, D("625.00")),
        rules.Paid(13, "98472899765", *march, D("99.00")),
    ]
    outcomes, unpaid = rules.reconcile(payables, payments)
    assert outcomes == [(10, 2, "matched"), (11, 1, "differs"), (12, 3, "matched"), (13, None, "unmatched")]
    assert unpaid == [4]


@given(st.lists(st.tuples(st.sampled_from(["85073003328", "01010100225"]), st.integers(1, 3),
                          st.sampled_from([D("250.00"), D("500.00")])), max_size=8),
       st.lists(st.tuples(st.sampled_from(["85073003328", "01010100225"]), st.integers(1, 3),
                          st.sampled_from([D("250.00"), D("500.00"), D("1.00")])), max_size=8))
def test_reconcile_pays_each_line_at_most_once(lines, records):
    def period(month):
        return rules.month_period(2026, month)

    payables = [rules.Payable(index, niss, *period(month), amount) for index, (niss, month, amount) in enumerate(lines)]
    payments = [rules.Paid(index, niss, *period(month), amount) for index, (niss, month, amount) in enumerate(records)]
    outcomes, unpaid = rules.reconcile(payables, payments)
    matched_lines = [line for _record, line, _state in outcomes if line is not None]
    assert len(matched_lines) == len(set(matched_lines))
    assert set(matched_lines) | set(unpaid) == {payable.line_id for payable in payables}
    assert not set(matched_lines) & set(unpaid)
    assert len(outcomes) == len(payments)


@pytest.mark.parametrize(("total", "paid", "status"), [(3, 3, "paid"), (3, 1, "partly_paid"), (3, 0, None)])
def test_status_after_reconciliation(total, paid, status):
    assert rules.status_after_reconciliation(lines_total=total, lines_paid=paid) == status
