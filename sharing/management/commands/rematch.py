from django.core.management.base import BaseCommand

from sharing import jobs


class Command(BaseCommand):
    help = "Re-match every published listing in bounded batches, with a progress bar."

    def handle(self, *args, **options):
        job = jobs.rematch_start()
        self.stdout.write(f"job #{job.pk}")

        def progress(done: int, total: int) -> None:
            width = 40
            filled = int(width * done / total) if total else width
            bar = "█" * filled + "·" * (width - filled)
            # Through the command's own stdout, so call_command(stdout=...) captures it too.
            self.stdout.write(f"\r[{bar}] {done}/{total}", ending="")
            self.stdout.flush()

        job = jobs.rematch_run(job.pk, progress=progress)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"re-matched {job.total} listings ({job.status})"))
