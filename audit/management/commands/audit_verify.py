from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditRecord
from audit.services import audit_verify


class Command(BaseCommand):
    help = "Verify the audit hash chain; exit 1 and list every record edited or removed."

    def handle(self, *args, **options):
        problems = audit_verify()
        if problems:
            for p in problems:
                self.stdout.write(f"record {p.seq}: {p.kind}: {p.detail}")
            raise CommandError(f"audit chain broken: {len(problems)} problem(s)")
        self.stdout.write(f"audit chain intact: {AuditRecord.objects.count()} records")
