from django import template
from django.utils.translation import gettext as _

from clusters.web import enumeration, sentences
from enterprises.choices import CertificationKind
from sharing.matching.scoring import full_explanation

register = template.Library()

LABELS = {
    "industry": lambda: _("行业相近"),
    "distance": lambda: _("距离"),
    "cluster": lambda: _("同园区/集群"),
    "quantity": lambda: _("数量满足"),
    "dates": lambda: _("时间吻合"),
    "price": lambda: _("价格合适"),
    "text": lambda: _("描述相似"),
    "trust": lambda: _("企业可信"),
}


def _detail(name: str, detail: dict) -> str:
    if name == "industry":
        return {
            "same_code": _("行业代码相同"),
            "same_group": _("同一行业中类"),
            "same_division": _("同一行业大类"),
            "different": _("行业不同"),
        }.get(detail.get("level"), "")
    if name == "distance":
        km = detail.get("km")
        return _("约 %(km)s 公里") % {"km": km} if km is not None else _("位置未知")
    if name == "cluster":
        return {"park": _("同一园区"), "cluster": _("同一产业集群")}.get(detail.get("same"), "—")
    if name == "quantity":
        covered = detail.get("covered")
        return (
            _("可满足 %(p)d%%") % {"p": round(covered * 100)}
            if covered is not None
            else _("未填写数量或单位不同")
        )
    if name == "dates":
        days = detail.get("overlap_days")
        return _("重叠 %(d)d 天") % {"d": days} if days is not None else _("需求未限定时间")
    if name == "price":
        within = detail.get("within_budget")
        if within is None:
            return _("价格面议")
        return (
            _("在预算内")
            if within
            else _("高出预算 %(p)d%%") % {"p": round(detail.get("over_by", 0) * 100)}
        )
    if name == "text":
        shared = detail.get("shared") or []
        return enumeration(shared) if shared else "—"
    if name == "trust":
        parts = [_("已认证") if detail.get("verified") else _("未认证")]
        missing = detail.get("missing_certifications") or []
        if missing:
            names = enumeration(
                str(CertificationKind(m).label) for m in missing if m in CertificationKind.values
            )
            parts.append(_("缺少 %(names)s") % {"names": names})
        return sentences(parts)
    return ""


@register.filter
def explain(factors: dict) -> list[dict]:
    """Rows for the 'why this match' table, strongest contribution first."""
    rows = []
    for name, f in full_explanation(factors).items():
        label = LABELS.get(name)
        rows.append(
            {
                "label": label() if label else name,
                "percent": round(f["value"] * 100),
                "points": round(f["contribution"] * 100, 1),
                "detail": _detail(name, f["detail"]),
            }
        )
    return sorted(rows, key=lambda r: -r["points"])


@register.filter
def percent(value) -> int:
    try:
        return round(float(value) * 100)
    except (TypeError, ValueError):
        return 0


@register.filter
def attribute_rows(listing) -> list[tuple[str, str]]:
    """The listing's kind-specific attributes as (label, value) in the user's language, in
    the order of the form that took them (sharing/attributes.py): "资源类型: 设备", not the
    stored "facility: equipment"."""
    from sharing.attributes import ATTRIBUTE_FORMS

    values = dict(listing.attributes or {})
    form_class = ATTRIBUTE_FORMS.get(listing.kind)
    rows = []
    for name, field in form_class.base_fields.items() if form_class else ():
        if name not in values:
            continue
        value = values.pop(name)
        choices = {str(k): v for k, v in getattr(field, "choices", ())}
        if isinstance(value, bool):
            text = _("是") if value else _("否")
        elif isinstance(value, list):
            text = enumeration(choices.get(str(v), v) for v in value)
        else:
            text = str(choices.get(str(value), value))
        rows.append((str(field.label), text))
    # Anything the form no longer knows is shown as stored rather than hidden.
    rows.extend((name, str(value)) for name, value in values.items())
    return rows
