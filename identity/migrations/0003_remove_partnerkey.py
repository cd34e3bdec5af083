"""Second step of the move to `org.ApiKey`: the new partner column replaces the old one."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0002_partner_keys_to_org"),
    ]

    operations = [
        migrations.RemoveField(model_name="consentrecord", name="partner"),
        migrations.RenameField(model_name="consentrecord", old_name="partner_org", new_name="partner"),
        migrations.AlterField(
            model_name="consentrecord",
            name="partner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.partner",
                verbose_name="partner",
            ),
        ),
        migrations.DeleteModel(name="PartnerKey"),
    ]
