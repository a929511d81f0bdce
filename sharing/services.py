"""Every write to listings, their attachments and complaints (status changes live in
:mod:`sharing.moderation`)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters import access
from clusters.choices import IndustryLevel
from clusters.errors import Conflict
from clusters.web import enumeration
from enterprises.audit import audit_record
from enterprises.models import Certification
from sharing import page_cache
from sharing.attributes import clean_attributes
from sharing.choices import (
    UNITS_BY_KIND,
    AlertFrequency,
    ComplaintStatus,
    DealStatus,
    InquiryStatus,
    ListingStatus,
    MatchState,
    PriceMode,
    Unit,
)
from sharing.models import (
    Complaint,
    Deal,
    Inquiry,
    InquiryMessage,
    Listing,
    ListingAttachment,
    Match,
    SavedSearch,
)
from sharing.models.listings import SUBSTANCE_FIELDS
from sharing.moderation import listing_transition, max_expiry
from sharing.notifications import members_of, notify
from sharing.search import facet_document, stored_document
from sharing.uploads import MAX_ATTACHMENTS, check_upload

EDITABLE_FIELDS = (
    "kind",
    "direction",
    "title",
    "description",
    "industry",
    "quantity",
    "unit",
    "price_mode",
    "price_min",
    "price_max",
    "available_from",
    "available_until",
    "region",
    "park",
    "visibility",
    "attributes",
    "expires_on",
)
TEXT_ATTRIBUTES = {
    "machine_type",
    "process",
    "field",
    "patents",
    "product",
    "quality_requirements",
    "skills",
    "min_order",
}
# Statuses in which the owner edits the listing itself; a published listing's edit is held
# for review in ``pending_changes``.
DIRECT_EDIT_STATUSES = (
    ListingStatus.DRAFT,
    ListingStatus.PENDING,
    ListingStatus.CHANGES_REQUESTED,
    ListingStatus.REJECTED,
)


def _require(actor, action: str, obj) -> None:
    if not access.can(actor, action, obj):
        raise PermissionDenied


def _validate(listing: Listing) -> None:
    """Field-level checks that go beyond a single field; raises a ValidationError by field."""
    errors: dict[str, str] = {}
    title = (listing.title or "").strip()
    if not title:
        errors["title"] = _("请填写标题。")
    if listing.unit and listing.unit not in UNITS_BY_KIND.get(listing.kind, ()):
        errors["unit"] = _("单位“%(unit)s”不适用于该类别，可选：%(allowed)s。") % {
            "unit": Unit(listing.unit).label,
            "allowed": enumeration(str(Unit(u).label) for u in UNITS_BY_KIND.get(listing.kind, ())),
        }
    if listing.quantity is not None and listing.quantity < 0:
        errors["quantity"] = _("数量不能为负数。")
    if listing.quantity is not None and not listing.unit:
        errors["unit"] = _("填写数量时请选择单位。")
    mode, low, high = listing.price_mode, listing.price_min, listing.price_max
    if mode == PriceMode.NEGOTIABLE:
        listing.price_min = listing.price_max = None
    elif mode == PriceMode.FIXED:
        if low is None:
            errors["price_min"] = _("请填写价格。")
        listing.price_max = low
    elif mode == PriceMode.RANGE:
        if low is None or high is None:
            errors["price_max" if low is not None else "price_min"] = _(
                "价格区间需填写最低价和最高价。"
            )
        elif low > high:
            errors["price_max"] = _("最高价不能低于最低价。")
    for name in ("price_min", "price_max"):
        value = getattr(listing, name)
        if value is not None and value < 0:
            errors[name] = _("价格不能为负数。")
    if (
        listing.available_from
        and listing.available_until
        and (listing.available_from > listing.available_until)
    ):
        errors["available_until"] = _("截止日不能早于起始日。")
    today = timezone.localdate()
    if listing.expires_on is not None:
        if listing.expires_on < today:
            errors["expires_on"] = _("有效期不能早于今天。")
        elif listing.expires_on > max_expiry(listing.kind, today):
            errors["expires_on"] = _("有效期最长为 %(date)s（该类别最长 %(days)d 天）。") % {
                "date": max_expiry(listing.kind, today).isoformat(),
                "days": (max_expiry(listing.kind, today) - today).days,
            }
    if listing.industry_id and listing.industry.level == IndustryLevel.SECTION:
        errors["industry"] = _("请选择到大类及以下的行业代码，而不是门类。")
    if listing.park_id and listing.region_id:
        park_region = listing.park.region
        if not (
            listing.region.code.startswith(park_region.code_prefix())
            or park_region.code.startswith(listing.region.code_prefix())
        ):
            errors["park"] = _("所选园区不在所选地区内。")
    if errors:
        raise ValidationError(errors)
    listing.title = title
    listing.attributes = clean_attributes(listing.kind, listing.direction, listing.attributes or {})
    try:
        listing.full_clean(exclude=["enterprise", "created_by", "search_document"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


def _index(listing: Listing) -> None:
    listing.division = listing.industry.code[:2] if listing.industry_id else ""
    # Free-text attributes only: choice codes such as "equipment" are not words a user types.
    attribute_text = " ".join(
        str(v)
        for k, v in (listing.attributes or {}).items()
        if k in TEXT_ATTRIBUTES and isinstance(v, str)
    )
    listing.search_document = stored_document(
        listing.title,
        listing.description,
        attribute_text,
        listing.industry.name if listing.industry_id else "",
    )
    listing.title_document = stored_document(listing.title)
    listing.facet_document = _facets(listing, _certification_kinds(listing.enterprise_id))


def _facets(listing: Listing, certifications: list[str]) -> str:
    return facet_document(
        kind=listing.kind,
        direction=listing.direction,
        industry_code=listing.industry.code if listing.industry_id else "",
        industry_section=listing.industry.section if listing.industry_id else "",
        region_code=listing.region.code if listing.region_id else "",
        park_id=listing.park_id,
        certifications=certifications,
    )


def _certification_kinds(enterprise_id: int | None) -> list[str]:
    """The kinds of certification the enterprise holds, valid or not (the facet words)."""
    if enterprise_id is None:
        return []
    held = Certification.objects.filter(enterprise_id=enterprise_id)
    return list(held.values_list("kind", flat=True))


def refresh_certification_facets(enterprise_id: int) -> int:
    """Write the facet words of the enterprise's listings again, after its certifications
    changed (enterprises.events.certifications_changed); returns the listings rewritten."""
    listings = list(
        Listing.objects.filter(enterprise_id=enterprise_id).select_related("industry", "region")
    )
    kinds = _certification_kinds(enterprise_id)
    changed = []
    for listing in listings:
        document = _facets(listing, kinds)
        if document != listing.facet_document:
            listing.facet_document = document
            changed.append(listing)
    Listing.objects.bulk_update(changed, ["facet_document"], batch_size=500)
    if changed:
        page_cache.listings_changed()
    return len(changed)


@transaction.atomic
def listing_create(*, actor, submit: bool = False, **fields) -> Listing:
    """Create a draft for the actor's enterprise; ``submit`` sends it to review at once."""
    p = access.principal(actor)
    if not p.enterprise_id:
        raise PermissionDenied
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not listing fields: {sorted(unknown)}")
    from enterprises.models import Enterprise

    enterprise = Enterprise.objects.get(pk=p.enterprise_id)
    fields.setdefault("region", enterprise.region)
    if "park" not in fields:
        fields["park"] = enterprise.park
    listing = Listing(enterprise=enterprise, created_by=actor, status=ListingStatus.DRAFT, **fields)
    _validate(listing)
    _index(listing)
    listing.save()
    audit_record(actor=actor, action="listing.create", obj=listing, to_state=ListingStatus.DRAFT)
    if submit:
        listing = listing_transition(actor=actor, listing=listing, action="submit")
    return listing


