"""In-memory RIS and RMMMG tables built from the seeded rows, for the pure rule tests."""

import importlib
from datetime import date
from decimal import Decimal

from cpas_portal.dated import NotInForce
from measures.minimum_wage import MinimumWageTable
from measures.ris import RisInForce

RIS_ROWS = importlib.import_module("measures.migrations.0002_seed_ris_amounts").ROWS
WAGE_ROWS = importlib.import_module("measures.migrations.0004_seed_minimum_wage").ROWS
WAGE_BANDS = importlib.import_module("measures.migrations.0008_seed_minimum_wage_2013_2022").ROWS


def ris_lookup(category, day):
    found = None
    for start, cat1, cat2, cat3, verified in RIS_ROWS:
        if date.fromisoformat(start) <= day:
            found = (date.fromisoformat(start), {1: cat1, 2: cat2, 3: cat3}[category], verified)
    if found is None:
        raise NotInForce("RIS", day, "before the first row")
    return RisInForce(Decimal(found[1]), category, found[0], "seed", found[2])


minimum_wage_lookup = MinimumWageTable(
    [(date.fromisoformat(day), Decimal(amount), source, verified) for day, amount, source, verified in WAGE_ROWS]
    + [(date.fromisoformat(day), Decimal(age), seniority, Decimal(amount), source, verified)
       for day, age, seniority, amount, source, verified in WAGE_BANDS]
)
