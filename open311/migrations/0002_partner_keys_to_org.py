"""The open311 partner keys move into the one credential model (`org.Partner` + `org.ApiKey`).

Each partner becomes an `org.Partner` (the same organisation keeps one row whatever it calls), its
key an `ApiKey` with the "open311" scope and the same hash, so the partner's key keeps working; keys
had no expiry, so they expire a year after the migration.
"""

from datetime import timedelta

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


def keys_to_org(apps, schema_editor):
    Old = apps.get_model("open311", "PartnerKey")
    Partner = apps.get_model("org", "Partner")
    ApiKey = apps.get_model("org", "ApiKey")
    Row = apps.get_model("open311", "servicerequest")
    now = timezone.now()
    for old in Old.objects.all():
        partner, _ = Partner.objects.get_or_create(name=old.name, defaults={"active": old.active})
        ApiKey.objects.create(
            name="open311",
            partner=partner,
            scopes=["open311"],
            prefix="amn_",
            key_hash=old.key_hash,
            created_at=old.created_at,
            expires_at=now + timedelta(days=365),
            revoked_at=None if old.active else now,
        )
        Row.objects.filter(partner_id=old.pk).update(partner_org=partner)


class Migration(migrations.Migration):
    dependencies = [
        ("open311", "0001_initial"),
        ("org", "0002_partner_apikey"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicerequest",
            name="partner_org",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.partner"
            ),
        ),
        migrations.RunPython(keys_to_org, migrations.RunPython.noop),
    ]