def _snapshot(listing: Listing) -> dict:
    data = {}
    for name in SUBSTANCE_FIELDS:
        value = getattr(listing, name)
        if isinstance(value, Decimal):
            value = str(value)
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        data[name] = value
    return data


def apply_changes(listing: Listing, changes: dict) -> None:
    """Apply a stored edit (as made by :func:`listing_update`) to the listing in memory."""
    for name, value in changes.items():
        field = Listing._meta.get_field(name.removesuffix("_id"))
        setattr(listing, field.attname, field.to_python(value) if value is not None else None)
    _index(listing)


@transaction.atomic
def listing_update(*, actor, listing: Listing, submit: bool = False, **fields) -> Listing:
    """Edit a listing. A published listing keeps its published content; the edit of its
    substance waits in ``pending_changes`` for a supervisor, who sees it in the queue."""
    _require(actor, "edit", listing)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not listing fields: {sorted(unknown)}")
    current = Listing.objects.select_for_update().get(pk=listing.pk)
    if current.status not in (*DIRECT_EDIT_STATUSES, ListingStatus.PUBLISHED):
        raise ValidationError(
            _("该信息当前状态为“%(state)s”，不能修改。") % {"state": current.get_status_display()}
        )
    before = _snapshot(current)
    candidate = Listing.objects.get(pk=current.pk)
    if current.pending_changes:
        apply_changes(candidate, current.pending_changes)
    for name, value in fields.items():
        setattr(candidate, name, value)
    _validate(candidate)
    after = _snapshot(candidate)
    changed = {k: v for k, v in after.items() if before[k] != v}

    if current.status == ListingStatus.PUBLISHED:
        if changed:
            current.pending_changes = changed
            current.submitted_at = timezone.now()
        if current.expires_on != candidate.expires_on:
            page_cache.listings_changed()  # shown at once ("expiring soon" order)
        current.expires_on = candidate.expires_on
        current.save()
        audit_record(
            actor=actor,
            action="listing.edit",
            obj=current,
            from_state=current.status,
            to_state=current.status,
            data={"held_for_review": sorted(changed)},
        )
        return current
    _index(candidate)
    candidate.save()
    audit_record(
        actor=actor,
        action="listing.edit",
        obj=candidate,
        from_state=candidate.status,
        to_state=candidate.status,
        data={"fields": sorted(changed)},
    )
    if submit and candidate.status != ListingStatus.PENDING:
        candidate = listing_transition(actor=actor, listing=candidate, action="submit")
    return candidate


