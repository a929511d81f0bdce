from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.ops.backup import BackupError, backup, counts


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL) to one file in pg_dump's custom format. "
        "Restore it with `manage.py restore --input FILE --database-url URL`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="the backup file to write")

    def handle(self, *args, output: Path, **options):
        try:
            size = backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        for label, n in counts().items():
            self.stdout.write(f"{label}: {n}")
        self.stdout.write(self.style.SUCCESS(f"backup written to {output} ({size} bytes)"))
