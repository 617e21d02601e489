"""Seeds the guaranteed average minimum monthly wage (RMMMG/GGMMI, full-time, 18 and over) of DOMAIN.md §6.

The April 2024 amount is set by the National Labour Council's collective agreement no. 43/17; the
later rows apply the 2 % index steps to it: seeded unverified, for an administrator to confirm.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

CCT_43_17 = "CNT, convention collective de travail n° 43/17 (RMMMG au 01/04/2024)"
INDEXED = "CNT, CCT n° 43/17, indexé de 2 % (dépassement de l'indice-pivot)"

ROWS = [
    ("2024-04-01", "2029.88", CCT_43_17, True),
    ("2024-05-01", "2070.48", INDEXED, False),
    ("2025-02-01", "2111.89", INDEXED, False),
]


def seed(apps, schema_editor):
    MinimumWage = apps.get_model("measures", "MinimumWage")
    for day, amount, source, verified in ROWS:
        MinimumWage.objects.update_or_create(
            effective_date=date.fromisoformat(day),
            defaults={"monthly_amount": Decimal(amount), "source": source, "verified": verified},
        )


def unseed(apps, schema_editor):
    apps.get_model("measures", "MinimumWage").objects.filter(
        effective_date__in=[date.fromisoformat(row[0]) for row in ROWS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("measures", "0003_placements_budgets_premiums")]
    operations = [migrations.RunPython(seed, unseed)]