@transaction.atomic
def attachment_add(*, actor, listing: Listing, upload) -> ListingAttachment:
    _require(actor, "edit", listing)
    if listing.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError({"file": _("每条信息最多 %(n)d 个附件。") % {"n": MAX_ATTACHMENTS}})
    content, content_type, extension = check_upload(upload)
    stored = f"{secrets.token_hex(16)}.{extension}"
    attachment = ListingAttachment(
        listing=listing,
        stored_name=stored,
        original_name=upload.name[:200],
        content_type=content_type,
        size=len(content),
    )
    attachment.file.save(stored, ContentFile(content), save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action="listing.attachment_add",
        obj=listing,
        data={"name": attachment.original_name, "sha256": hashlib.sha256(content).hexdigest()},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: ListingAttachment) -> None:
    listing = attachment.listing
    _require(actor, "edit", listing)
    audit_record(
        actor=actor,
        action="listing.attachment_remove",
        obj=listing,
        data={"name": attachment.original_name},
    )
    attachment.file.delete(save=False)
    attachment.delete()


@transaction.atomic
def complaint_create(*, actor, listing: Listing, reason: str, text: str) -> Complaint:
    _require(actor, "complain", listing)
    text = (text or "").strip()
    complaint = Complaint(listing=listing, reporter=actor, reason=reason, text=text)
    complaint.full_clean(exclude=["reporter", "handled_by"])
    if Complaint.objects.filter(
        listing=listing, reporter=actor, status=ComplaintStatus.OPEN
    ).exists():
        raise ValidationError(_("您已举报过该信息，监管人员正在处理。"))
    complaint.save()
    audit_record(
        actor=actor,
        action="complaint.create",
        obj=listing,
        data={"complaint": complaint.pk, "reason": reason},
    )
    return complaint


