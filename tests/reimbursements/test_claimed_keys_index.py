"""What is already claimed is read from the index of live claim lines by source key: one source's keys (a prefix
range) and the day each line's period ends, without reading the lines (the deadline panel, the finance home)."""

from datetime import date

import pytest
from django.db import connection

from reimbursements import sources
from reimbursements.models import ClaimLine
from tests.helpers import requires_postgresql


def claimed_lines(cpas):
    return ClaimLine.objects.filter(cpas=cpas, live=True, covered_end__gte=date(2025, 1, 1))


@pytest.mark.django_db
def test_the_claimed_filter_narrows_the_lines_to_the_sources_keys(cpas_a):
    from measures.models import MonthlySubsidy

    sql = str(MonthlySubsidy.objects.filter(sources.claimed_filter(claimed_lines(cpas_a), "measures.subsidy:")).query)
    assert "LIKE" in sql and "measures.subsidy:%" in sql


@requires_postgresql
@pytest.mark.django_db
def test_a_sources_claimed_keys_are_read_from_the_index_of_claim_lines_by_source_key(cpas_a):
    from tests.home.world import claim

    # Lines of several sources, so that the planner knows one source's keys are a small part of them.
    held_by = claim(cpas_a, status="sent", sequence=1, on=date(2026, 3, 15))
    ClaimLine.objects.bulk_create([
        ClaimLine(claim=held_by, cpas=cpas_a, position=index, source_key=f"{prefix}:{index}", niss="",
                  beneficiary_name="X", covered_start=date(2026, 1, 1), covered_end=date(2026, 1, 31),
                  amount="10.00", legal_basis="-", legislation="2002")
        for index, prefix in enumerate(["measures.subsidy"] * 150 + ["conventions.payment"] * 150
                                       + ["measures.regularisation"] * 2)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reimbursements_claimline")
    claimed = claimed_lines(cpas_a)
    with connection.cursor() as cursor:
        # Small tables would be scanned anyway: forbid the scan to see the index the planner can use.
        cursor.execute("SET enable_seqscan = off")
        try:
            held = (claimed.filter(source_key__startswith="measures.regularisation:").order_by()
                    .values_list("source_key").explain())
        finally:
            cursor.execute("SET enable_seqscan = on")
    # The prefix range of the one source's keys, on the index by source key (the unique index of live keys could
    # only give every line of the CPAS).
    assert "claim_line_source_key_idx" in held
    assert "~>=~ 'measures.regularisation:'" in held


@pytest.mark.parametrize(("end", "covered_until", "expected"), [
    (date(2026, 3, 31), None, date(2026, 3, 31)),             # nothing left out
    (date(2026, 3, 31), date(2026, 2, 28), date(2026, 2, 28)),  # a month's last day: that month is kept
    (date(2026, 3, 31), date(2026, 2, 27), date(2026, 1, 31)),  # the day before: February does not end by then
    (date(2026, 1, 31), date(2026, 2, 28), date(2026, 1, 31)),  # never past the period asked for
])
def test_the_monthly_items_kept_are_those_of_the_months_ended_by_the_day(end, covered_until, expected):
    from reimbursements.adapters import _last_month_end

    assert _last_month_end(end, covered_until) == expected
