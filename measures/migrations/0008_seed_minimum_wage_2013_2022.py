"""Seeds the RMMMG/GGMMI scales of 2013–2022 by age and seniority, and the "confirmed up to" date of
the RIS and RMMMG tables.

Each scale is the set of rows in force from one date (``minimum_wage.py`` says which row a
placement uses). ``verified`` only where two public sources state the amount (or the percentage
and the base it applies to); every other row is seeded unverified for an administrator to check.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

GUIDO = ("guido.be, « Word je wel correct betaald? »: GGMMI 21 jaar 1.501,82 €; CCT 50: 20 j. 94 %, 19 j. 88 %, "
         "18 j. 82 %")
PARTENA = ("Partena Professional, « Jeunes travailleurs et revenu minimum moyen mensuel au 01.01.2015 »: "
           "1.501,82 € au 01.04.2013; 88/92/96 % dès le 01.04.2013, 2 % par an dès le 01.01.2014, 100 % dès le "
           "01.01.2015 (CCT 43 duodecies, 43 terdecies, 50 bis)")
SECUREX = ("Securex, « La dégressivité des salaires pour les jeunes supprimée à partir du 1er janvier 2015 » "
           "(09/12/2014)")
LOONWIJZER_2013 = "Loonwijzer.be, « Minimumloon in België »: vanaf april 2013 18 j. 88 %, 19 j. 92 %, 20 j. 96 %"
LOONWIJZER_2018 = "Loonwijzer.be, « Minimumloon – België »: GGMMI 1.593,81 €, geldig vanaf 01-09-2018"
ACV = ("ACV, « Minimumloon »: vanaf 18 j. 1.625,72 €; 19 j. met 6 maanden anciënniteit 1.668,86 €; "
       "20 j. met 12 maanden 1.688,03 €")
CCT43_SENIORITY = "CNT, CCT n° 43 (montant avec ancienneté), indexé; à rapprocher d'une table publiée"
CCT43_INDEXED = "CNT, CCT n° 43, indexé (indice-pivot); à rapprocher d'une table publiée"
CCT43_16 = "CNT, CCT n° 43/16: RMMMG unique dès 18 ans au 01/04/2022 (DOMAIN.md §6)"


def _both(*sources):
    return " + ".join(sources)[:250]


# (in force from, from the age of, seniority months, amount, source, verified)
ROWS = [
    # CCT 43 (21, 21½ with 6 months, 22 with 12 months) and CCT 50 (under-21s, 6 % less per year).
    ("2013-01-01", "18.0", 0, "1231.49", GUIDO, False),
    ("2013-01-01", "19.0", 0, "1321.60", GUIDO, False),
    ("2013-01-01", "20.0", 0, "1411.71", GUIDO, False),
    ("2013-01-01", "21.0", 0, "1501.82", _both(GUIDO, PARTENA), True),
    ("2013-01-01", "21.5", 6, "1541.67", CCT43_SENIORITY, False),
    ("2013-01-01", "22.0", 12, "1559.38", CCT43_SENIORITY, False),
    # From 1 April 2013: under-21s at 88 / 92 / 96 % of the 21-year amount.
    ("2013-04-01", "18.0", 0, "1321.60", _both(PARTENA, LOONWIJZER_2013), True),
    ("2013-04-01", "19.0", 0, "1381.67", _both(PARTENA, LOONWIJZER_2013), True),
    ("2013-04-01", "20.0", 0, "1441.75", _both(PARTENA, LOONWIJZER_2013), True),
    ("2013-04-01", "21.0", 0, "1501.82", _both(GUIDO, PARTENA), True),
    ("2013-04-01", "21.5", 6, "1541.67", CCT43_SENIORITY, False),
    ("2013-04-01", "22.0", 12, "1559.38", CCT43_SENIORITY, False),
    # From 1 January 2014: 2 % less per year under 21 (94 / 96 / 98 %).
    ("2014-01-01", "18.0", 0, "1411.71", _both(PARTENA, SECUREX), True),
    ("2014-01-01", "19.0", 0, "1441.75", _both(PARTENA, SECUREX), True),
    ("2014-01-01", "20.0", 0, "1471.78", _both(PARTENA, SECUREX), True),
    ("2014-01-01", "21.0", 0, "1501.82", _both(GUIDO, PARTENA), True),
    ("2014-01-01", "21.5", 6, "1541.67", CCT43_SENIORITY, False),
    ("2014-01-01", "22.0", 12, "1559.38", CCT43_SENIORITY, False),
    # From 1 January 2015 every worker of 18 or more has the full amount; the seniority steps move to
    # 19 years (6 months) and 20 years (12 months), the structure stated by ACV for 2020.
    ("2015-01-01", "18.0", 0, "1501.82", _both(PARTENA, SECUREX), True),
    ("2015-01-01", "19.0", 6, "1541.67", CCT43_SENIORITY, False),
    ("2015-01-01", "20.0", 12, "1559.38", CCT43_SENIORITY, False),
    # Index steps (2 %).
    ("2016-06-01", "18.0", 0, "1531.93", CCT43_INDEXED, False),
    ("2016-06-01", "19.0", 6, "1572.58", CCT43_INDEXED, False),
    ("2016-06-01", "20.0", 12, "1590.64", CCT43_INDEXED, False),
    ("2017-06-01", "18.0", 0, "1562.59", CCT43_INDEXED, False),
    ("2017-06-01", "19.0", 6, "1604.05", CCT43_INDEXED, False),
    ("2017-06-01", "20.0", 12, "1622.46", CCT43_INDEXED, False),
    ("2018-09-01", "18.0", 0, "1593.81", LOONWIJZER_2018, False),
    ("2018-09-01", "19.0", 6, "1636.13", CCT43_INDEXED, False),
    ("2018-09-01", "20.0", 12, "1654.92", CCT43_INDEXED, False),
    ("2020-03-01", "18.0", 0, "1625.72", ACV, False),
    ("2020-03-01", "19.0", 6, "1668.86", ACV, False),
    ("2020-03-01", "20.0", 12, "1688.03", ACV, False),
    # From 1 April 2022 one amount from 18, whatever the seniority.
    ("2022-04-01", "18.0", 0, "1806.16", CCT43_16, False),
]

# Up to which day the tables are known to hold every row: RIS to its last row (2026-03-01, DOMAIN.md
# §3); RMMMG to the day before the index step that follows the RIS's of 2026-03-01.
CONFIRMATIONS = [
    ("ris", "2026-03-31", "Rows of DOMAIN.md §3 (SPP IS tables and derived index steps)."),
    ("minimum_wage", "2026-02-28", "Rows of DOMAIN.md §6; CCT 43/17 adds a step on 2026-04-01 and indexations."),
]


def seed(apps, schema_editor):
    MinimumWage = apps.get_model("measures", "MinimumWage")
    for day, age, seniority, amount, source, verified in ROWS:
        MinimumWage.objects.update_or_create(
            effective_date=date.fromisoformat(day), min_age=Decimal(age), min_seniority_months=seniority,
            defaults={"monthly_amount": Decimal(amount), "source": source, "verified": verified},
        )
    TableConfirmation = apps.get_model("measures", "TableConfirmation")
    for table, up_to, note in CONFIRMATIONS:
        TableConfirmation.objects.get_or_create(
            table=table, defaults={"confirmed_up_to": date.fromisoformat(up_to), "note": note})


def unseed(apps, schema_editor):
    MinimumWage = apps.get_model("measures", "MinimumWage")
    for day, age, seniority, *_rest in ROWS:
        MinimumWage.objects.filter(effective_date=date.fromisoformat(day), min_age=Decimal(age),
                                   min_seniority_months=seniority).delete()
    apps.get_model("measures", "TableConfirmation").objects.filter(
        table__in=[row[0] for row in CONFIRMATIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [('measures', '0007_firm_employment_confirmations_wage_bands')]
    operations = [migrations.RunPython(seed, unseed)]
