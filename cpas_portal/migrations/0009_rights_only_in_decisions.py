"""A person's rights are only their dated decisions: the single pair of dates on the person goes.

Anyone registered after ``0008`` copied the rights (and so holding no decision yet) gets theirs first;
going back restores the person's fields from their latest decision.
"""

import datetime

from django.db import migrations, models


def copy_missing_rights(apps, schema_editor):
    Beneficiary = apps.get_model("cpas_portal", "Beneficiary")
    RightDecision = apps.get_model("cpas_portal", "RightDecision")
    people = Beneficiary.objects.filter(right_decisions__isnull=True).values_list(
        "id", "cpas_id", "right_type", "category", "right_start", "right_end")
    RightDecision.objects.bulk_create([
        RightDecision(beneficiary_id=pk, cpas_id=cpas_id, right_type=right_type, category=category, start=start,
                      end=end)
        for pk, cpas_id, right_type, category, start, end in people.iterator(chunk_size=2000)
    ], batch_size=2000)


def restore_person_fields(apps, schema_editor):
    Beneficiary = apps.get_model("cpas_portal", "Beneficiary")
    RightDecision = apps.get_model("cpas_portal", "RightDecision")
    for person in Beneficiary.objects.all().iterator(chunk_size=2000):
        latest = RightDecision.objects.filter(beneficiary_id=person.pk).order_by("-start", "-id").first()
        if latest is not None:
            Beneficiary.objects.filter(pk=person.pk).update(
                right_type=latest.right_type, category=latest.category, right_start=latest.start,
                right_end=latest.end)


class Migration(migrations.Migration):
    dependencies = [
        ("cpas_portal", "0008_copy_rights_to_decisions"),
        # Its data migration read the person's right type: it runs while the field still exists.
        ("reimbursements", "0006_claim_line_legislation_signature_place"),
    ]

    operations = [
        migrations.RunPython(copy_missing_rights, migrations.RunPython.noop),
        # Going back: the fields come back with a placeholder, then take the latest decision's values.
        migrations.RunPython(migrations.RunPython.noop, restore_person_fields),
        migrations.RemoveConstraint(model_name="beneficiary", name="beneficiary_category_valid"),
        migrations.RemoveConstraint(model_name="beneficiary", name="beneficiary_right_end_after_start"),
        migrations.RemoveField(model_name="beneficiary", name="right_type"),
        migrations.RemoveField(model_name="beneficiary", name="category"),
        migrations.RemoveField(model_name="beneficiary", name="right_start"),
        migrations.RemoveField(model_name="beneficiary", name="right_end"),
        migrations.RemoveField(model_name="historicalbeneficiary", name="right_type"),
        migrations.RemoveField(model_name="historicalbeneficiary", name="category"),
        migrations.RemoveField(model_name="historicalbeneficiary", name="right_start"),
        migrations.RemoveField(model_name="historicalbeneficiary", name="right_end"),
    ]
