"""Two-factor log-in (TOTP, with recovery codes) for the roles that supervise or govern.

Park administrators, platform supervisors and government officers see firms' identities,
contacts and figures: a stolen password alone must not be enough. After the password, they
give a code from an authenticator app (or a one-time recovery code); until then every page
but the two-factor pages and log-out sends them there, and the API refuses their tokens.
"""

from __future__ import annotations

import base64
import io
import secrets

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework import authentication, exceptions

RECOVERY_CODES = 10


def required_for(user) -> bool:
    """Whether this user must log in with a second factor."""
    if not getattr(settings, "TWO_FACTOR_REQUIRED", True):
        return False
    return bool(user.is_authenticated and user.role_grants.exists())


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_start(*, actor) -> TOTPDevice:
    """A fresh, unconfirmed authenticator for the user (replacing an unconfirmed one)."""
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name="authenticator", confirmed=False)


def qr_svg_data_uri(device: TOTPDevice) -> str:
    import qrcode
    import qrcode.image.svg

    # config_url names the issuer (settings.OTP_TOTP_ISSUER) for the authenticator app.
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


@transaction.atomic
def totp_confirm(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code from it; returns new recovery codes, or None
    when the code is wrong."""
    if not device.verify_token((token or "").strip().replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_reset(user=device.user)
    otp_login(request, device)
    return codes


@transaction.atomic
def recovery_codes_reset(*, user) -> list[str]:
    """New one-time recovery codes (the old ones stop working); shown to the user once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def verify(*, request, token: str) -> bool:
    """Check a TOTP or recovery code and mark the session as verified."""
    token = (token or "").strip().replace(" ", "")
    user = request.user
    for device in [confirmed_totp(user), *StaticDevice.objects.filter(user=user, confirmed=True)]:
        if device is not None and device.verify_token(token):
            otp_login(request, device)
            return True
    return False


ALLOWED_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")


class RequireTwoFactorMiddleware:
    """Send supervising and governmental users through the second factor before anything
    else. Must come after django_otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(ALLOWED_PREFIXES)
            and required_for(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "two-factor verification required"}, status=403)
            target = (
                "accounts:two_factor_verify"
                if confirmed_totp(user)
                else "accounts:two_factor_setup"
            )
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class TokenAuthentication(authentication.TokenAuthentication):
    """API tokens, except for users who must use two factors: they use the session after
    verifying, so a leaked token cannot bypass the second factor."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if required_for(user):
            raise exceptions.AuthenticationFailed(
                "this account logs in with two factors: use the web session"
            )
        return user, token
