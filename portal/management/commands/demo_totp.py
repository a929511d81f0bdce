from django.core.management.base import BaseCommand
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.demo import DEMO_DOMAIN


class Command(BaseCommand):
    help = "Print the current two-factor codes of the demo supervisors and officers."

    def handle(self, *args, **options):
        devices = TOTPDevice.objects.select_related("user").filter(
            user__email__endswith=f"@{DEMO_DOMAIN}", confirmed=True
        )
        for device in devices.order_by("user__email"):
            code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
            self.stdout.write(f"{device.user.email:45} {code:06d}")
