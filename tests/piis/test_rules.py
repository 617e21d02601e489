"""The PIIS rules as tables: the day before and the day of each change (DOMAIN.md §4, seeds 001 and 002)."""

from datetime import date

import pytest

from cpas_portal.dated import NotInForce
from measures.piis import parameters, rules

BORN = date(2001, 3, 15)  # 25 on 2026-03-15


@pytest.mark.parametrize("applied_on, due", [
    (date(2026, 3, 13), date(2026, 6, 13)),  # 24 years old, two days before the 25th birthday
    (date(2026, 3, 14), date(2026, 6, 14)),  # the day before the 25th birthday: still under 25
    (date(2026, 3, 15), None),               # the day of the 25th birthday: the rule no longer applies
    (date(2026, 3, 16), None),
    (date(2025, 11, 30), date(2026, 2, 28)),  # 3 months later, the month's last day when shorter
    (date(2002, 10, 1), date(2003, 1, 1)),   # the day the law of 26 May 2002 came into force
])
def test_under_25_rule_from_the_application_date(applied_on, due):
    deadline = rules.under_25_deadline(birth_date=BORN, applied_on=applied_on)
    assert (deadline.due if deadline else None) == due
    if deadline:
        assert deadline.kind == "piis.under_25"
        assert "art. 6 §2" in deadline.source and "circular of 21 Oct 2002" in deadline.source


def test_under_25_rule_before_the_law_is_not_in_force():
    with pytest.raises(NotInForce):
        rules.under_25_deadline(birth_date=BORN, applied_on=date(2002, 9, 30))


@pytest.mark.parametrize("decided_on, due", [
    (date(2016, 10, 30), None),
    (date(2016, 10, 31), None),               # the day before the law of 21 July 2016 applies
    (date(2016, 11, 1), date(2017, 2, 1)),    # the day it applies
    (date(2016, 11, 30), date(2017, 2, 28)),
    (date(2026, 5, 31), date(2026, 8, 31)),
])
def test_new_integration_income_rule_around_2016_11_01(decided_on, due):
    deadline = rules.new_ris_deadline(decided_on=decided_on)
    assert (deadline.due if deadline else None) == due
    if deadline:
        assert "21 July 2016" in deadline.source


def test_both_rules_give_their_deadlines_soonest_first():
    deadlines = rules.conclusion_deadlines(birth_date=BORN, applied_on=date(2026, 1, 10),
                                           ris_decided_on=date(2025, 12, 20))
    assert [(d.kind, d.due) for d in deadlines] == [("piis.new_ris", date(2026, 3, 20)),
                                                    ("piis.under_25", date(2026, 4, 10))]


@pytest.mark.parametrize("start, earlier, new", [
    (date(2026, 1, 1), [], True),
    (date(2026, 1, 1), [(date(2025, 1, 1), date(2025, 12, 31))], False),  # a renewal the next day
    (date(2026, 1, 1), [(date(2025, 1, 1), date(2025, 12, 30))], True),   # one day without a right
    (date(2026, 1, 1), [(date(2025, 1, 1), None)], False),                # still open: a change of category
    (date(2026, 1, 1), [(date(2026, 1, 1), None)], True),                 # itself (same start) is not earlier
])
def test_a_new_right_is_one_without_an_integration_income_the_day_before(start, earlier, new):
    assert rules.is_new_right(start=start, earlier=earlier) is new


def held(*rows):
    return [(day, face_to_face) for day, face_to_face in rows]


@pytest.mark.parametrize("evaluations, counts, met", [
    # Three in 2026, two face to face: met. The ones of 2025 and 2027 do not count for 2026.
    (held((date(2025, 12, 31), True), (date(2026, 1, 1), True), (date(2026, 5, 4), True),
          (date(2026, 9, 1), False), (date(2027, 1, 1), True)), (3, 2), True),
    # Three in 2026, only one face to face: one face-to-face meeting missing.
    (held((date(2026, 1, 10), True), (date(2026, 5, 4), False), (date(2026, 9, 1), False)), (3, 1), False),
    # Two face to face only: one evaluation missing.
    (held((date(2026, 1, 10), True), (date(2026, 12, 31), True)), (2, 2), False),
    # A planned meeting (not held) counts for nothing.
    (held((date(2026, 1, 10), True), (date(2026, 5, 4), True), (None, True)), (2, 2), False),
])
def test_evaluations_are_counted_per_calendar_year_with_two_face_to_face(evaluations, counts, met):
    check = rules.yearly_evaluations(year=2026, start=date(2025, 6, 1), end=None, evaluations=evaluations)
    assert (check.required, check.required_face_to_face) == (3, 2)
    assert (check.held, check.held_face_to_face) == counts
    assert check.met is met
    assert check.due == date(2026, 12, 31)
    assert check.missing == max(0, 3 - counts[0])
    assert check.missing_face_to_face == max(0, 2 - counts[1])