@transaction.atomic
def complaint_dismiss(*, actor, complaint: Complaint, resolution: str = "") -> Complaint:
    _require(actor, "take_down", complaint.listing)
    updated = Complaint.objects.filter(pk=complaint.pk, status=ComplaintStatus.OPEN).update(
        status=ComplaintStatus.DISMISSED,
        handled_by=actor,
        handled_at=timezone.now(),
        resolution=resolution.strip(),
    )
    if not updated:
        raise Conflict(_("该举报已处理。"))
    audit_record(
        actor=actor,
        action="complaint.dismiss",
        obj=complaint.listing,
        data={"complaint": complaint.pk},
        reason=resolution.strip(),
    )
    complaint.refresh_from_db()
    return complaint


@transaction.atomic
def complaint_uphold(
    *,
    actor,
    complaint: Complaint,
    reason: str = "",
    note: str = "",
    suspend_enterprise: bool = False,
) -> Listing:
    """Take the reported listing down (which closes its open complaints) and, if asked,
    suspend the enterprise that posted it."""
    from enterprises.services import enterprise_transition

    if complaint.status != ComplaintStatus.OPEN:
        raise Conflict(_("该举报已处理。"))
    listing = listing_transition(
        actor=actor,
        listing=complaint.listing,
        action="take_down",
        reason=reason,
        note=note or complaint.text,
    )
    if suspend_enterprise:
        enterprise_transition(
            actor=actor,
            enterprise=listing.enterprise,
            action="suspend",
            reason=note or _("举报成立：%(title)s") % {"title": listing.title},
        )
    return listing


def listings_decide_bulk(
    *,
    actor,
    ids: list[int],
    action: str,
    reason: str = "",
    note: str = "",
    expected_status: str | None = None,
) -> list[dict]:
    """Apply one moderation decision to many listings, each in its own transaction, so one
    conflict does not undo the others. Invisible listings are reported as not found."""
    results = []
    visible = {
        lst.pk: lst
        for lst in access.scope(actor, Listing).filter(pk__in=ids).select_related("enterprise")
    }
    for pk in ids:
        listing = visible.get(pk)
        if listing is None:
            results.append({"id": pk, "ok": False, "error": "not_found"})
            continue
        try:
            listing_transition(
                actor=actor,
                listing=listing,
                action=action,
                reason=reason,
                note=note,
                expected_status=expected_status,
            )
        except PermissionDenied:
            results.append({"id": pk, "ok": False, "error": "forbidden"})
        except Conflict as exc:
            results.append(
                {"id": pk, "ok": False, "error": "conflict", "current_state": exc.current_state}
            )
        except ValidationError as exc:
            results.append({"id": pk, "ok": False, "error": "invalid", "detail": exc.messages})
        else:
            results.append({"id": pk, "ok": True})
    return results


# --- Matches, inquiries, deals, saved searches -----------------------------------------------

INQUIRY_DAILY_LIMIT_DEFAULT = 20
# A deal worth more than this (in yuan) is far beyond what an SME shares: a typo, not a deal.
DEAL_VALUE_MAX = Decimal("10000000000")


def _my_enterprise(actor):
    from enterprises.models import Enterprise

    p = access.principal(actor)
    if not p.enterprise_id:
        raise PermissionDenied
    return Enterprise.objects.get(pk=p.enterprise_id)


