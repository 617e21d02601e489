"""Numbers of the law for art. 60 §7 placements, the social-economy budget and the art. 61 premium.

Each value appears once, dated, with its source (seeds 001 §4.1–§4.2 and 004; DOMAIN.md §6–§7).
The RIS amounts and the guaranteed average minimum monthly wage (RMMMG/GGMMI) change often and are
edited by administrators: they live in tables (``RisAmount``, ``MinimumWage``), not here.
"""

from datetime import date
from decimal import Decimal

from cpas_portal.dated import Dated
from cpas_portal.models import Region

LAW_2002 = "Loi du 26/05/2002 concernant le droit à l'intégration sociale, art. 36 §1 et 37"
AR_PART_TIME = "AR du 11/07/2002 (occupation à temps partiel, art. 60 §7), circulaire du 21/10/2002 §4.1.2"
AR_PRIVATE_FIRM = "AR du 04/09/2002 (mise à disposition d'une entreprise privée), circulaire du 21/10/2002 §4.1.3"
AR_SOCIAL_ECONOMY = "AR du 11/07/2002 (subvention majorée, économie sociale), circulaire du 21/10/2002 §4.1.4"
CIRCULAR_2013 = "Circulaire du 15/03/2013, art. 60 §7 subvention majorée de l'État 2013"
AR_ART61 = "AR du 11/07/2002 (encadrement et formation, art. 61), circulaire du 21/10/2002 §4.2"

# The law of 26 May 2002 entered into force on 1 October 2002.
LAW_IN_FORCE = date(2002, 10, 1)

FEDERAL_2002 = "federal-2002"
"""The rule set of the seeds (federal rules of 2002 and the circular of 2013), the one implemented."""

# Since the 6th State Reform the Regions own these rules; the federal set applies in each Region
# until a successor is added here with its date and source (DOMAIN.md §6).
RULE_SETS = {
    region: Dated(name=f"art. 60 §7 rule set ({region})", source=LAW_2002, steps=((LAW_IN_FORCE, FEDERAL_2002),))
    for region in Region.values
}

# Full-time: the highest RIS amount (category 3, person with a dependent family).
FULL_TIME_RIS_CATEGORY = Dated(name="RIS category of the full-time subsidy", source=LAW_2002,
                               steps=((LAW_IN_FORCE, 3),))
UNDER_25_AGE = Dated(name="age limit of the under-25 increase", source=LAW_2002, steps=((LAW_IN_FORCE, 25),))
UNDER_25_INCREASE = Dated(name="under-25 increase", source=LAW_2002, steps=((LAW_IN_FORCE, Decimal("0.25")),))
# "majorée de 25 % jusqu'au coût salarial brut au maximum" (circular of 21/10/2002 §4.1.1) [interp]:
# the increased subsidy is capped at the month's gross wage cost (each pay period may record a
# monthly gross wage cost, pro rata of its paid days; without one, its gross pay) instead of the pay.

# Part-time: flat, non-indexed amounts, and a credit of months per (CPAS, person).
PART_TIME_MONTHLY = Dated(name="part-time monthly subsidy", source=AR_PART_TIME,
                          steps=((LAW_IN_FORCE, Decimal("500.00")),))
PART_TIME_MONTHLY_UNDER_25 = Dated(name="part-time monthly subsidy under 25", source=AR_PART_TIME,
                                   steps=((LAW_IN_FORCE, Decimal("625.00")),))
PART_TIME_CREDIT_MONTHS = Dated(name="part-time subsidy credit (months)", source=AR_PART_TIME,
                                steps=((LAW_IN_FORCE, 6),))
# "Six months of contract time" [interp] (the circular of 21/10/2002 §4.1.2 calls the six months a
# time credit that interruptions do not use, shared by several short contracts; it does not say how
# to count them). The credit is counted in days: its length is the number of days from the first day
# it is used to the same day six calendar months later (``add_months``), e.g. 181 days from
# 1 January 2019, 184 from 1 July 2019. Each paid day under a part-time contract uses one day of it;
# days of unpaid absence and days between contracts use none, and days on which two part-time
# contracts overlap are subsidised as full-time and use none either. For one continuous contract the
# credit therefore ends on the day before the same date six months later (from 15 January: on 14 July)
# and that month is paid pro rata up to that day. The same counting limits the part-time increased
# subsidy in the social economy (SOCIAL_ECONOMY_PART_TIME_MONTHS), per placement.

# Length of a placement. Organic law of the CPAS (8 July 1976), art. 60 §7: the employment lasts at
# most the time the person needs to obtain full social benefits, i.e. to open unemployment rights.
# AR of 25 November 1991 on unemployment, art. 30: 312, 468 or 624 working days within the last 21,
# 33 or 42 months, by age. Work older than the longest reference period never counts, so no placement
# needs more than 42 months (interpretation: the bound, not the exact need of each person, whose
# planned end the caseworker enters).
AR_UNEMPLOYMENT = ("Loi organique des CPAS du 08/07/1976, art. 60 §7; AR du 25/11/1991 portant réglementation du "
                   "chômage, art. 30 (période de référence la plus longue : 42 mois)")
PLACEMENT_MAX_MONTHS = Dated(name="maximum length of a placement (months)", source=AR_UNEMPLOYMENT,
                             steps=((LAW_IN_FORCE, 42),))

# Private firm used as a trial period: between one and six months.
TRIAL_MIN_MONTHS = Dated(name="minimum trial at a private firm (months)", source=AR_PRIVATE_FIRM,
                         steps=((LAW_IN_FORCE, 1),))
TRIAL_MAX_MONTHS = Dated(name="maximum trial at a private firm (months)", source=AR_PRIVATE_FIRM,
                         steps=((LAW_IN_FORCE, 6),))

# Social economy: gross pay up to the RMMMG; part-time proportional and at most six months.
SOCIAL_ECONOMY_PART_TIME_MONTHS = Dated(name="part-time increased subsidy (months)", source=AR_SOCIAL_ECONOMY,
                                        steps=((LAW_IN_FORCE, 6),))
# From this day the increased subsidy is paid within a per-CPAS annual budget; contracts concluded
# before it keep the increased subsidy to their end, outside the budget.
BUDGET_REGIME_START = date(2013, 3, 15)
# The circular grants budgets "pour 2013": its budget rules govern budget years from 2013, looked up
# on a day of the budget year.
FIRST_BUDGET_YEAR = date(2013, 1, 1)
CPAS_CREATED_INITIATIVES_SHARE = Dated(name="share of the budget for initiatives created by the CPAS",
                                       source=CIRCULAR_2013, steps=((FIRST_BUDGET_YEAR, Decimal("0.25")),))
BUDGET_REFERENCE_YEARS = Dated(name="years averaged to weigh each CPAS", source=CIRCULAR_2013,
                               steps=((FIRST_BUDGET_YEAR, 3),))

# Art. 61 tutoring premium.
ART61_MONTHLY_CAP = Dated(name="art. 61 premium per calendar month of full-time work", source=AR_ART61,
                          steps=((LAW_IN_FORCE, Decimal("250.00")),))
ART61_MAX_GRANTS = Dated(name="art. 61 premium: maximum number of grants", source=AR_ART61,
                         steps=((LAW_IN_FORCE, 12),))
ART61_WINDOW_MONTHS = Dated(name="art. 61 premium: calendar months of employment", source=AR_ART61,
                            steps=((LAW_IN_FORCE, 24),))
