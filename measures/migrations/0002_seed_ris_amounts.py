"""Seeds the RIS amounts of DOMAIN.md §3.

Rows marked C are stated by the SPP IS table of integration income amounts (Primabook, 2011–2020)
or later published SPP IS amounts: seeded verified. Rows marked D are derived from confirmed
bases and coefficients: seeded unverified, for an administrator to confirm.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

PUBLISHED = "SPP IS, montants du revenu d'intégration (Primabook) — loi du 26/05/2002, art. 14"
DERIVED = "Derived from the base amounts and the index coefficient (loi du 26/05/2002, art. 14)"

ROWS = [
    ("2011-09-01", "513.46", "770.18", "1026.91", True),
    ("2012-02-01", "523.74", "785.61", "1047.48", True),
    ("2012-12-01", "534.23", "801.34", "1068.45", True),
    ("2013-09-01", "544.91", "817.36", "1089.82", True),
    ("2015-09-01", "555.81", "833.71", "1111.62", True),
    ("2016-04-01", "566.92", "850.39", "1133.85", True),
    ("2016-06-01", "578.27", "867.40", "1156.53", True),
    ("2017-06-01", "589.82", "884.74", "1179.65", True),
    ("2017-09-01", "595.13", "892.70", "1190.27", True),
    ("2018-07-01", "595.13", "892.70", "1230.27", True),
    ("2018-09-01", "607.01", "910.52", "1254.82", True),
    ("2019-07-01", "619.15", "928.73", "1254.82", True),
    ("2020-01-01", "626.74", "940.11", "1270.51", True),
    ("2020-03-01", "639.27", "958.91", "1295.91", True),
    ("2021-01-01", "656.45", "984.68", "1330.74", True),
    ("2021-07-01", "669.58", "1004.37", "1357.36", False),
    ("2021-09-01", "682.99", "1024.49", "1384.54", False),
    ("2022-01-01", "714.86", "1072.30", "1449.15", True),
    ("2022-03-01", "729.20", "1093.80", "1478.22", False),
    ("2022-05-01", "743.78", "1115.67", "1507.77", True),
    ("2022-08-01", "758.64", "1137.97", "1537.90", True),
    ("2022-11-01", "773.80", "1160.70", "1568.62", True),
    ("2022-12-01", "789.29", "1183.94", "1600.03", False),
    ("2023-01-01", "809.42", "1214.13", "1640.83", True),
    ("2023-07-01", "825.61", "1238.41", "1673.65", False),
    ("2023-11-01", "842.12", "1263.17", "1707.11", False),
    ("2024-05-01", "858.97", "1288.46", "1741.29", True),
    ("2025-02-01", "876.13", "1314.20", "1776.07", True),
    ("2026-03-01", "893.65", "1340.47", "1811.57", False),
]


def seed(apps, schema_editor):
    RisAmount = apps.get_model("measures", "RisAmount")
    for day, cat1, cat2, cat3, verified in ROWS:
        RisAmount.objects.update_or_create(
            effective_date=date.fromisoformat(day),
            defaults={
                "category_1": Decimal(cat1),
                "category_2": Decimal(cat2),
                "category_3": Decimal(cat3),
                "source": PUBLISHED if verified else DERIVED,
                "verified": verified,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("measures", "RisAmount").objects.filter(
        effective_date__in=[date.fromisoformat(row[0]) for row in ROWS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
