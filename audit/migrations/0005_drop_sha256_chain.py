# The old SHA-256 chain and its locked head row go; the sealer's indexes come.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_seal_existing_records'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='auditrecord',
            name='seq',
        ),
        migrations.RemoveField(
            model_name='auditrecord',
            name='hash',
        ),
        migrations.RemoveField(
            model_name='auditrecord',
            name='prev_hash',
        ),
        migrations.DeleteModel(
            name='AuditHead',
        ),
        migrations.AddIndex(
            model_name='auditrecord',
            index=models.Index(condition=models.Q(('position__isnull', True)), fields=['id'], name='audit_pending_idx'),
        ),
        migrations.AddIndex(
            model_name='auditrecord',
            index=models.Index(condition=models.Q(('position__isnull', False)), fields=['mac'], name='audit_mac_idx'),
        ),
        migrations.AddConstraint(
            model_name='auditrecord',
            constraint=models.UniqueConstraint(condition=models.Q(('position__isnull', False)), fields=('position',), name='audit_position_unique'),
        ),
    ]
