import django.db.models.functions.text
from django.db import migrations, models


def number_repeated_oficios(apps, schema_editor):
    """Requests recorded before the rule with a repeated oficio number keep it visible but made
    unique ("CNDH/5/2026/001 (repetido 2)"), so the constraint can be added; the auditors correct
    them by hand."""
    InformationRequest = apps.get_model("information_requests", "InformationRequest")
    seen: dict[str, int] = {}
    for request in InformationRequest.objects.exclude(reference="").order_by("pk"):
        key = request.reference.lower()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            request.reference = f"{request.reference} (repetido {seen[key]})"[:64]
            request.save(update_fields=["reference"])


class Migration(migrations.Migration):
    dependencies = [
        ("information_requests", "0002_rename_tables"),
    ]

    operations = [
        migrations.RunPython(number_repeated_oficios, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="informationrequest",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("reference"),
                condition=models.Q(("reference", ""), _negated=True),
                name="request_unique_reference",
                violation_error_message=(
                    "Ya hay una solicitud con ese número de oficio. Cada número (área emisora, año y "
                    "consecutivo, p. ej. CNDH/5/2026/001) se usa una sola vez."
                ),
            ),
        ),
    ]