@transaction.atomic
def match_set_state(*, actor, match: Match, state: str) -> Match:
    """Record what the actor's side did with a match (seen, dismissed, contacted)."""
    if state not in MatchState.values:
        raise ValidationError({"state": _("无效的状态。")})
    p = access.principal(actor)
    if p.is_member_of(match.offer.enterprise_id):
        field = "offer_state"
    elif p.is_member_of(match.request.enterprise_id):
        field = "request_state"
    else:
        raise PermissionDenied
    Match.objects.filter(pk=match.pk).update(**{field: state})
    match.refresh_from_db()
    return match


@transaction.atomic
def inquiry_create(
    *, actor, listing: Listing, message: str, offer_text: str = "", match: Match | None = None
) -> Inquiry:
    """Express interest in another enterprise's published listing. The poster stays
    anonymous to the asker until the poster accepts."""
    enterprise = _my_enterprise(actor)
    if not enterprise.is_verified:
        raise ValidationError(_("企业通过认证后才能发送对接意向。"))
    listing = Listing.objects.select_related("enterprise").get(pk=listing.pk)
    if listing.enterprise_id == enterprise.pk:
        raise ValidationError(_("不能对本企业发布的信息发送对接意向。"))
    if listing.status != ListingStatus.PUBLISHED or (
        listing.expires_on is not None and listing.expires_on < timezone.localdate()
    ):
        raise ValidationError(_("该信息未发布或已过期，不能发送对接意向。"))
    if not access.scope(actor, Listing).filter(pk=listing.pk).exists():
        raise PermissionDenied
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("请填写留言。")})
    limit = getattr(settings, "INQUIRY_DAILY_LIMIT", INQUIRY_DAILY_LIMIT_DEFAULT)
    since = timezone.now() - timedelta(days=1)
    if Inquiry.objects.filter(from_enterprise=enterprise, created_at__gte=since).count() >= limit:
        raise ValidationError(
            _("贵企业 24 小时内已发送 %(n)d 条对接意向，已达上限，请明天再试。") % {"n": limit}
        )
    if Inquiry.objects.filter(
        listing=listing,
        from_enterprise=enterprise,
        status__in=[InquiryStatus.PENDING, InquiryStatus.ACCEPTED],
    ).exists():
        raise ValidationError(_("您已就该信息发送过对接意向。"))
    if match is not None and listing.pk not in (match.offer_id, match.request_id):
        raise ValidationError({"match": _("该匹配与此信息无关。")})
    inquiry = Inquiry(
        listing=listing,
        from_enterprise=enterprise,
        created_by=actor,
        message=message,
        offer_text=(offer_text or "").strip(),
        match=match,
    )
    inquiry.full_clean(exclude=["created_by", "match", "decided_by"])
    inquiry.save()
    if match is not None:
        match_set_state(actor=actor, match=match, state=MatchState.CONTACTED)
    audit_record(
        actor=actor,
        action="inquiry.create",
        obj=listing,
        data={"inquiry": inquiry.pk, "from": enterprise.pk},
    )

    def note():
        return (
            _("新的对接意向：%(title)s") % {"title": listing.title},
            _("%(name)s 对您的信息表达了对接意向。") % {"name": enterprise.name},
        )

    notify(
        users=members_of(listing.enterprise_id),
        kind="inquiry",
        message=note,
        url=inquiry.get_absolute_url(),
    )
    return inquiry


@transaction.atomic
def inquiry_decide(*, actor, inquiry: Inquiry, accept: bool) -> Inquiry:
    """The poster accepts (contacts revealed to both sides) or declines (nothing revealed)."""
    _require(actor, "decide", inquiry)
    target = InquiryStatus.ACCEPTED if accept else InquiryStatus.DECLINED
    updated = Inquiry.objects.filter(pk=inquiry.pk, status=InquiryStatus.PENDING).update(
        status=target, decided_at=timezone.now(), decided_by=actor
    )
    if not updated:
        current = Inquiry.objects.get(pk=inquiry.pk)
        raise Conflict(_("该对接意向已处理。"), current_state=current.status)
    inquiry.refresh_from_db()
    access.forget(actor)  # what the actor may see of the other side has just changed
    audit_record(
        actor=actor,
        action=f"inquiry.{'accept' if accept else 'decline'}",
        obj=inquiry.listing,
        from_state=InquiryStatus.PENDING,
        to_state=target,
        data={"inquiry": inquiry.pk},
    )

    def note():
        if accept:
            return (
                _("对接意向已被接受：%(title)s") % {"title": inquiry.listing.title},
                _("对方已接受您的对接意向，现在可以查看双方的企业名称和联系人。"),
            )
        return (
            _("对接意向未被接受：%(title)s") % {"title": inquiry.listing.title},
            _("对方婉拒了您的对接意向。"),
        )

    notify(
        users=members_of(inquiry.from_enterprise_id),
        kind="inquiry",
        message=note,
        url=inquiry.get_absolute_url(),
    )
    return inquiry


