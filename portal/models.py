"""The portal's user. Personal data kept here is listed with purpose and retention in
docs/personal-data.md."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.stats.models import AreaFigures, ClusterFigures, RegionFigures, RollupRun

__all__ = ["AreaFigures", "ClusterFigures", "RegionFigures", "RollupRun", "User", "UserManager"]
from django.utils.translation import pgettext_lazy


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their e-mail address."""

    email = models.EmailField(_("电子邮箱"), unique=True)
    name = models.CharField(_("姓名"), max_length=64)
    phone = models.CharField(_("手机号码"), max_length=32, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    is_staff = models.BooleanField(_("可进入管理后台"), default=False)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)
    privacy_consent_at = models.DateTimeField(_("同意隐私声明时间"), null=True, blank=True)
    privacy_notice_version = models.CharField(_("隐私声明版本"), max_length=16, blank=True)
    language = models.CharField(_("界面语言"), max_length=8, blank=True)
    recommendations_enabled = models.BooleanField(
        _("接收个性化推荐"),
        default=True,
        help_text=_("关闭后不再向您推荐匹配信息，只按您设置的条件浏览。"),
    )
    digest_opt_in = models.BooleanField(_("接收每日邮件汇总"), default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = pgettext_lazy("plural", "用户")

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name
