"""Account pages: sign-up, log-in, privacy notice, "my data", export and deletion."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from portal.accounts import selectors, services, throttle
from portal.accounts.forms import AccountDeleteForm, LoginForm, SetPasswordForm, SignupForm

# The sign-up wizard continues in the enterprises app (create or join an enterprise).
NEXT_STEP_AFTER_SIGNUP = "enterprises:onboarding"


def _after_signup_url() -> str:
    try:
        return reverse(NEXT_STEP_AFTER_SIGNUP)
    except NoReverseMatch:  # the enterprises pages are not installed
        return reverse("home")


def set_language_cookie(response, language: str) -> None:
    """Set the cookie the portal's LanguageMiddleware reads, as Django's set_language does."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@sensitive_post_parameters("password", "password_confirm")
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:me")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_signup(
                **form.signup_data(),
                language=request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("注册成功，欢迎使用平台。下一步：创建或加入您的企业。"))
            return redirect(_after_signup_url())
    return render(request, "accounts/signup.html", {"form": form})


@require_GET
def privacy_notice(request):
    return render(request, "accounts/privacy.html", {"version": services.PRIVACY_NOTICE_VERSION})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        chosen = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if not user.language and chosen in {code for code, _name in settings.LANGUAGES}:
            # No language on the account yet: the one this browser chose becomes it, so that
            # e-mails and notifications come in the language the user reads the portal in.
            services.user_set_language(actor=user, language=chosen)
        # The user's language follows them from device to device.
        set_language_cookie(response, user.language)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever can read the account's mail owns it: a lock-out no longer protects anything.
        throttle.login_succeeded(email=form.user.email)
        return response


@login_required
@require_GET
def me(request):
    context = {"account": request.user, **selectors.account_overview(request.user)}
    return render(request, "accounts/me.html", context)


@never_cache
@login_required
@require_GET
def me_export(request):
    response = JsonResponse(
        selectors.personal_data(request.user),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="personal-data-{request.user.pk}.json"'
    return response


@sensitive_post_parameters("password")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def me_delete(request):
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(actor=request.user, password=form.cleaned_data["password"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            logout(request)
            messages.success(request, _("您的账户已注销，个人信息已删除。"))
            return redirect("home")
    return render(
        request,
        "accounts/delete.html",
        {"form": form, **selectors.account_overview(request.user)},
    )
