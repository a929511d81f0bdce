from django.core.management.base import BaseCommand, CommandError

from enterprises.audit import audit_verify
from enterprises.models import AuditEntry


class Command(BaseCommand):
    help = "Verify the hash chain of the supervision log; exit 1 naming the first bad entry."

    def handle(self, *args, **options):
        problem = audit_verify()
        if problem is not None:
            raise CommandError(f"audit log BROKEN at {problem}")
        self.stdout.write(
            self.style.SUCCESS(f"audit log OK ({AuditEntry.objects.count()} entries)")
        )
