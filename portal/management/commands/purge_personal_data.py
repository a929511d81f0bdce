from django.core.management.base import BaseCommand

from portal.ops.retention import personal_data_purge


class Command(BaseCommand):
    help = (
        "Delete or anonymise personal data past its retention period (docs/personal-data.md). "
        "Runs daily under Celery beat; safe to run by hand at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would go, change nothing"
        )

    def handle(self, *args, dry_run: bool = False, **options):
        report = personal_data_purge(dry_run=dry_run)
        verb = "would delete or anonymise" if dry_run else "deleted or anonymised"
        for name, n in report.as_dict().items():
            self.stdout.write(f"{name}: {n}")
        self.stdout.write(self.style.SUCCESS(f"personal data retention: {verb} the above"))
