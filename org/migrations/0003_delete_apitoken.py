"""The staff API tokens now live in `ApiKey` (previous migration)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_partner_apikey"),
    ]

    operations = [
        migrations.DeleteModel(name="ApiToken"),
    ]
