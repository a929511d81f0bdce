from django.core.management.base import BaseCommand

from clusters.services import reference_data_load


class Command(BaseCommand):
    help = "Load Hubei regions, GB/T 4754-2017 industry codes, clusters and parks (idempotent)."

    def handle(self, *args, **options):
        report = reference_data_load()
        for name, counts in report.counts.items():
            self.stdout.write(f"{name}: {counts}")
        self.stdout.write(self.style.SUCCESS("reference data loaded"))
