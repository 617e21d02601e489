"""Data of the statement benchmark: a sent claim of N lines and SPP IS's statement paying it.

The statement is written in the layout the importer reads (:mod:`reimbursements.statement`, the
fixed-width TXT records), one record per claim line: most pay their line exactly, one in twenty
pays another amount, one in twenty pays nothing this CPAS claimed, one in fifty is refused. So the
import parses, matches (exactly, by amount, not at all) and records every kind of outcome.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from cpas_portal.bulk_history import CREATED, record_history
from cpas_portal.demo import national_number

from . import rules, statement
from .models import Claim, ClaimLine

MONTH = date(2026, 1, 1)
MONTH_END = date(2026, 1, 31)
AMOUNT = Decimal("1249.31")
# The lines' items point past any real row: a refused record releases its item, and there is none.
NO_SUCH_ROW = 2_000_000_000


def person(index):
    """A distinct valid national number for each index (997 people per birth date)."""
    return national_number(date(1960, 1, 1) + timedelta(days=index // 997), index % 997 + 1)


def sent_claim(*, cpas, user, lines, sequence):
    """A claim of ``lines`` art. 60 §7 lines, sent to SPP IS (bulk-inserted with their history)."""
    claim = Claim.objects.create(
        cpas=cpas, measure="art60", period_kind="month", period_start=MONTH, period_end=MONTH_END,
        sequence=sequence, status=rules.SENT, legal_basis="L. 08/07/1976 art. 60 §7", line_count=lines,
        total=AMOUNT * lines, generated_at=timezone.now(), generated_by=user, sent_at=timezone.now())
    ClaimLine.objects.bulk_create([
        ClaimLine(claim_id=claim.pk, cpas_id=cpas.pk, position=index + 1,
                  source_key=f"measures.subsidy:{NO_SUCH_ROW + sequence * 100_000 + index}", niss=person(index),
                  beneficiary_name=f"Nom{index:05d}", covered_start=MONTH, covered_end=MONTH_END, amount=AMOUNT,
                  legal_basis="L. 08/07/1976 art. 60 §7", legislation="2002")
        for index in range(lines)], batch_size=2000)
    record_history(ClaimLine.objects.filter(claim=claim), history_type=CREATED, user=user)
    return claim


def statement_text(*, nis_code, records):
    """The TXT statement of ``records`` records paying the lines of :func:`sent_claim`."""
    out = []
    for index in range(records):
        amount = AMOUNT
        niss = person(index)
        if index % 20 == 7:
            amount = AMOUNT - Decimal("10.00")
        elif index % 20 == 13:
            niss = person(records + index)
        out.append(statement.format_record(
            nis_code=nis_code, year_month="202601", niss=niss, first_day=MONTH, last_day=MONTH_END,
            amount=amount, name=f"NOM{index:05d}", refusal_code="12" if index % 50 == 3 else ""))
    return ("\n".join(out) + "\n").encode()
