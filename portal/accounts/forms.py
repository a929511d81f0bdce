"""Forms for the account pages. They check the shape of the input; the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from portal.accounts import throttle

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 \-]{4,30}$", _("请输入有效的电话号码，如 13800138000 或 027-12345678。")
)


class BootstrapMixin:
    """Bootstrap 5 classes on every widget, and ``is-invalid`` on the fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            base = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {base}".strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self._errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] += " is-invalid"


class SignupForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("姓名"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=254,
        help_text=_("用于登录和接收通知，注册后不公开。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=32,
        required=False,
        validators=[phone_validator],
        help_text=_("选填，不公开显示。"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("确认密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_("我已阅读并同意隐私声明"),
        error_messages={"required": _("请阅读并同意隐私声明后再注册。")},
    )

    def clean_password_confirm(self):
        password = self.cleaned_data.get("password")
        confirm = self.cleaned_data.get("password_confirm")
        if password and confirm and password != confirm:
            raise ValidationError(_("两次输入的密码不一致。"), code="password_mismatch")
        return confirm

    def signup_data(self) -> dict:
        """The keyword arguments for ``user_signup``."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "phone": data["phone"],
            "password": data["password"],
            "consent": data["consent"],
        }


class LoginForm(BootstrapMixin, auth_forms.AuthenticationForm):
    """E-mail and password, checked under the log-in throttle."""

    username = auth_forms.UsernameField(
        label=_("电子邮箱"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("邮箱或密码不正确。"),
        "inactive": _("该账户已停用。"),
    }

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            try:
                self.user_cache = throttle.authenticate(
                    self.request, email=email, password=password
                )
            except throttle.LoginLocked as exc:
                raise ValidationError(exc.message, code="locked") from None
            if self.user_cache is None:
                raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class PasswordChangeForm(BootstrapMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(BootstrapMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class SetPasswordForm(BootstrapMixin, auth_forms.SetPasswordForm):
    pass


class AccountDeleteForm(BootstrapMixin, forms.Form):
    password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        help_text=_("请输入密码以确认注销。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
