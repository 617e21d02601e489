"""Factories for reimbursement claims: items of a fake source, and claims made through the services."""

from datetime import date
from decimal import Decimal

from cpas_portal.demo import national_number
from reimbursements.sources import ClaimItem


def fake_item(index, *, amount="1811.57", start=date(2026, 3, 1), end=date(2026, 3, 31), name=None, niss=None,
              prefix="fake.line", legislation="2002", description="Full-time subsidy"):
    return ClaimItem(
        source_key=f"{prefix}:{index}",
        niss=niss or national_number(date(1990, 5, 17), index % 997 + 1),
        beneficiary_name=name or f"Person {index:05d}",
        covered_start=start,
        covered_end=end,
        amount=Decimal(amount),
        legal_basis="Loi organique des CPAS 08/07/1976 art. 60 §7",
        legislation=legislation,
        description=description,
    )


class FakeSource:
    """A source whose items a test sets and changes at will (as the other apps' records would)."""

    def __init__(self, items=()):
        self.items = list(items)
        self.calls = 0

    def __call__(self, *, cpas, start, end):
        self.calls += 1
        return [item for item in self.items if start <= item.covered_start <= end]
