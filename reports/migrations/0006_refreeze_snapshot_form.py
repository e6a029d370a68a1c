"""Snapshots are written in a new form (the legal basis once per obligation in the national
snapshot; the «se pide desde» marks frozen with each scorecard). The old ones are removed here,
with their freeze records: the first reader of each published cycle freezes it again from its
published ratings (reports.snapshots.pending_freeze), so no page ever mixes the two forms."""

from django.db import migrations


def forget_snapshots(apps, schema_editor):
    apps.get_model("reports", "ScorecardSnapshot").objects.all().delete()
    apps.get_model("reports", "CycleFreeze").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_frobust_job_lease")]

    operations = [migrations.RunPython(forget_snapshots, migrations.RunPython.noop)]
