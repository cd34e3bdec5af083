"""Every notification names its case (filled by 0004; a separate migration so that PostgreSQL
does not alter the table in the transaction that updated its rows)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_notification_to_every_complainant")]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to="cases.case"
            ),
        ),
    ]
