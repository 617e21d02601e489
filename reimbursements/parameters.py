"""Dated, cited numbers behind claims to SPP IS (DOMAIN.md §10). Each appears here once."""

from datetime import date

from cpas_portal.dated import Dated

PRIMABOOK = "SPP IS, Primabook (manual of the reimbursement forms)"

# Statements of expenses are filed within 12 months of the end of the quarter (law of 2 April
# 1965). Interpretation, configurable: the same limit is applied to every measure claimed here.
CLAIM_DEADLINE_MONTHS_AFTER_QUARTER = Dated(
    name="Months after the end of the quarter to file a claim",
    source=f"{PRIMABOOK}: statements of expenses within 12 months of the end of the quarter (law of 2 April 1965)",
    steps=((date(1965, 4, 2), 12),),
)

# Project setting, not a legal number: how early finance sees an approaching deadline.
DEADLINE_WARNING_DAYS = 60

# Citations in the abbreviations both languages read (AR/KB, L. = loi/wet), by measure and date.
LEGAL_BASIS = {
    "convention": Dated(
        name="Legal basis of the partnership-convention claim",
        source="Circular of 31 January 2013",
        steps=(
            (date(2004, 10, 1), "AR/KB 23/09/2004; L. 26/05/2002; L. 02/04/1965"),
            (date(2012, 11, 4), "AR/KB 23/09/2004, mod. AR/KB 08/10/2012; L. 26/05/2002; L. 02/04/1965"),
        ),
    ),
    "art60": Dated(
        name="Legal basis of the art. 60 §7 subsidy claim",
        source="Circular of 21 October 2002",
        steps=((date(2002, 10, 1), "L. 08/07/1976 art. 60 §7; L. 26/05/2002 art. 39"),),
    ),
    "social_economy": Dated(
        name="Legal basis of the increased-subsidy claim",
        source="Circular of 15 March 2013",
        steps=(
            (date(2013, 3, 15), "L. 26/05/2002 art. 39; circ. 15/03/2013 (subvention majorée/verhoogde staatstoelage)"),
        ),
    ),
    "art61": Dated(
        name="Legal basis of the tutoring-premium claim",
        source="Circular of 21 October 2002, §4.2",
        steps=((date(2002, 10, 1), "L. 08/07/1976 art. 61; L. 26/05/2002"),),
    ),
}
