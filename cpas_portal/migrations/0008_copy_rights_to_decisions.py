"""Every person's single right (type, category, start, end) becomes their first dated right decision."""

from django.db import migrations


def copy_rights(apps, schema_editor):
    Beneficiary = apps.get_model("cpas_portal", "Beneficiary")
    RightDecision = apps.get_model("cpas_portal", "RightDecision")
    batch = []
    people = Beneficiary.objects.values_list("id", "cpas_id", "right_type", "category", "right_start", "right_end")
    for pk, cpas_id, right_type, category, start, end in people.iterator(chunk_size=2000):
        batch.append(RightDecision(
            beneficiary_id=pk, cpas_id=cpas_id, right_type=right_type, category=category, start=start, end=end,
        ))
        if len(batch) >= 2000:
            RightDecision.objects.bulk_create(batch)
            batch = []
    RightDecision.objects.bulk_create(batch)


def forget_decisions(apps, schema_editor):
    apps.get_model("cpas_portal", "RightDecision").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cpas_portal", "0007_right_decisions")]
    operations = [migrations.RunPython(copy_rights, forget_decisions)]