@transaction.atomic
def inquiry_withdraw(*, actor, inquiry: Inquiry) -> Inquiry:
    _require(actor, "withdraw", inquiry)
    if not Inquiry.objects.filter(pk=inquiry.pk, status=InquiryStatus.PENDING).update(
        status=InquiryStatus.WITHDRAWN, decided_at=timezone.now(), decided_by=actor
    ):
        raise Conflict(_("该对接意向已处理。"))
    inquiry.refresh_from_db()
    return inquiry


@transaction.atomic
def inquiry_message_create(*, actor, inquiry: Inquiry, body: str) -> InquiryMessage:
    """Messages flow only between the two sides of an accepted inquiry."""
    _require(actor, "message", inquiry)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("请填写内容。")})
    p = access.principal(actor)
    message = InquiryMessage(
        inquiry=inquiry, author=actor, enterprise_id=p.enterprise_id, body=body
    )
    message.full_clean(exclude=["author"])
    message.save()
    other = (
        inquiry.listing.enterprise_id
        if p.enterprise_id == inquiry.from_enterprise_id
        else inquiry.from_enterprise_id
    )

    def note():
        return (_("新消息：%(title)s") % {"title": inquiry.listing.title}, body[:200])

    notify(
        users=members_of(other),
        kind="message",
        message=note,
        url=inquiry.get_absolute_url(),
        email=False,
    )
    return message


@transaction.atomic
def deal_record(
    *,
    actor,
    inquiry: Inquiry,
    description: str,
    value_yuan,
    start_date,
    quantity=None,
    unit: str = "",
    end_date=None,
    close_listing: bool = False,
) -> Deal:
    """Either side records the outcome of an accepted inquiry; it counts once the other
    side confirms."""
    # The state first: a side of a declined inquiry gets this clear error, not a bare 403
    # (the permission below also requires acceptance). Only the two sides and their
    # supervisors can reach an inquiry at all, so this tells nobody else anything.
    if inquiry.status != InquiryStatus.ACCEPTED:
        raise ValidationError(_("只有已接受的对接意向才能登记成交。"))
    _require(actor, "record_deal", inquiry)
    errors = {}
    value = Decimal(str(value_yuan)) if value_yuan is not None else None
    if value is None:
        errors["value_yuan"] = _("请填写成交金额。")
    elif value < 0:
        errors["value_yuan"] = _("成交金额不能为负数。")
    elif value > DEAL_VALUE_MAX:
        errors["value_yuan"] = _("成交金额超过 100 亿元，请检查是否填错。")
    if quantity is not None and Decimal(str(quantity)) < 0:
        errors["quantity"] = _("数量不能为负数。")
    if end_date is not None and start_date is not None and end_date < start_date:
        errors["end_date"] = _("结束日期不能早于开始日期。")
    if errors:
        raise ValidationError(errors)
    p = access.principal(actor)
    deal = Deal(
        inquiry=inquiry,
        recorded_by_id=p.enterprise_id,
        recorded_by_user=actor,
        description=(description or "").strip(),
        quantity=quantity,
        unit=unit or "",
        value_yuan=value,
        start_date=start_date,
        end_date=end_date,
        close_listing=bool(close_listing and p.is_member_of(inquiry.listing.enterprise_id)),
    )
    deal.full_clean(exclude=["recorded_by_user", "confirmed_by", "recorded_by"])
    deal.save()
    audit_record(
        actor=actor,
        action="deal.record",
        obj=inquiry.listing,
        data={"deal": deal.pk, "value_yuan": str(value)},
    )
    other = (
        inquiry.from_enterprise_id
        if p.enterprise_id == inquiry.listing.enterprise_id
        else inquiry.listing.enterprise_id
    )

    def note():
        return (
            _("请确认成交：%(what)s") % {"what": deal.description},
            _("对方登记了一笔成交（%(value)s 元），请核对并确认。") % {"value": value},
        )

    notify(users=members_of(other), kind="deal", message=note, url=inquiry.get_absolute_url())
    return deal


