# The keyed chain (issue 9): entry MAC and nonce written with each record, position and chain MACs
# set by the sealer. Existing rows are sealed by 0004; 0005 drops the old SHA-256 chain.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditrecord',
            name='nonce',
            field=models.CharField(default='', max_length=24, verbose_name='nonce'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='auditrecord',
            name='entry_mac',
            field=models.CharField(default='', max_length=64, verbose_name='entry MAC'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='auditrecord',
            name='position',
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name='chain position'),
        ),
        migrations.AddField(
            model_name='auditrecord',
            name='prev_mac',
            field=models.CharField(blank=True, default='', max_length=64, verbose_name='previous chain MAC'),
        ),
        migrations.AddField(
            model_name='auditrecord',
            name='mac',
            field=models.CharField(blank=True, default='', max_length=64, verbose_name='chain MAC'),
        ),
        migrations.AlterField(
            model_name='auditrecord',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='actor'),
        ),
    ]
