from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from enterprises.audit import audit_verify
from portal.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into a fresh, empty PostgreSQL database, "
        "then report its row counts and verify the supervision log's hash chain."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, type=Path, help="the backup file")
        parser.add_argument(
            "--database-url",
            required=True,
            help="the empty database to restore into, e.g. postgres://user@host:5432/portal_restored",
        )

    def handle(self, *args, input: Path, database_url: str, **options):
        try:
            restored = restore(input, database_url=database_url)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        for label, n in restored.items():
            self.stdout.write(f"{label}: {n}")
        problem = audit_verify(using="restore_target")
        if problem is not None:
            raise CommandError(f"restored, but the audit log is BROKEN at {problem}")
        self.stdout.write(self.style.SUCCESS(f"restored {input}; audit log OK"))