@transaction.atomic
def deal_confirm(*, actor, deal: Deal, close_listing: bool = False) -> Deal:
    """The other side confirms; the deal then counts. The poster may close the listing."""
    _require(actor, "confirm", deal)
    if not Deal.objects.filter(pk=deal.pk, status=DealStatus.PROPOSED).update(
        status=DealStatus.CONFIRMED, confirmed_at=timezone.now(), confirmed_by=actor
    ):
        raise Conflict(_("该成交已处理。"))
    deal.refresh_from_db()
    listing = deal.inquiry.listing
    p = access.principal(actor)
    closer = None
    if close_listing and p.is_member_of(listing.enterprise_id):
        closer = actor
    elif deal.close_listing:
        closer = deal.recorded_by_user
    if closer is not None and listing.status == ListingStatus.PUBLISHED:
        listing_transition(actor=closer, listing=listing, action="close")
    audit_record(
        actor=actor,
        action="deal.confirm",
        obj=listing,
        data={"deal": deal.pk, "value_yuan": str(deal.value_yuan)},
    )
    return deal


@transaction.atomic
def deal_dispute(*, actor, deal: Deal, note: str = "") -> Deal:
    _require(actor, "confirm", deal)
    if not Deal.objects.filter(pk=deal.pk, status=DealStatus.PROPOSED).update(
        status=DealStatus.DISPUTED, dispute_note=(note or "").strip()
    ):
        raise Conflict(_("该成交已处理。"))
    deal.refresh_from_db()
    audit_record(
        actor=actor,
        action="deal.dispute",
        obj=deal.inquiry.listing,
        data={"deal": deal.pk},
        reason=note,
    )
    return deal


@transaction.atomic
def saved_search_create(
    *, actor, name: str, params: dict | None = None, frequency: str = AlertFrequency.DAILY
) -> SavedSearch:
    from sharing.alerts import clean_params

    if not actor.is_authenticated:
        raise PermissionDenied
    try:
        cleaned = clean_params(params)
    except ValueError as exc:
        raise ValidationError({"params": str(exc)}) from None
    if not cleaned:
        raise ValidationError({"params": _("请至少设置一个搜索条件。")})
    saved = SavedSearch(
        user=actor, name=(name or "").strip() or _("我的搜索"), params=cleaned, frequency=frequency
    )
    saved.full_clean(exclude=["user"])
    saved.save()
    return saved


@transaction.atomic
def saved_search_delete(*, actor, saved: SavedSearch) -> None:
    if saved.user_id != actor.pk:
        raise PermissionDenied
    saved.delete()


def preferences_update(*, actor, recommendations_enabled: bool, digest_opt_in: bool) -> None:
    """Turn personalised recommendations and the daily digest on or off for oneself."""
    if not actor.is_authenticated:
        raise PermissionDenied
    # Not type(actor): a request's user is a lazy proxy, whose type has no manager.
    get_user_model().objects.filter(pk=actor.pk).update(
        recommendations_enabled=recommendations_enabled, digest_opt_in=digest_opt_in
    )
    actor.recommendations_enabled = recommendations_enabled
    actor.digest_opt_in = digest_opt_in
    access.forget(actor)
