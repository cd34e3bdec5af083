"""One credential model: partners and API keys; the staff API tokens move into it.

A token's SHA-256 becomes the key's hash, so every issued token keeps working; tokens had no expiry,
so the migrated keys expire a year after the migration (an administrator renews them).
"""

from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def tokens_to_keys(apps, schema_editor):
    ApiToken = apps.get_model("org", "ApiToken")
    ApiKey = apps.get_model("org", "ApiKey")
    now = timezone.now()
    for token in ApiToken.objects.all():
        ApiKey.objects.create(
            name=token.name,
            user_id=token.user_id,
            scopes=["api"],
            prefix="amn_",
            key_hash=token.key_hash,
            created_at=token.created_at,
            expires_at=now + timedelta(days=365),
            last_used_at=token.last_used_at,
            revoked_at=now if token.revoked else None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Partner",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=120, unique=True, verbose_name="name")),
                ("active", models.BooleanField(default=True, verbose_name="active")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ],
            options={"verbose_name": "partner", "verbose_name_plural": "partners", "ordering": ["name"]},
        ),
        migrations.CreateModel(
            name="ApiKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="What the key is for.", max_length=100, verbose_name="name")),
                ("scopes", models.JSONField(default=list, verbose_name="scopes")),
                (
                    "prefix",
                    models.CharField(
                        help_text="First characters, to recognise the key.", max_length=12, verbose_name="prefix"
                    ),
                ),
                ("key_hash", models.CharField(max_length=64, unique=True, verbose_name="key hash")),
                ("created_at", models.DateTimeField(verbose_name="created at")),
                ("expires_at", models.DateTimeField(verbose_name="expires at")),
                ("last_used_at", models.DateTimeField(blank=True, null=True, verbose_name="last used at")),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked at")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="keys",
                        to="org.partner",
                        verbose_name="partner",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_keys",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "API key",
                "verbose_name_plural": "API keys",
                "ordering": ["-created_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("partner__isnull", True), ("user__isnull", False))
                        | models.Q(("partner__isnull", False), ("user__isnull", True)),
                        name="apikey_one_owner",
                    )
                ],
            },
        ),
        migrations.RunPython(tokens_to_keys, migrations.RunPython.noop),
    ]
