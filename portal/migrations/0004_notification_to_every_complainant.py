"""Notifications are owed to every complainant who agreed at intake, not only to online filers:
each notification names its case; the online filing becomes optional."""

import django.db.models.deletion
from django.db import migrations, models


def fill_case(apps, schema_editor):
    Notification = apps.get_model("portal", "Notification")
    for row in Notification.objects.filter(case__isnull=True).select_related("filing").iterator():
        row.case_id = row.filing.case_id
        row.save(update_fields=["case"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_complainant_contact_consent"),
        ("portal", "0003_notification_sending_requeues"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="case",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to="cases.case",
            ),
        ),
        migrations.RunPython(fill_case, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notification",
            name="filing",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to="portal.onlinefiling",
            ),
        ),
    ]
