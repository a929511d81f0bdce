import logging

from django.core.management.base import BaseCommand
from django.test import override_settings

from portal.demo import load_demo_data


class Command(BaseCommand):
    help = (
        "Create the demo logins, enterprises and listings (idempotent) and print one login "
        "per role."
    )

    def handle(self, *args, **options):
        # Demo set-up is not news: keep the notification e-mails it triggers off the console,
        # and the line Celery logs for each in-process matching task too.
        trace = logging.getLogger("celery.app.trace")
        level = trace.level
        trace.setLevel(logging.WARNING)
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                logins = load_demo_data()
        finally:
            trace.setLevel(level)
        width = max(len(role) for role, _e, _p in logins)
        self.stdout.write(
            self.style.SUCCESS("Demo logins (http://127.0.0.1:8000/accounts/login/):")
        )
        for role, email, password in logins:
            self.stdout.write(f"  {role:<{width}}  {email}  /  {password}")
        self.stdout.write(
            "Supervisors and officers log in with two factors: run "
            "`make demo-codes` (manage.py demo_totp) for their current codes."
        )