@pytest.mark.parametrize("year, start, end, required", [
    (2026, date(2026, 1, 1), date(2026, 12, 31), (3, 2)),   # a whole year
    (2026, date(2026, 9, 1), None, (1, 0)),                 # 4 months (122 days): 3 × 122 / 365 → 1
    (2026, date(2026, 7, 3), None, (1, 0)),                 # 182 days: 2 × 182 / 365 = 0.997 → no face to face
    (2026, date(2026, 7, 2), None, (1, 1)),                 # 183 days: 2 × 183 / 365 = 1.003 → one face to face
    (2016, date(2016, 1, 1), date(2016, 12, 31), (0, 0)),   # in force only for the 61 days from 1 Nov 2016
    (2017, date(2016, 1, 1), date(2017, 12, 31), (3, 2)),
    (2015, date(2015, 1, 1), date(2015, 12, 31), (0, 0)),   # before the law of 21 July 2016: no minimum
])
def test_the_yearly_minimum_is_pro_rata_of_the_days_covered(year, start, end, required):
    check = rules.yearly_evaluations(year=year, start=start, end=end, evaluations=[])
    assert (check.required, check.required_face_to_face) == required


def test_piis_meetings_every_four_months_from_the_start_up_to_its_end():
    assert rules.piis_evaluation_dates(start=date(2026, 2, 1), end=date(2027, 1, 31), until=date(2030, 1, 1)) == [
        date(2026, 6, 1), date(2026, 10, 1)]
    assert rules.piis_evaluation_dates(start=date(2026, 2, 1), end=None, until=date(2027, 6, 1)) == [
        date(2026, 6, 1), date(2026, 10, 1), date(2027, 2, 1), date(2027, 6, 1)]


def test_no_meeting_is_planned_before_the_yearly_minimum_exists():
    assert rules.piis_evaluation_dates(start=date(2016, 3, 1), end=date(2017, 3, 1), until=date(2030, 1, 1)) == [
        date(2016, 11, 1), date(2017, 3, 1)]


def test_placement_meetings_every_three_months_of_its_running_time():
    assert rules.placement_evaluation_dates(start=date(2026, 1, 31), end=date(2026, 12, 31)) == [
        date(2026, 4, 30), date(2026, 7, 31), date(2026, 10, 31)]
    assert rules.placement_evaluation_dates(start=date(2026, 1, 1), end=date(2026, 3, 31)) == []


@pytest.mark.parametrize("end, counts", [
    (None, False),
    (date(2026, 7, 30), False),  # the day before six months
    (date(2026, 7, 31), True),   # six months exactly (1 Feb – 31 Jul)
    (date(2027, 1, 31), True),   # twelve months exactly
    (date(2027, 2, 1), False),   # a day longer than a year
])
def test_a_piis_of_six_to_twelve_months_counts_for_social_activation(end, counts):
    window = rules.social_activation_window(start=date(2026, 2, 1), end=end)
    assert window.counts is counts
    assert (window.earliest_end, window.latest_end) == (date(2026, 7, 31), date(2027, 1, 31))
    assert "slides of 2 Apr 2015" in window.source


@pytest.mark.parametrize("current, target, allowed", [
    ("draft", "signed", True), ("draft", "cancelled", True), ("draft", "ended", False),
    ("signed", "ended", True), ("signed", "cancelled", True), ("signed", "draft", False),
    ("ended", "signed", False), ("cancelled", "signed", False),
])
def test_status_pipeline(current, target, allowed):
    assert (target in rules.ALLOWED_TRANSITIONS[current]) is allowed


def test_every_parameter_cites_its_source():
    for name in dir(parameters):
        value = getattr(parameters, name)
        if hasattr(value, "steps"):
            assert all(step.source for step in value.steps), name
