from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    PREFECTURE = "prefecture", _("地级")
    COUNTY = "county", _("县级")


class IndustryLevel(models.TextChoices):
    SECTION = "section", _("门类")
    DIVISION = "division", _("大类")
    GROUP = "group", _("中类")
    CLASS = "class", _("小类")


class ParkLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    OTHER = "other", _("其他")


class ParkType(models.TextChoices):
    ECONOMIC_TECHNOLOGICAL = "etdz", _("经济技术开发区")
    HIGH_TECH = "high_tech", _("高新技术产业开发区")
    CUSTOMS_SPECIAL = "customs", _("海关特殊监管区域")
    EXPORT_PROCESSING = "export_processing", _("出口加工区")
    ECONOMIC_DEVELOPMENT = "economic", _("经济开发区")
    CHEMICAL = "chemical", _("化工园区")
    INDUSTRIAL = "industrial", _("工业园区")
    OTHER = "other", _("其他")


class RoleKind(models.TextChoices):
    PARK_ADMIN = "park_admin", _("园区管理员")
    PLATFORM_SUPERVISOR = "platform_supervisor", _("平台监管员")
    GOVERNMENT_OFFICER = "government_officer", _("政府工作人员")
