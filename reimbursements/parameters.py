"""Dated, cited numbers behind claims to SPP IS (DOMAIN.md §10). Each appears here once."""

from datetime import date

from django.utils.translation import gettext_noop

from conventions.parameters import V2004_START, V2012_START
from cpas_portal.dated import Dated
from measures.activation.parameters import REPORT_DUE as ACTIVATION_REPORT_DUE  # noqa: F401 — read by rules
from measures.activation.parameters import SLIDES_2015, YEAR_2015
from measures.parameters import BUDGET_REGIME_START, LAW_IN_FORCE

PRIMABOOK = gettext_noop("SPP IS, Primabook (manual of the reimbursement forms)")

# Statements of expenses are filed within 12 months of the end of the quarter (law of 2 April
# 1965): the rule of lines whose beneficiary receives equivalent financial aid.
CLAIM_DEADLINE_MONTHS_AFTER_QUARTER = Dated(
    name="Months after the end of the quarter to file a claim",
    source=gettext_noop("SPP IS, Primabook (manual of the reimbursement forms): statements of expenses within "
                        "12 months of the end of the quarter (law of 2 April 1965)"),
    steps=((date(1965, 4, 2), 12),),
)

# Decisions and employment measures under the law of 26 May 2002 travel on form B within 8 days
# after the month; a late form loses reimbursement from the 45th day until it is received.
FORM_B_DAYS_AFTER_MONTH = Dated(
    name="Days after the month to send form B",
    source=gettext_noop("SPP IS, Primabook (manual of the reimbursement forms): form B within 8 days after the "
                        "end of the month (law of 26 May 2002)"),
    steps=((LAW_IN_FORCE, 8),),
)
FORM_B_LOSS_FROM_DAY = Dated(
    name="Day after the month from which a late form B loses reimbursement",
    source=gettext_noop("SPP IS, Primabook (manual of the reimbursement forms): a late form B loses "
                        "reimbursement from day 45 until received (law of 26 May 2002)"),
    steps=((LAW_IN_FORCE, 45),),
)

# Project setting, not a legal number: how early finance sees an approaching deadline.
DEADLINE_WARNING_DAYS = 60

# Citations in the abbreviations both languages read (AR/KB, L. = loi/wet), by measure and date.
# Each starts on the first day its measure's own rules accept (the conventions' 2004 decree, the
# law of 2002 for art. 60 §7, the increased subsidy and art. 61), so every item those rules produce
# has a legal basis to claim under; tests/reimbursements/test_legal_bases.py walks every day.
LEGAL_BASIS = {
    "convention": Dated(
        name="Legal basis of the partnership-convention claim",
        source=gettext_noop("Circular of 31 January 2013"),
        steps=(
            (V2004_START, "AR/KB 23/09/2004; L. 26/05/2002; L. 02/04/1965"),
            (V2012_START, "AR/KB 23/09/2004, mod. AR/KB 08/10/2012; L. 26/05/2002; L. 02/04/1965"),
        ),
    ),
    "art60": Dated(
        name="Legal basis of the art. 60 §7 subsidy claim",
        source=gettext_noop("Circular of 21 October 2002"),
        steps=((LAW_IN_FORCE, "L. 08/07/1976 art. 60 §7; L. 26/05/2002 art. 39"),),
    ),
    "social_economy": Dated(
        name="Legal basis of the increased-subsidy claim",
        source=gettext_noop("Circular of 15 March 2013"),
        steps=(
            # Before the per-CPAS budgets, the increased subsidy of the AR of 11/07/2002; contracts
            # concluded then keep it to their end (circular of 15/03/2013).
            (LAW_IN_FORCE, "L. 26/05/2002 art. 39; AR/KB 11/07/2002 (subvention majorée/verhoogde staatstoelage)",
             "AR du 11/07/2002, circulaire du 21/10/2002 §4.1.4"),
            (BUDGET_REGIME_START,
             "L. 26/05/2002 art. 39; circ. 15/03/2013 (subvention majorée/verhoogde staatstoelage)"),
        ),
    ),
    "art61": Dated(
        name="Legal basis of the tutoring-premium claim",
        source=gettext_noop("Circular of 21 October 2002, §4.2"),
        steps=((LAW_IN_FORCE, "L. 08/07/1976 art. 61; L. 26/05/2002"),),
    ),
    # Each line also carries the decree of its own programme (measures.interventions.parameters).
    "intervention": Dated(
        name="Legal basis of the financial-intervention claim",
        source=gettext_noop("Circular of 21 October 2002, §4.3"),
        steps=((LAW_IN_FORCE, "L. 26/05/2002; AR/KB 11/07/2002 (interventions financières/financiële "
                              "tussenkomsten)"),),
    ),
    # Seed 002: the royal decrees granting for 2015 a subsidy to the CPAS of certain cities and
    # municipalities, and to the CPAS of the "Plan clusters pour petits CPAS", paid on the e-convention.
    "activation": Dated(
        name="Legal basis of the social-activation subsidy claim",
        source=SLIDES_2015,
        steps=((YEAR_2015, "AR/KB 2015 activation sociale/sociale activering (villes et communes, Plan clusters "
                           "petits CPAS); convention e-convention; L. 26/05/2002"),),
    ),
}
