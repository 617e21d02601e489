"""The budget articles of SPP IS's statements the sources state, with their State's share."""

from datetime import date
from decimal import Decimal

from django.db import migrations

# Only rows a source states; administrators add the others (and confirm these) in the admin.
ROWS = (
    ("102", date(2002, 10, 1), Decimal("60.00"), "Integration income (law of 26 May 2002)",
     "SPP IS, Primabook, « Beschrijving van de maandstaten »: article 102 → 60 % (DOMAIN.md §10)"),
)


def seed(apps, schema_editor):
    BudgetArticle = apps.get_model("reimbursements", "BudgetArticle")
    for article, start, percentage, label, source in ROWS:
        BudgetArticle.objects.get_or_create(article=article, effective_date=start, defaults={
            "state_percentage": percentage, "label": label, "source": source, "verified": False})


def unseed(apps, schema_editor):
    BudgetArticle = apps.get_model("reimbursements", "BudgetArticle")
    for article, start, *_rest in ROWS:
        BudgetArticle.objects.filter(article=article, effective_date=start).delete()


class Migration(migrations.Migration):
    dependencies = [('reimbursements', '0003_statements_in_the_primabook_layout')]
    operations = [migrations.RunPython(seed, unseed)]
