from django.db import migrations

TRIGRAM_INDEX = "beneficiary_search_trgm_idx"


def drop_trigram_index(apps, schema_editor):
    # Names are searched by their words (``BeneficiaryNameWord``) on every database: the trigram index of
    # migration 0013 serves no query any more and only slows every insert and rename on PostgreSQL.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON cpas_portal_beneficiary "
                              "USING gin (search_name gin_trgm_ops)")


class Migration(migrations.Migration):

    dependencies = [
        ("cpas_portal", "0014_beneficiary_name_words"),
    ]

    operations = [
        migrations.RunPython(drop_trigram_index, create_trigram_index),
    ]
