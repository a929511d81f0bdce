from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingKind(models.TextChoices):
    CAPACITY = "capacity", _("闲置产能与设备")
    TECHNOLOGY = "technology", _("技术")
    ORDER = "order", _("订单")
    TALENT = "talent", _("人才")


class Direction(models.TextChoices):
    OFFER = "offer", _("供给")
    REQUEST = "request", _("需求")


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已发布")
    CHANGES_REQUESTED = "changes_requested", _("需修改")
    REJECTED = "rejected", _("未通过")
    EXPIRED = "expired", _("已过期")
    WITHDRAWN = "withdrawn", _("已撤回")
    CLOSED = "closed", _("已完成")
    TAKEN_DOWN = "taken_down", _("已下架")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("公开")
    REGISTERED = "registered", _("注册用户可见")
    CLUSTER = "cluster", _("同集群企业可见")


class PriceMode(models.TextChoices):
    FIXED = "fixed", _("固定价格")
    RANGE = "range", _("价格区间")
    NEGOTIABLE = "negotiable", _("面议")


class Unit(models.TextChoices):
    MACHINE_HOURS_MONTH = "machine_hours_month", _("机时/月")
    TONNES_MONTH = "tonnes_month", _("吨/月")
    PIECES_MONTH = "pieces_month", _("件/月")
    UNITS = "units", _("台（套）")
    SQUARE_METRES = "sqm", _("平方米")
    MU = "mu", _("亩")
    ITEMS = "items", _("项")
    PIECES = "pieces", _("件")
    SETS = "sets", _("套")
    TONNES = "tonnes", _("吨")
    METRES = "metres", _("米")
    KILOGRAMS = "kg", _("千克")
    PERSONS = "persons", _("人")


UNITS_BY_KIND: dict[str, tuple[str, ...]] = {
    ListingKind.CAPACITY: (
        Unit.MACHINE_HOURS_MONTH,
        Unit.TONNES_MONTH,
        Unit.PIECES_MONTH,
        Unit.UNITS,
        Unit.SQUARE_METRES,
        Unit.MU,
    ),
    ListingKind.TECHNOLOGY: (Unit.ITEMS,),
    ListingKind.ORDER: (Unit.PIECES, Unit.SETS, Unit.TONNES, Unit.METRES, Unit.KILOGRAMS),
    ListingKind.TALENT: (Unit.PERSONS,),
}

# (default, maximum) days from publication to expiry, per kind: orders go stale fastest.
EXPIRY_DAYS: dict[str, tuple[int, int]] = {
    ListingKind.CAPACITY: (90, 180),
    ListingKind.TECHNOLOGY: (180, 365),
    ListingKind.ORDER: (60, 120),
    ListingKind.TALENT: (90, 180),
}


class ModerationReason(models.TextChoices):
    INCOMPLETE = "incomplete", _("信息不完整或不清楚")
    MISLEADING = "misleading", _("虚假或夸大的内容")
    DUPLICATE = "duplicate", _("重复发布")
    PROHIBITED = "prohibited", _("违法违规内容")
    CONTACT_IN_TEXT = "contact_in_text", _("正文中留有联系方式")
    WRONG_CATEGORY = "wrong_category", _("类别或行业选择错误")
    OTHER = "other", _("其他")


class ModerationDecisionKind(models.TextChoices):
    APPROVE = "approve", _("通过")
    REQUEST_CHANGES = "request_changes", _("要求修改")
    REJECT = "reject", _("拒绝")


class ComplaintReason(models.TextChoices):
    FRAUD = "fraud", _("虚假或欺诈信息")
    SPAM = "spam", _("垃圾广告")
    PROHIBITED = "prohibited", _("违法违规内容")
    ABUSE = "abuse", _("骚扰或不当行为")
    OTHER = "other", _("其他")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("成立，已下架")
    DISMISSED = "dismissed", _("不成立")


class MatchState(models.TextChoices):
    NEW = "new", _("新匹配")
    SEEN = "seen", _("已查看")
    DISMISSED = "dismissed", _("已忽略")
    CONTACTED = "contacted", _("已联系")


class InquiryStatus(models.TextChoices):
    PENDING = "pending", _("待回复")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已婉拒")
    WITHDRAWN = "withdrawn", _("已撤回")


class DealStatus(models.TextChoices):
    PROPOSED = "proposed", _("待对方确认")
    CONFIRMED = "confirmed", _("已确认")
    DISPUTED = "disputed", _("对方有异议")


class AlertFrequency(models.TextChoices):
    NONE = "none", _("不提醒")
    IMMEDIATE = "immediate", _("即时提醒")
    DAILY = "daily", _("每日汇总")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
