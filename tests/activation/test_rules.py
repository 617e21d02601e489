"""Rules of the social-activation subsidy: deadlines, instalments, the 6–12 month PIIS, allocations."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpas_portal.dated import NotInForce
from cpas_portal.money import split_largest_remainder
from measures.activation import rules
from measures.activation.rules import PiisRow


@pytest.mark.parametrize(("opened", "due"), [
    (date(2015, 4, 15), date(2015, 5, 15)),
    (date(2015, 1, 31), date(2015, 2, 28)),   # no 31 February: the month's last day
    (date(2016, 1, 31), date(2016, 2, 29)),
    (date(2015, 12, 10), date(2016, 1, 10)),
])
def test_the_convention_is_filed_within_a_month_of_the_opening(opened, due):
    assert rules.filing_deadline(opened).due == due


@pytest.mark.parametrize(("decided", "due"), [
    (date(2015, 6, 1), date(2015, 6, 8)),
    (date(2015, 12, 28), date(2016, 1, 4)),
])
def test_the_convention_is_signed_within_a_week_of_the_decision(decided, due):
    assert rules.signature_deadline(decided).due == due


@pytest.mark.parametrize(("year", "due"), [(2015, date(2016, 2, 28)), (2023, date(2024, 2, 28))])
def test_the_final_report_is_due_by_28_february_of_the_next_year(year, due):
    assert rules.report_deadline(year).due == due


def test_nothing_is_in_force_before_2015():
    with pytest.raises(NotInForce):
        rules.report_deadline(2014)
    with pytest.raises(NotInForce):
        rules.filing_deadline(date(2014, 12, 31))


@pytest.mark.parametrize(("granted", "advance", "balance"), [
    ("120000.00", "60000.00", "60000.00"),
    ("10000.01", "5000.01", "5000.00"),    # half a cent rounds up on the advance; the balance is the rest
    ("6534763.86", "3267381.93", "3267381.93"),
])
def test_advance_and_balance_are_half_each_and_add_up(granted, advance, balance):
    split = rules.instalments(Decimal(granted), year=2015)
    assert (split.advance, split.balance) == (Decimal(advance), Decimal(balance))
    assert split.advance + split.balance == Decimal(granted)


@pytest.mark.parametrize(("start", "end", "counted"), [
    (date(2015, 1, 1), date(2015, 6, 29), False),   # a day short of 6 months
    (date(2015, 1, 1), date(2015, 6, 30), True),    # exactly 6 months
    (date(2015, 1, 1), date(2015, 12, 31), True),   # exactly 12 months
    (date(2015, 1, 1), date(2016, 1, 1), False),    # a day over 12 months
    (date(2014, 8, 31), date(2015, 2, 26), False),  # 31 Aug + 6 months is 28 Feb: 6 months end on the 27th
    (date(2014, 8, 31), date(2015, 2, 27), True),
    (date(2014, 3, 1), date(2014, 12, 31), False),  # never runs in 2015
    (date(2015, 9, 1), date(2016, 5, 31), True),    # starts in the year, ends the next
])
def test_a_piis_counts_when_it_runs_in_the_year_and_lasts_6_to_12_months(start, end, counted):
    row = PiisRow(1, 1, rules.SOCIO_PROFESSIONAL, "", start, end)
    assert rules.counts_in_year(row, year=2015) is counted


def test_counting_people_once_per_row_and_paths_once_per_outcome():
    year_rows = [
        PiisRow(1, 10, rules.SOCIO_PROFESSIONAL, rules.OUTCOME_PATH, date(2015, 1, 1), date(2015, 9, 30)),
        PiisRow(2, 10, rules.SOCIAL_PARTICIPATION, rules.OUTCOME_AUTONOMY, date(2015, 3, 1), date(2015, 12, 31)),
        PiisRow(3, 11, rules.SOCIAL_PARTICIPATION, "", date(2015, 2, 1), date(2015, 10, 31), True),
        PiisRow(4, 12, rules.COMMUNITY_SERVICE, "none", date(2015, 4, 1), date(2015, 10, 1)),
        PiisRow(5, 13, rules.COMMUNITY_SERVICE, rules.OUTCOME_COMMUNITY, date(2015, 1, 1), date(2015, 3, 31)),
    ]
    realised = rules.count_realised(year_rows, year=2015, social_assessments=7)
    assert realised.social_assessments == 7
    assert realised.piis_total == 3  # persons 10, 11, 12 (13's PIIS lasts 3 months)
    assert realised.piis_by_kind == {rules.SOCIO_PROFESSIONAL: 1, rules.SOCIAL_PARTICIPATION: 2,
                                     rules.COMMUNITY_SERVICE: 1}
    assert realised.outcomes == {rules.OUTCOME_AUTONOMY: 1, rules.OUTCOME_PATH: 1, rules.OUTCOME_JOB: 1,
                                 rules.OUTCOME_COMMUNITY: 0}
    assert realised.paths_counted == 4


def test_steps_out_of_order_are_named():
    assert rules.steps_in_order({"opened_on": date(2015, 4, 1), "filed_on": date(2015, 3, 1)}) == ["filed_on"]
    assert rules.steps_in_order({"filed_on": date(2015, 4, 1), "signed_on": date(2015, 5, 1)}) == []


# Allocation ---------------------------------------------------------------------------------

def test_the_2015_envelope_split_by_equal_weights_adds_up_to_the_cent():
    allocation = rules.split_large_city(Decimal("6534763.86"), {f"cpas{i}": 10 for i in range(7)}, year=2015)
    amounts = [row.amount for row in allocation.rows]
    assert sum(amounts) == Decimal("6534763.86")
    # 653,476,386 cents / 7 = 93,353,769 remainder 3: the first three parts get a cent more.
    assert amounts == [Decimal("933537.70")] * 3 + [Decimal("933537.69")] * 4


def test_the_envelope_split_by_unequal_weights_adds_up_to_the_cent():
    allocation = rules.split_large_city(Decimal("6534763.86"), {"Antwerpen": 1500, "Liège": 900, "Gent": 601,
                                                                 "Charleroi": 0}, year=2015)
    amounts = {row.key: row.amount for row in allocation.rows}
    assert sum(amounts.values()) == Decimal("6534763.86")
    assert amounts["Charleroi"] == Decimal("0.00")
    # Antwerpen: 6,534,763.86 × 1500 / 3001 = 3,266,293.1656… (hand computed)
    assert amounts["Antwerpen"] == Decimal("3266293.17")
    assert allocation.reasons[0].value == Decimal("6534763.86")


def test_cluster_grants_are_capped_per_cluster():
    allocation = rules.cluster_grants({"a": Decimal("12000"), "b": Decimal("8000.50")}, year=2015)
    assert [row.amount for row in allocation.rows] == [Decimal("10000.00"), Decimal("8000.50")]


def test_cluster_grants_are_reduced_to_the_total_to_the_cent():
    requests = {f"cluster{i}": Decimal("15000") for i in range(19)} | {"small": Decimal("5000.00")}
    allocation = rules.cluster_grants(requests, year=2015)
    amounts = [row.amount for row in allocation.rows]
    # 19 × 10,000 + 5,000 = 195,000 ≤ 200,000: nothing is reduced.
    assert sum(amounts) == Decimal("195000.00")
    assert max(amounts) == Decimal("10000.00")


def test_twenty_clusters_at_the_cap_take_the_whole_total(monkeypatch):
    requests = {f"c{i}": Decimal("10000") for i in range(20)}
    assert sum(row.amount for row in rules.cluster_grants(requests, year=2015).rows) == Decimal("200000.00")


def test_more_than_the_total_is_reduced_in_proportion_and_adds_up(monkeypatch):
    from cpas_portal.dated import Dated
    from measures.activation import parameters

    monkeypatch.setattr(parameters, "CLUSTER_ENVELOPE", Dated(name="total", source="test",
                                                              steps=((date(2015, 1, 1), Decimal("25000.00")),)))
    allocation = rules.cluster_grants({"a": Decimal("10000"), "b": Decimal("10000"), "c": Decimal("10000")},
                                      year=2015)
    # 25,000 in three equal parts: 8,333.33 each and the one cent left to the first.
    assert [row.amount for row in allocation.rows] == [Decimal("8333.34"), Decimal("8333.33"), Decimal("8333.33")]
    assert allocation.total == Decimal("25000.00")


def test_at_most_20_clusters():
    with pytest.raises(ValueError):
        rules.cluster_grants({f"c{i}": Decimal("1000") for i in range(21)}, year=2015)


@settings(max_examples=150, deadline=None)
@given(total=st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2),
       weights=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=40).filter(any))
def test_largest_remainder_parts_add_up_and_stay_within_a_cent(total, weights):
    parts = split_largest_remainder(total, weights)
    assert sum(parts) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - total * weight / whole) < Decimal("0.01")


@settings(max_examples=150, deadline=None)
@given(requests=st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50000"), places=2),
                         min_size=1, max_size=20))
def test_cluster_grants_never_exceed_cap_request_or_total(requests):
    allocation = rules.cluster_grants({index: amount for index, amount in enumerate(requests)}, year=2015)
    assert allocation.total <= Decimal("200000.00")
    for row in allocation.rows:
        assert row.amount <= min(row.requested, Decimal("10000.00"))
    capped = sum(min(amount, Decimal("10000.00")) for amount in requests)
    assert allocation.total == min(capped, Decimal("200000.00"))
