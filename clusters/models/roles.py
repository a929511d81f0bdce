from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusters.choices import RoleKind


class RoleGrant(models.Model):
    """A supervisory or governmental role held by a user, with its scope.

    A park administrator supervises one park (a person may hold several grants); a platform
    supervisor is the province-wide third party; a government officer reads the dashboards of
    one region and everything below it. Granted by site staff in the admin.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    kind = models.CharField(_("角色"), max_length=32, choices=RoleKind.choices)
    park = models.ForeignKey(
        "clusters.Park",
        verbose_name=_("园区"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    region = models.ForeignKey(
        "clusters.Region",
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = pgettext_lazy("plural", "角色授权")
        constraints = [
            models.CheckConstraint(
                name="role_grant_scope_matches_kind",
                condition=(
                    Q(kind=RoleKind.PARK_ADMIN, park__isnull=False, region__isnull=True)
                    | Q(kind=RoleKind.GOVERNMENT_OFFICER, park__isnull=True, region__isnull=False)
                    | Q(kind=RoleKind.PLATFORM_SUPERVISOR, park__isnull=True, region__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "park"],
                condition=Q(park__isnull=False),
                name="role_grant_unique_park",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "region"],
                condition=Q(region__isnull=False),
                name="role_grant_unique_region",
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(kind=RoleKind.PLATFORM_SUPERVISOR),
                name="role_grant_unique_supervisor",
            ),
        ]

    def __str__(self) -> str:
        scope = self.park or self.region or _("全省")
        return f"{self.user} · {self.get_kind_display()} · {scope}"
