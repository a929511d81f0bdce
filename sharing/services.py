"""Every write to listings, their attachments and complaints (status changes live in
:mod:`sharing.moderation`)."""

from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters import access
from clusters.choices import IndustryLevel
from clusters.errors import Conflict
from enterprises.audit import audit_record
from sharing.attributes import clean_attributes
from sharing.choices import UNITS_BY_KIND, ComplaintStatus, ListingStatus, PriceMode, Unit
from sharing.models import Complaint, Listing, ListingAttachment
from sharing.models.listings import SUBSTANCE_FIELDS
from sharing.moderation import listing_transition, max_expiry
from sharing.search import stored_document
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
            "allowed": "、".join(str(Unit(u).label) for u in UNITS_BY_KIND.get(listing.kind, ())),
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
    attribute_text = " ".join(
        str(v) for v in (listing.attributes or {}).values() if isinstance(v, str)
    )
    listing.search_document = stored_document(
        listing.title,
        listing.description,
        attribute_text,
        listing.industry.name if listing.industry_id else "",
    )


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
