"""The four programmes with the decree each rests on (seed 001 §4.3); their amount table stays empty.

The seeds give no amount: an administrator adds the rows from the decrees. Until then, recording a
month is refused with a clear message (never an amount of 0).
"""

from django.db import migrations

# Frozen here: a migration never reads the code of a later version.
PROGRAMMES = {
    "activa": "AR du 11/07/2002 déterminant l'intervention financière du CPAS dans le coût salarial d'un ayant "
              "droit à l'intégration sociale qui est engagé dans le cadre du plan Activa (MB 31/07/2002); "
              "circulaire du 21/10/2002 §4.3.1",
    "interim": "AR du 11/07/2002 déterminant l'intervention financière du CPAS dans le cadre de l'intérim "
               "d'insertion (MB 31/07/2002); circulaire du 21/10/2002 §4.3.2",
    "ptp": "AR du 11/07/2002 déterminant l'intervention financière du CPAS dans le coût salarial d'un ayant droit "
           "à l'intégration sociale mis au travail dans un programme de transition professionnelle "
           "(MB 31/07/2002); circulaire du 21/10/2002 §4.3.3",
    "sine": "AR du 11/07/2002 déterminant l'intervention financière du CPAS dans le coût salarial d'un ayant droit "
            "à l'intégration sociale mis au travail dans une initiative d'insertion sociale (MB 31/07/2002); "
            "circulaire du 21/10/2002 §4.3.4",
}


def seed(apps, schema_editor):
    programme = apps.get_model("interventions", "InterventionProgramme")
    for code, source in PROGRAMMES.items():
        programme.objects.update_or_create(code=code, defaults={"legal_source": source})


def unseed(apps, schema_editor):
    apps.get_model("interventions", "InterventionProgramme").objects.filter(
        code__in=list(PROGRAMMES), rates__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("interventions", "0001_financial_interventions")]

    operations = [migrations.RunPython(seed, unseed)]
