"""Second step of the move to `org.ApiKey`: the new partner column replaces the old one."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("open311", "0002_partner_keys_to_org"),
    ]

    operations = [
        migrations.RemoveField(model_name="servicerequest", name="partner"),
        migrations.RenameField(model_name="servicerequest", old_name="partner_org", new_name="partner"),
        migrations.AlterField(
            model_name="servicerequest",
            name="partner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="open311_requests",
                to="org.partner",
                verbose_name="partner",
            ),
        ),
        migrations.DeleteModel(name="PartnerKey"),
    ]
