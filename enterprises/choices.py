from django.db import models
from django.utils.translation import gettext_lazy as _


class SizeClass(models.TextChoices):
    """Enterprise size under 《中小企业划型标准规定》 (2011); see ``enterprises.size_class``."""

    MICRO = "micro", _("微型")
    SMALL = "small", _("小型")
    MEDIUM = "medium", _("中型")
    LARGE = "large", _("大型")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    VERIFIED = "verified", _("已认证")
    REJECTED = "rejected", _("未通过")
    SUSPENDED = "suspended", _("已暂停")


class MemberRole(models.TextChoices):
    ADMIN = "admin", _("企业管理员")
    MEMBER = "member", _("成员")


class CertificationKind(models.TextChoices):
    ISO9001 = "iso9001", "ISO 9001"
    ISO14001 = "iso14001", "ISO 14001"
    ISO45001 = "iso45001", "ISO 45001"
    IATF16949 = "iatf16949", "IATF 16949"
    GBT19580 = "gbt19580", _("GB/T 19580 卓越绩效")
    OTHER = "other", _("其他")


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    APPROVED = "approved", _("已同意")
    DECLINED = "declined", _("已拒绝")


# Annual revenue bands in 万元 (10,000 yuan), given as each band's lower bound. The bounds are
# the union of every revenue threshold of the 2011 SME size standard, so no threshold falls
# inside a band and the size class derived from a band is exact.
REVENUE_BAND_BOUNDS = [
    0,
    50,
    100,
    200,
    300,
    500,
    1000,
    2000,
    3000,
    5000,
    6000,
    10000,
    20000,
    30000,
    40000,
    80000,
    100000,
    200000,
]
# Total assets, likewise: only 建筑业, 房地产开发经营 and 租赁和商务服务业 use them.
ASSET_BAND_BOUNDS = [0, 100, 300, 2000, 5000, 8000, 10000, 80000, 120000]


def _band_choices(bounds: list[int]) -> list[tuple[int, str]]:
    choices = []
    for i, low in enumerate(bounds):
        if i + 1 < len(bounds):
            choices.append((low, f"{low:,}–{bounds[i + 1]:,}"))
        else:
            choices.append((low, f"≥ {low:,}"))
    return choices


REVENUE_BAND_CHOICES = _band_choices(REVENUE_BAND_BOUNDS)
ASSET_BAND_CHOICES = _band_choices(ASSET_BAND_BOUNDS)
