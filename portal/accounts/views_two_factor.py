from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts import two_factor


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
def setup(request):
    """Add an authenticator app: scan the code, enter a code from the app, keep the
    recovery codes."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None or (request.method == "GET" and request.GET.get("new")):
        device = two_factor.totp_start(actor=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.totp_confirm(
            request=request, device=device, token=form.cleaned_data["token"]
        )
        if codes is None:
            form.add_error("token", _("验证码不正确，请确认手机时间准确后重试。"))
        else:
            return render(
                request, "accounts/two_factor_codes.html", {"codes": codes, "next": _next(request)}
            )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": two_factor.qr_svg_data_uri(device),
            "secret": two_factor.secret_base32(device),
            "next": _next(request),
        },
    )


@login_required
def verify(request):
    if two_factor.confirmed_totp(request.user) is None:
        return redirect("accounts:two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request=request, token=form.cleaned_data["token"]):
            return redirect(_next(request))
        form.add_error("token", _("验证码或恢复码不正确。"))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)}
    )


@login_required
def recovery_codes(request):
    """Replace the recovery codes (after verifying with the second factor)."""
    if request.method != "POST" or not request.user.is_verified():
        return redirect("accounts:me")
    codes = two_factor.recovery_codes_reset(user=request.user)
    messages.info(request, _("已生成新的恢复码，旧的恢复码已失效。"))
    return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": "/"})
