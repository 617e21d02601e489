"""A claim's reference speaks the CPAS's language: its measure and quarter words, never an internal code."""

from datetime import date

import pytest

from reimbursements import rules


@pytest.mark.parametrize(("language", "measure", "kind", "expected"), [
    ("fr", "social_economy", "month", "92094-ECOSOC-2026-03-1v1"),
    ("nl", "social_economy", "month", "92094-SOCECO-2026-03-1v1"),
    ("de", "social_economy", "month", "92094-SOZWIRT-2026-03-1v1"),
    ("fr", "convention", "quarter", "92094-CONVPART-2026-T1-1v1"),
    ("nl", "convention", "quarter", "92094-PARTNEROVK-2026-K1-1v1"),
    ("de", "convention", "quarter", "92094-PARTNERVB-2026-Q1-1v1"),
    ("de", "intervention", "month", "92094-FINBETEIL-2026-03-1v1"),
    ("de", "activation", "month", "92094-SOZAKT-2026-03-1v1"),
])
def test_reference_in_the_cpas_language(language, measure, kind, expected):
    assert rules.claim_reference(nis_code="92094", measure=measure, period_kind=kind, period_start=date(2026, 3, 1),
                                 sequence=1, version=1, language=language) == expected


def test_every_language_names_every_measure():
    measures = set(rules.REFERENCE_MEASURE_CODES["fr"])
    for language, codes in rules.REFERENCE_MEASURE_CODES.items():
        assert set(codes) == measures, language
        assert language in rules.QUARTER_LETTERS
