"""Demo listings: about 30 more demo enterprises and about 300 listings, so the portal looks
lived in.

Everything is planned first, in pure Python, from one ``random.Random(2026)``: the firms (name,
place, certifications, contacts) and each firm's listings with the moderation outcome they
end in. The plan does not depend on what the database holds, so it is the same on every run.
It is then applied through the services a user's actions go through (``enterprise_create``,
``listing_create(submit=True)``, ``listing_transition``, ``complaint_create``), so the demo
has a real audit trail. A firm whose enterprise already has listings is skipped, which keeps
the load idempotent.

Only the timestamps are demo make-up: after the services ran, the listings' creation,
submission, publication and decision times are spread over the past weeks with plain
``QuerySet.update`` calls, so the queue shows varied waiting times and the browse pages do not
show 300 listings published in the same second. The audit log keeps the real times.

Some pairs of listings are planned on purpose to match later (same kind, same industry group,
nearby): see ``ANCHORS``.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from clusters.choices import RoleKind
from clusters.models import Cluster, IndustryCode, Park, Region, RoleGrant
from enterprises import services as enterprise_services
from enterprises.choices import REVENUE_BAND_BOUNDS
from enterprises.credit_code import make_credit_code
from enterprises.models import Enterprise, Membership
from portal.demo import DEMO_DOMAIN, DEMO_PASSWORD, demo_password_hash
from sharing.choices import (
    EXPIRY_DAYS,
    Direction,
    ListingKind,
    ListingStatus,
    ModerationReason,
    Unit,
    Visibility,
)
from sharing.models import Listing, ModerationDecision
from sharing.moderation import listing_transition
from sharing.services import complaint_create, listing_create, listing_update

SEED = 2026
FIRM_EMAIL = "demo-firm-{nn:02d}@" + DEMO_DOMAIN
SUPERVISOR_EMAIL = f"supervisor@{DEMO_DOMAIN}"
SQM_PER_MU = Decimal("666.67")

CAP, TECH, ORDER, TALENT = (
    ListingKind.CAPACITY,
    ListingKind.TECHNOLOGY,
    ListingKind.ORDER,
    ListingKind.TALENT,
)
OFFER, REQUEST = Direction.OFFER, Direction.REQUEST
MH, TM, PM, UNITS, SQM, MU = (
    Unit.MACHINE_HOURS_MONTH,
    Unit.TONNES_MONTH,
    Unit.PIECES_MONTH,
    Unit.UNITS,
    Unit.SQUARE_METRES,
    Unit.MU,
)
ITEMS, PCS, SETS, TONNES, METRES, KG, PERSONS = (
    Unit.ITEMS,
    Unit.PIECES,
    Unit.SETS,
    Unit.TONNES,
    Unit.METRES,
    Unit.KILOGRAMS,
    Unit.PERSONS,
)

# --- Listing vocabulary -------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Template:
    """One kind of listing. Strings are ``str.format`` templates over the planned values
    (``qty``, ``months``, ``place``, ``delivery`` ... and the template's own options)."""

    kind: str
    direction: str
    code: str | None  # class-level industry code; None: the posting firm's main industry
    title: str
    description: str
    unit: str = ""
    qty: tuple[float, float, float] | None = None  # low, high, step
    prices: tuple[tuple, ...] = (("negotiable",),)
    price_note: str = ""  # what the price is per, e.g. 元/机时
    attrs: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)


NEGOTIABLE = (("negotiable",),)


def P(low, high, step) -> tuple[tuple, ...]:
    """Price choices: fixed, range or negotiable."""
    return (("fixed", low, high, step), ("range", low, high, step), ("negotiable",))


def T(kind, direction, code, title, description, **kw) -> Template:
    known = {"unit", "qty", "prices", "price_note", "attrs"}
    options = {k: v for k, v in kw.items() if k not in known}
    return Template(
        kind,
        direction,
        code,
        title,
        description,
        **{k: v for k, v in kw.items() if k in known},
        options=options,
    )


def secondment(skills: str) -> dict:
    return {
        "skills": skills,
        "headcount": "{qty}",
        "duration_months": "{months}",
        "mode": "secondment",
    }


TEMPLATES: dict[str, dict[str, Template]] = {
    "machining": {
        "cnc_vmc": T(
            CAP,
            OFFER,
            "3484",
            "数控加工中心 {model} 闲置机时",
            "公司现有 {n} 台 {model} 立式加工中心，目前订单不饱和，每月约有 {qty} 小时空闲机时"
            "可对外开放。可加工铝合金、碳钢、不锈钢等材料的箱体、板类和支架类零件，定位精度"
            " ±0.01 mm，配在线测头，可提供首件检测报告。来料加工或包工包料均可。",
            unit=MH,
            qty=(150, 500, 50),
            prices=P(70, 140, 5),
            price_note="元/机时",
            attrs={
                "facility": "equipment",
                "machine_type": "{model} 立式加工中心",
                "process": "铣削、钻孔、攻丝",
                "min_order": "单批 20 件起",
                "lead_time_days": "{lead}",
            },
            model=("VMC850", "VMC1060", "VMC1270"),
            n=("3", "4", "6", "8"),
            lead=("5", "7", "10", "15"),
        ),
        "five_axis": T(
            CAP,
            OFFER,
            "3484",
            "五轴加工中心 {model} 对外承接精密零件加工",
            "配备 {model} 五轴联动加工中心，可一次装夹完成叶轮、叶片、航空结构件和复杂模具的"
            "多面加工。现因项目交付完毕，每月约有 {qty} 小时机时可对外承接，编程、工装和检测可"
            "一并提供。",
            unit=MH,
            qty=(100, 300, 20),
            prices=P(180, 380, 10),
            price_note="元/机时",
            attrs={
                "facility": "equipment",
                "machine_type": "{model} 五轴联动加工中心",
                "process": "五轴联动铣削",
                "min_order": "单件可接",
                "lead_time_days": "{lead}",
            },
            model=("DMU 65 monoBLOCK", "MILL P 500 U", "UCM-650"),
            lead=("7", "10", "15"),
        ),
        "lathe": T(
            CAP,
            OFFER,
            "3484",
            "数控车床 {model} 闲置产能",
            "车间有 {n} 台 {model} 数控车床（FANUC 0i-TF 系统），最大回转直径 500 mm，可加工"
            "轴类、盘类和套类零件。现有一个班次空闲，每月约 {qty} 小时，可承接批量车削加工。",
            unit=MH,
            qty=(200, 600, 50),
            prices=P(45, 90, 5),
            price_note="元/机时",
            attrs={
                "facility": "equipment",
                "machine_type": "{model} 数控车床",
                "process": "车削",
                "min_order": "单批 100 件起",
                "lead_time_days": "{lead}",
            },
            model=("CK6150", "CK6140", "CAK6150Di"),
            n=("6", "8", "10", "12"),
            lead=("5", "7", "10"),
        ),
        "cmm": T(
            CAP,
            OFFER,
            "3484",
            "三坐标测量机 对外提供检测服务",
            "公司计量室配有 {model} 三坐标测量机，恒温 20±1 ℃。除满足自身检测外，每月约有"
            " {qty} 小时可对外提供零件尺寸与形位公差检测，出具检测报告。",
            unit=MH,
            qty=(40, 120, 10),
            prices=P(150, 300, 10),
            price_note="元/小时",
            attrs={
                "facility": "equipment",
                "machine_type": "{model} 三坐标测量机",
                "process": "尺寸与形位公差检测",
                "lead_time_days": "{lead}",
            },
            model=("海克斯康 Global S 07.10.07", "蔡司 CONTURA 7/10/6"),
            lead=("1", "2", "3"),
        ),
        "wire_edm": T(
            CAP,
            OFFER,
            "3484",
            "慢走丝线切割 {model} 闲置机时",
            "{n} 台 {model} 慢走丝线切割机，加工精度 ±0.003 mm，表面粗糙度 Ra0.4，适合冲压模具"
            "刃口、精密零件和硬质合金零件。目前每月空闲约 {qty} 小时。",
            unit=MH,
            qty=(100, 300, 20),
            prices=P(60, 120, 5),
            price_note="元/机时",
            attrs={
                "facility": "equipment",
                "machine_type": "{model} 慢走丝线切割机",
                "process": "线切割",
                "lead_time_days": "{lead}",
            },
            model=("沙迪克 AP250L", "三菱 MV1200R"),
            n=("2", "3", "4"),
            lead=("3", "5", "7"),
        ),
        "need_hours": T(
            CAP,
            REQUEST,
            "3484",
            "寻求{machine}机时 每月约 {qty} 小时",
            "因新接订单集中交付，自有设备产能不足，现寻求{place}周边的{machine}外协机时，每月约"
            " {qty} 小时，持续 {months} 个月。零件材料以 6061 铝合金和 45# 钢为主，公差"
            " ±0.02 mm，需具备首件检测能力，可长期合作。",
            unit=MH,
            qty=(100, 400, 50),
            prices=P(60, 160, 5),
            price_note="元/机时",
            attrs={"facility": "equipment", "machine_type": "{machine}", "process": "{process}"},
            m=(
                {"machine": "立式加工中心", "process": "铣削、钻孔"},
                {"machine": "五轴加工中心", "process": "五轴联动铣削"},
                {"machine": "数控车床", "process": "车削"},
            ),
        ),
        "tech_thinwall": T(
            TECH,
            OFFER,
            "3484",
            "薄壁铝合金零件高速铣削变形控制工艺",
            "针对壁厚 0.8–2 mm 的铝合金壳体和框架类零件，形成了一套“粗精分离 + 真空吸附工装 +"
            " 对称去余量”的高速铣削工艺，平面度可稳定控制在 0.05 mm 以内，已在通信和新能源汽车"
            "零件上批量应用。可提供工艺包和现场指导。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(80000, 300000, 10000),
            price_note="元（技术服务费）",
            attrs={
                "field": "精密切削加工",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "{mode}",
            },
            mode=("service", "license"),
        ),
        "tech_spindle": T(
            TECH,
            OFFER,
            "3421",
            "数控机床主轴热误差补偿技术",
            "通过主轴温度场多点测量与补偿模型在线修正主轴热伸长，加工中心连续加工 4 小时后的"
            " Z 向漂移由 30 μm 降到 8 μm 以内。适用于 FANUC、西门子系统，寻求机床厂许可使用或"
            "合作开发。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(200000, 800000, 50000),
            price_note="元（许可费）",
            attrs={
                "field": "数控机床",
                "maturity": "pilot",
                "patents": "{patents}",
                "mode": "{mode}",
            },
            mode=("license", "cooperation"),
        ),
        "tech_hard": T(
            TECH,
            REQUEST,
            "3484",
            "寻求钛合金、高温合金难加工材料切削工艺合作",
            "公司承接的航空零件中钛合金 TC4 和高温合金 GH4169 比例上升，刀具寿命短、加工效率低。"
            "希望与高校、科研院所或同行企业合作，优化刀具选型和切削参数，目标提升效率 30% 以上。",
            unit=ITEMS,
            qty=(1, 1, 1),
            attrs={"field": "难加工材料切削", "maturity": "industrial", "mode": "cooperation"},
        ),
        "parts_order": T(
            ORDER,
            REQUEST,
            "3484",
            "精密机加工件（{part}）{qty} 件 外协",
            "现有一批{part}需外协加工，数量 {qty} 件，材料 {material}，按图纸加工，交货期"
            " {delivery_text}。要求供方具备加工中心和三坐标检测能力，首批 50 件需提交首件检验"
            "报告。",
            unit=PCS,
            qty=(500, 5000, 100),
            prices=P(35, 260, 5),
            price_note="元/件",
            attrs={
                "product": "{part}",
                "delivery_date": "{delivery}",
                "required_certifications": ["iso9001"],
                "quality_requirements": "关键尺寸公差 ±0.02 mm，全检并附检测报告；表面无磕碰划伤。",
            },
            p=(
                {"part": "铝合金壳体", "material": "6061-T6"},
                {"part": "液压阀块", "material": "45# 钢"},
                {"part": "转向节支架", "material": "QT450-10"},
                {"part": "传动法兰", "material": "40Cr"},
            ),
        ),
        "take_orders": T(
            ORDER,
            OFFER,
            "3484",
            "承接精密机加工订单（小批量多品种）",
            "公司拥有立式加工中心 {n} 台、数控车床 12 台及三坐标测量机，通过 ISO 9001 认证，"
            "可承接铝合金、钢件、不锈钢零件的来图加工，单件、小批量均可，月加工能力约 {qty} 件。",
            unit=PCS,
            qty=(3000, 20000, 1000),
            attrs={
                "product": "非标精密机加工零件",
                "quality_requirements": "按 ISO 9001 体系控制，提供材质证明和出厂检验报告。",
            },
            n=("8", "10", "15", "20"),
        ),
        "programmer_offer": T(
            TALENT,
            OFFER,
            "3484",
            "数控编程工程师 {qty} 人 借调 {months} 个月",
            "公司技术部有 {qty} 名数控编程工程师近期项目空档，可通过共享用工方式借调到兄弟企业"
            " {months} 个月。熟练使用 UG/NX、Mastercam，具备五轴加工编程和工艺编制经验，工作年限"
            " 5 年以上。劳动合同和社保关系保持在本公司，本人已同意。",
            unit=PERSONS,
            qty=(1, 3, 1),
            prices=P(12000, 20000, 500),
            price_note="元/人·月",
            attrs=secondment("UG/NX、Mastercam 编程，五轴加工工艺"),
        ),
        "operator_offer": T(
            TALENT,
            OFFER,
            "3484",
            "数控机床操作工 {qty} 人 共享用工",
            "受订单季节性影响，车间有 {qty} 名数控机床操作工可共享用工 {months} 个月，熟悉 FANUC"
            " 和西门子系统，能看懂零件图纸、会使用常用量具。",
            unit=PERSONS,
            qty=(2, 6, 1),
            prices=P(6500, 9000, 500),
            price_note="元/人·月",
            attrs=secondment("数控车床、加工中心操作，识图与量具使用"),
        ),
        "programmer_need": T(
            TALENT,
            REQUEST,
            "3484",
            "急需数控编程工程师 {qty} 人（可借调）",
            "新增五轴加工项目，急需熟悉 UG/NX 编程和五轴工艺的工程师 {qty} 名，可接受借调"
            " {months} 个月，表现优秀者可转正式聘用。工作地点{place}。",
            unit=PERSONS,
            qty=(1, 2, 1),
            prices=P(10000, 18000, 500),
            price_note="元/人·月",
            attrs={
                "skills": "UG/NX 五轴编程",
                "headcount": "{qty}",
                "duration_months": "{months}",
                "mode": "secondment",
            },
        ),
        "fitter_need": T(
            TALENT,
            REQUEST,
            "3421",
            "招聘机床装配调试钳工 {qty} 人",
            "因机床产量提升，招聘装配调试钳工 {qty} 名，要求具备导轨刮研、主轴装配和精度调试经验，"
            "持钳工中级及以上证书优先。",
            unit=PERSONS,
            qty=(2, 5, 1),
            prices=P(7000, 11000, 500),
            price_note="元/月",
            attrs={
                "skills": "导轨刮研、主轴装配、几何精度调试",
                "headcount": "{qty}",
                "mode": "hire",
            },
        ),
    },
    "auto": {
        "press_line": T(
            CAP,
            OFFER,
            "3670",
            "{tonnage} 冲压线 闲置班次",
            "公司 {tonnage} 闭式多工位冲压线（配自动送料和机械手）目前单班运行，夜班可对外开放，"
            "月产能约 {qty} 件，适合车身支架、座椅骨架、底盘加强板等中小型冲压件。模具可由客户"
            "提供或由我司协助开发。",
            unit=PM,
            qty=(50000, 200000, 10000),
            prices=P(0.8, 4.5, 0.1),
            price_note="元/件",
            attrs={
                "facility": "line",
                "machine_type": "{tonnage} 闭式多工位冲压线",
                "process": "冲压",
                "min_order": "单品月需求 5000 件起",
                "lead_time_days": "{lead}",
            },
            tonnage=("400T", "630T", "800T"),
            lead=("10", "15", "20"),
        ),
        "weld_cell": T(
            CAP,
            OFFER,
            "3670",
            "机器人焊接工作站 闲置产能",
            "{n} 套机器人弧焊工作站（双工位变位机），可承接汽车底盘件、座椅骨架等焊接总成，"
            "月产能约 {qty} 件，配焊缝外观与破坏性检验。",
            unit=PM,
            qty=(10000, 60000, 5000),
            prices=P(1.5, 8, 0.5),
            price_note="元/件",
            attrs={
                "facility": "equipment",
                "machine_type": "六轴弧焊机器人工作站",
                "process": "CO2 气体保护焊",
                "lead_time_days": "{lead}",
            },
            n=("2", "3", "4"),
            lead=("7", "10", "15"),
        ),
        "need_press": T(
            CAP,
            REQUEST,
            "3670",
            "寻找冲压外协产能（{tonnage} 以上）",
            "主机厂新车型爬坡，现有冲压线满负荷，需要{place}周边具备 {tonnage} 以上压力机的企业"
            "承接部分冲压工序，月需求约 {qty} 件，周期 {months} 个月，供方需通过 IATF 16949 认证。",
            unit=PM,
            qty=(20000, 100000, 10000),
            prices=NEGOTIABLE,
            attrs={"facility": "line", "machine_type": "{tonnage} 以上压力机", "process": "冲压"},
            tonnage=("400T", "630T"),
        ),
        "tech_hotstamp": T(
            TECH,
            OFFER,
            "3670",
            "高强钢热冲压成形技术",
            "掌握 22MnB5 高强钢热冲压成形及激光切边全套工艺，零件抗拉强度达 1500 MPa，可用于"
            "车门防撞梁、A/B 柱加强板。可提供工艺包、模具设计与产线调试服务。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(300000, 1200000, 50000),
            price_note="元（许可费）",
            attrs={
                "field": "汽车轻量化",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "{mode}",
            },
            mode=("license", "service"),
        ),
        "tech_fsw": T(
            TECH,
            OFFER,
            "3670",
            "新能源汽车电池包壳体搅拌摩擦焊工艺",
            "针对铝合金电池包下壳体的长直焊缝，开发了搅拌摩擦焊工艺及配套工装，焊缝气密性"
            "满足 IP67 要求，焊后变形小于 1 mm。现处于中试阶段，寻求电池包结构件企业合作开发。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={
                "field": "焊接工艺",
                "maturity": "pilot",
                "patents": "{patents}",
                "mode": "cooperation",
            },
        ),
        "tech_mes_need": T(
            TECH,
            REQUEST,
            "6513",
            "寻求冲焊车间数字化改造（MES）服务",
            "公司冲压、焊接两个车间共 {n} 条产线，希望实施 MES，实现工单下达、设备数据采集、"
            "质量追溯和 OEE 统计，需与现有用友 ERP 对接。欢迎有汽车零部件行业实施经验的服务商"
            "联系。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(300000, 800000, 50000),
            price_note="元（项目预算）",
            attrs={"field": "工业软件", "maturity": "industrial", "mode": "service"},
            n=("6", "8", "12"),
        ),
        "stamping_order": T(
            ORDER,
            REQUEST,
            "3670",
            "汽车零部件冲压件 {qty_text}件 外协",
            "为主机厂配套的{part}需外协冲压，年需求 {qty_text}件，材料 {material}，模具由我司"
            "提供。首批交货 {delivery_text}，供方须通过 IATF 16949 认证并按 PPAP 提交资料。",
            unit=PCS,
            qty=(20000, 80000, 10000),
            prices=P(2.5, 12, 0.5),
            price_note="元/件",
            attrs={
                "product": "{part}",
                "delivery_date": "{delivery}",
                "required_certifications": ["iatf16949"],
                "quality_requirements": "PPAP 三级提交，关键特性 CPK≥1.33，来料免检需达到 PPM≤200。",
            },
            p=(
                {"part": "座椅骨架冲压件", "material": "SAPH440"},
                {"part": "车身支架冲压件", "material": "DC04"},
                {"part": "底盘加强板", "material": "B510L"},
            ),
        ),
        "bracket_injection": T(
            ORDER,
            REQUEST,
            "2929",
            "汽车线束支架注塑件 {qty} 件",
            "采购汽车线束支架注塑件 {qty} 件，材料 PA66-GF30，共 3 个料号，模具由供方开发（可分摊）。"
            "要求{delivery_text}前完成首批交付。",
            unit=PCS,
            qty=(20000, 100000, 10000),
            prices=P(0.8, 3.5, 0.1),
            price_note="元/件",
            attrs={
                "product": "汽车线束支架",
                "delivery_date": "{delivery}",
                "required_certifications": ["iatf16949"],
                "quality_requirements": "阻燃等级 UL94 V-0，尺寸按图纸，批次附材质报告。",
            },
        ),
        "take_orders": T(
            ORDER,
            OFFER,
            "3670",
            "承接汽车冲压件、焊接总成订单",
            "公司为 IATF 16949 认证的汽车零部件二级供应商，拥有 {tonnage} 冲压线及机器人焊接线，"
            "可承接车身、底盘冲压件及焊接总成订单，月产能约 {qty_text}件，可配合同步开发模具。",
            unit=PCS,
            qty=(50000, 300000, 50000),
            attrs={
                "product": "汽车冲压件及焊接总成",
                "quality_requirements": "IATF 16949 体系，可按主机厂要求提交 PPAP。",
            },
            tonnage=("400T–800T", "250T–630T"),
        ),
        "sqe_offer": T(
            TALENT,
            OFFER,
            "3670",
            "质量工程师 1 人 项目制支持 IATF 16949 审核",
            "公司质量部资深质量工程师（10 年汽车零部件经验，熟悉五大工具和 VDA 6.3）可以项目制"
            "方式支持兄弟企业准备 IATF 16949 认证审核或客户过程审核，周期约 {months} 个月。",
            unit=PERSONS,
            qty=(1, 1, 1),
            prices=P(15000, 25000, 1000),
            price_note="元/月",
            attrs={
                "skills": "IATF 16949、APQP/PPAP/FMEA/MSA/SPC、VDA 6.3",
                "headcount": "1",
                "duration_months": "{months}",
                "mode": "part_time",
            },
        ),
        "welder_offer": T(
            TALENT,
            OFFER,
            "3670",
            "焊工（持证）{qty} 人 共享用工 {months} 个月",
            "车型切换期间焊装车间有 {qty} 名持证焊工可共享用工 {months} 个月，熟练 CO2 保护焊和"
            "氩弧焊，持特种作业操作证。劳动合同和社保关系保持不变，员工本人已同意。",
            unit=PERSONS,
            qty=(3, 8, 1),
            prices=P(7000, 10000, 500),
            price_note="元/人·月",
            attrs=secondment("CO2 保护焊、氩弧焊，持特种作业操作证"),
        ),
        "sqe_need": T(
            TALENT,
            REQUEST,
            "3670",
            "招聘供应商质量工程师（SQE）{qty} 人",
            "因新项目定点，招聘 SQE {qty} 名，负责供应商开发、PPAP 审核和来料质量改进，要求 3 年"
            "以上汽车零部件行业经验，能适应出差。",
            unit=PERSONS,
            qty=(1, 2, 1),
            prices=P(9000, 16000, 500),
            price_note="元/月",
            attrs={"skills": "SQE、PPAP、8D 问题解决", "headcount": "{qty}", "mode": "hire"},
        ),
        "welder_need": T(
            TALENT,
            REQUEST,
            "3670",
            "急需焊工 {qty} 人（共享用工 {months} 个月）",
            "旺季订单增加，急需持证焊工 {qty} 名，以共享用工方式工作 {months} 个月，包食宿。",
            unit=PERSONS,
            qty=(3, 10, 1),
            prices=P(7000, 10000, 500),
            price_note="元/人·月",
            attrs={
                "skills": "CO2 保护焊，持焊工证",
                "headcount": "{qty}",
                "duration_months": "{months}",
                "mode": "secondment",
            },
        ),
    },
    "plastics": {
        "press_idle": T(
            CAP,
            OFFER,
            "2929",
            "注塑机 {tonnage} 闲置产能（{qty} 台）",
            "车间有 {qty} 台 {tonnage} 注塑机（海天伺服节能机型，配机械手和模温机）目前开机率不足"
            " 60%，可承接 PP、ABS、PC、PA66 等材料的注塑加工，支持来模加工。",
            unit=UNITS,
            qty=(2, 6, 1),
            prices=P(15000, 35000, 1000),
            price_note="元/台·月",
            attrs={
                "facility": "equipment",
                "machine_type": "{tonnage} 伺服注塑机",
                "process": "注塑成型",
                "min_order": "单款 3000 件起",
                "lead_time_days": "{lead}",
            },
            tonnage=("160T", "280T", "380T"),
            lead=("5", "7", "10"),
        ),
        "mold_shop": T(
            CAP,
            OFFER,
            "3525",
            "模具加工中心及电火花机 闲置机时",
            "模具车间高速加工中心 2 台、精密电火花机 3 台，每月空闲约 {qty} 小时，可承接模具"
            "型腔、电极和镶件加工。",
            unit=MH,
            qty=(100, 300, 20),
            prices=P(80, 160, 5),
            price_note="元/机时",
            attrs={
                "facility": "equipment",
                "machine_type": "高速加工中心、精密电火花机",
                "process": "模具型腔加工",
                "lead_time_days": "{lead}",
            },
            lead=("5", "7", "10"),
        ),
        "need_press": T(
            CAP,
            REQUEST,
            "2929",
            "寻找 {tonnage} 注塑机外协产能",
            "因客户订单增长，需要{place}周边 {tonnage} 注塑机外协产能，每月约 {qty} 机时，周期"
            " {months} 个月，材料 ABS/PC，要求有机械手和恒温干燥设备。",
            unit=MH,
            qty=(300, 1200, 100),
            prices=P(40, 90, 5),
            price_note="元/机时",
            attrs={"facility": "equipment", "machine_type": "{tonnage} 注塑机", "process": "注塑"},
            tonnage=("200–300T", "250T", "280T"),
        ),
        "tech_conformal": T(
            TECH,
            OFFER,
            "3525",
            "注塑模具随形冷却设计技术",
            "采用金属 3D 打印随形冷却水路与模流分析相结合，注塑周期平均缩短 20%–35%，翘曲变形"
            "明显减少。可为客户提供模流分析、水路设计及镶件打印一体化服务。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(50000, 200000, 10000),
            price_note="元（单套服务费）",
            attrs={
                "field": "模具设计",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "service",
            },
        ),
        "tech_nopaint": T(
            TECH,
            OFFER,
            "2929",
            "免喷涂高光注塑工艺",
            "采用急冷急热（RHCM）模温控制与免喷涂改性材料，塑件表面无熔接痕、光泽度达 90 以上，"
            "省去喷涂工序，适用于家电面板和汽车内饰件。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(100000, 400000, 50000),
            price_note="元（许可费）",
            attrs={
                "field": "注塑成型",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "{mode}",
            },
            mode=("license", "transfer"),
        ),
        "vision_need": T(
            TECH,
            REQUEST,
            "6513",
            "寻求注塑件外观缺陷视觉检测方案",
            "注塑外壳目前靠人工目检缩痕、缺料、飞边和黑点，漏检率偏高。希望引入机器视觉在线"
            "检测，节拍 6 秒/件，可先做样件验证，欢迎软件或自动化企业提供方案。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(150000, 400000, 50000),
            price_note="元（项目预算）",
            attrs={"field": "机器视觉", "maturity": "industrial", "mode": "service"},
        ),
        "housing_order": T(
            ORDER,
            REQUEST,
            "2929",
            "注塑外壳（{material}）{qty_text}套",
            "采购{product}注塑外壳 {qty_text}套（上下壳各一件），材料 {material}，表面高光免喷涂，"
            "{delivery_text}前分批交货。模具由我司提供。",
            unit=SETS,
            qty=(10000, 50000, 5000),
            prices=P(6, 25, 0.5),
            price_note="元/套",
            attrs={
                "product": "{product}注塑外壳",
                "delivery_date": "{delivery}",
                "required_certifications": ["iso9001"],
                "quality_requirements": "外观 A 面无缩痕、熔接痕，色差 ΔE≤1.0，批次附出货检验报告。",
            },
            material=("PC+ABS", "ABS", "PP"),
            product=("充电桩", "智能电表", "车载控制器"),
        ),
        "mold_order": T(
            ORDER,
            REQUEST,
            "3525",
            "注塑模具开发 {qty} 套",
            "新产品开发需注塑模具 {qty} 套，单腔或一出二，模架 LKM，钢材 S136/718H，要求"
            "{delivery_text}前试模合格（T1）。",
            unit=SETS,
            qty=(2, 8, 1),
            prices=P(30000, 150000, 5000),
            price_note="元/套",
            attrs={
                "product": "注塑模具",
                "delivery_date": "{delivery}",
                "quality_requirements": "模具寿命 ≥50 万模次，提供模流分析报告和 3D 图档。",
            },
        ),
        "take_orders": T(
            ORDER,
            OFFER,
            "2929",
            "承接注塑加工订单（{tonnage}）",
            "公司有 {tonnage} 注塑机 {n} 台，可承接家电、汽车、电子类塑件的注塑加工，配套超声波"
            "焊接、移印和装配，月产能约 {qty_text}件。",
            unit=PCS,
            qty=(100000, 500000, 50000),
            attrs={
                "product": "注塑件",
                "quality_requirements": "ISO 9001 体系，可按客户要求做全尺寸检验。",
            },
            tonnage=("90T–450T", "120T–380T"),
            n=("20", "30", "45"),
        ),
        "technician_offer": T(
            TALENT,
            OFFER,
            "2929",
            "注塑技术员 {qty} 人 借调 {months} 个月",
            "有 {qty} 名注塑技术员（调机、试模经验 5 年以上）可借调 {months} 个月，熟悉海天、"
            "恩格尔机型，能独立处理缩痕、飞边、短射等问题。",
            unit=PERSONS,
            qty=(1, 3, 1),
            prices=P(8000, 12000, 500),
            price_note="元/人·月",
            attrs=secondment("注塑调机、试模，工艺参数优化"),
        ),
        "fitter_offer": T(
            TALENT,
            OFFER,
            "3525",
            "模具钳工 {qty} 人 共享用工",
            "模具车间有 {qty} 名模具钳工可共享用工 {months} 个月，擅长注塑模装配、省模和修模。",
            unit=PERSONS,
            qty=(1, 3, 1),
            prices=P(8000, 11000, 500),
            price_note="元/人·月",
            attrs=secondment("注塑模装配、省模、修模"),
        ),
        "designer_need": T(
            TALENT,
            REQUEST,
            "3525",
            "招聘模具设计工程师 {qty} 人",
            "招聘注塑模具设计工程师 {qty} 名，熟练使用 UG/NX 和 Moldflow，有汽车或家电模具设计"
            "经验者优先。",
            unit=PERSONS,
            qty=(1, 2, 1),
            prices=P(9000, 15000, 500),
            price_note="元/月",
            attrs={
                "skills": "UG/NX 模具设计、Moldflow 模流分析",
                "headcount": "{qty}",
                "mode": "hire",
            },
        ),
    },
    "metal": {
        "laser": T(
            CAP,
            OFFER,
            "3311",
            "光纤激光切割机 {power} 承接钣金下料",
            "{power} 光纤激光切割机 {n} 台，幅面 3000×1500 mm，碳钢最大切割厚度 25 mm、不锈钢"
            " 12 mm。目前每月约有 {qty} 小时空闲，可承接来图下料。",
            unit=MH,
            qty=(150, 400, 50),
            prices=P(80, 200, 10),
            price_note="元/机时",
            attrs={
                "facility": "equipment",
                "machine_type": "{power} 光纤激光切割机",
                "process": "激光切割",
                "lead_time_days": "{lead}",
            },
            power=("6000W", "12000W"),
            n=("2", "3"),
            lead=("2", "3", "5"),
        ),
        "bender": T(
            CAP,
            OFFER,
            "3311",
            "数控折弯机 {model} 闲置机时",
            "{model} 数控折弯机 {n} 台，最大折弯长度 4 米，配激光角度测量，每月空闲约 {qty} 小时，"
            "可承接机柜、机箱和结构件折弯。",
            unit=MH,
            qty=(100, 300, 20),
            prices=P(50, 100, 5),
            price_note="元/机时",
            attrs={
                "facility": "equipment",
                "machine_type": "{model} 数控折弯机",
                "process": "数控折弯",
                "lead_time_days": "{lead}",
            },
            model=("220T/4000", "160T/3200"),
            n=("2", "3", "4"),
            lead=("3", "5"),
        ),
        "steel_line": T(
            CAP,
            OFFER,
            "3311",
            "钢结构加工车间 闲置产能 {qty} 吨/月",
            "钢结构车间配 H 型钢组立、埋弧焊、矫正一体机和抛丸线，车间配 20 吨行车，月产能约"
            " {qty} 吨，近期订单不足，可承接钢结构构件加工。",
            unit=TM,
            qty=(200, 800, 50),
            prices=P(900, 1800, 50),
            price_note="元/吨（加工费）",
            attrs={
                "facility": "line",
                "machine_type": "H 型钢生产线",
                "process": "组立、焊接、矫正、抛丸",
                "lead_time_days": "{lead}",
            },
            lead=("10", "15", "20"),
        ),
        "need_laser": T(
            CAP,
            REQUEST,
            "3311",
            "寻求激光切割外协（板厚 {thick}）",
            "需要激光切割外协，碳钢板厚 {thick}，每月约 {qty} 机时，要求切口无挂渣、尺寸公差"
            " ±0.1 mm，周期 {months} 个月。",
            unit=MH,
            qty=(80, 250, 10),
            prices=P(80, 180, 10),
            price_note="元/机时",
            attrs={
                "facility": "equipment",
                "machine_type": "光纤激光切割机",
                "process": "激光切割",
            },
            thick=("3–12 mm", "6–20 mm"),
        ),
        "tech_weld": T(
            TECH,
            OFFER,
            "3311",
            "大型钢结构焊接变形控制技术",
            "通过焊接顺序优化、反变形预置和焊后火焰矫正工艺，可将 20 米以上箱型梁的旁弯控制在"
            " L/2000 以内。可为同行提供工艺评定和现场技术服务。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={
                "field": "焊接工艺",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "service",
            },
        ),
        "steel_order": T(
            ORDER,
            REQUEST,
            "3311",
            "钢结构件 {qty} 吨 加工",
            "厂房扩建项目需加工钢结构构件（H 型钢梁柱、檩条、支撑）约 {qty} 吨，材料 Q355B，"
            "由供方包工包料，{delivery_text}前分批运至现场。",
            unit=TONNES,
            qty=(50, 300, 10),
            prices=P(6500, 9000, 100),
            price_note="元/吨",
            attrs={
                "product": "钢结构构件",
                "delivery_date": "{delivery}",
                "required_certifications": ["iso9001"],
                "quality_requirements": "焊缝按 GB 50205 验收，一级焊缝 100% 超声波探伤。",
            },
        ),
        "take_orders": T(
            ORDER,
            OFFER,
            "3311",
            "承接钣金机柜、机箱加工订单",
            "可承接钣金机柜、电气箱、设备外罩等加工，激光下料、折弯、焊接、喷塑一条龙，月产能约"
            " {qty} 件。",
            unit=PCS,
            qty=(2000, 10000, 500),
            attrs={
                "product": "钣金机柜、机箱",
                "quality_requirements": "喷塑膜厚 60–80 μm，盐雾试验 500 小时。",
            },
        ),
        "welder_offer": T(
            TALENT,
            OFFER,
            "3311",
            "电焊工 {qty} 人 共享用工 {months} 个月",
            "项目间歇期有 {qty} 名持证电焊工可共享用工 {months} 个月，熟练埋弧焊和 CO2 保护焊，"
            "有钢结构现场安装经验。",
            unit=PERSONS,
            qty=(2, 6, 1),
            prices=P(7500, 11000, 500),
            price_note="元/人·月",
            attrs=secondment("埋弧焊、CO2 保护焊，持特种作业操作证"),
        ),
        "welder_need": T(
            TALENT,
            REQUEST,
            "3311",
            "急需电焊工 {qty} 人",
            "承接的钢结构项目工期紧，急需持证电焊工 {qty} 名，可共享用工 {months} 个月，包食宿。",
            unit=PERSONS,
            qty=(3, 10, 1),
            prices=P(8000, 12000, 500),
            price_note="元/人·月",
            attrs={
                "skills": "CO2 保护焊、埋弧焊",
                "headcount": "{qty}",
                "duration_months": "{months}",
                "mode": "secondment",
            },
        ),
    },
    "heat": {
        "carburize": T(
            CAP,
            OFFER,
            "3360",
            "井式渗碳热处理炉 闲置产能",
            "井式气体渗碳炉 {n} 台（有效尺寸 Φ800×1200 mm），配回火炉和清洗机，可承接齿轮、轴类"
            "零件的渗碳淬火，月空闲产能约 {qty} 吨。",
            unit=TM,
            qty=(20, 80, 5),
            prices=P(2200, 4000, 100),
            price_note="元/吨",
            attrs={
                "facility": "equipment",
                "machine_type": "井式气体渗碳炉 RQ3-90",
                "process": "渗碳淬火",
                "lead_time_days": "{lead}",
            },
            n=("3", "4", "6"),
            lead=("3", "5", "7"),
        ),
        "vacuum": T(
            CAP,
            OFFER,
            "3360",
            "真空热处理炉 闲置产能",
            "卧式真空高压气淬炉 2 台，可承接模具钢、高速钢、不锈钢零件的真空淬火、回火，"
            "表面光亮无氧化，月空闲约 {qty} 吨。",
            unit=TM,
            qty=(5, 20, 1),
            prices=P(6000, 12000, 500),
            price_note="元/吨",
            attrs={
                "facility": "equipment",
                "machine_type": "卧式真空高压气淬炉",
                "process": "真空淬火、回火",
                "lead_time_days": "{lead}",
            },
            lead=("3", "5"),
        ),
        "powder_line": T(
            CAP,
            OFFER,
            "3360",
            "静电粉末喷涂线 闲置产能",
            "全自动静电粉末喷涂线一条（前处理 + 喷粉 + 固化），最大工件 2000×800×1500 mm，"
            "月空闲产能约 {qty} 件，可承接钣金件、铝型材喷涂。",
            unit=PM,
            qty=(10000, 50000, 5000),
            prices=P(2, 15, 0.5),
            price_note="元/件",
            attrs={
                "facility": "line",
                "machine_type": "自动静电粉末喷涂线",
                "process": "前处理、静电喷粉、固化",
                "lead_time_days": "{lead}",
            },
            lead=("5", "7"),
        ),
        "ecoat": T(
            CAP,
            OFFER,
            "3360",
            "阴极电泳涂装线 闲置产能",
            "阴极电泳线一条，可承接汽车零部件、农机件的电泳涂装，盐雾试验 720 小时，月空闲约"
            " {qty} 件。",
            unit=PM,
            qty=(20000, 80000, 10000),
            prices=P(1.5, 8, 0.5),
            price_note="元/件",
            attrs={
                "facility": "line",
                "machine_type": "阴极电泳涂装线",
                "process": "电泳涂装",
                "lead_time_days": "{lead}",
            },
            lead=("5", "7", "10"),
        ),
        "need_coat": T(
            CAP,
            REQUEST,
            "3360",
            "寻找喷涂外协产能（{part}）",
            "需要{place}周边喷涂外协，{part}，每月约 {qty} 件，颜色 RAL7035 等 3 种，周期"
            " {months} 个月。",
            unit=PM,
            qty=(5000, 20000, 1000),
            prices=P(3, 12, 0.5),
            price_note="元/件",
            attrs={"facility": "line", "machine_type": "粉末喷涂线", "process": "静电喷粉"},
            part=("钣金机柜", "铝型材框架", "农机覆盖件"),
        ),
        "tech_cladding": T(
            TECH,
            OFFER,
            "3360",
            "激光熔覆修复技术",
            "采用半导体激光熔覆，对轧辊、液压柱、泵轴等磨损零件进行修复和表面强化，熔覆层与基体"
            "冶金结合，硬度可达 HRC 55–60，修复成本约为新件的 30%–50%。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={
                "field": "表面工程",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "service",
            },
        ),
        "tech_chromefree": T(
            TECH,
            OFFER,
            "3360",
            "无铬钝化表面处理工艺",
            "以锆钛系转化膜替代六价铬钝化，满足 RoHS 要求，中性盐雾 240 小时无白锈，现处于中试"
            "阶段，寻求电镀、涂装企业许可使用或合作开发。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(100000, 300000, 50000),
            price_note="元（许可费）",
            attrs={
                "field": "表面处理",
                "maturity": "pilot",
                "patents": "{patents}",
                "mode": "{mode}",
            },
            mode=("license", "cooperation"),
        ),
        "ht_order": T(
            ORDER,
            REQUEST,
            "3360",
            "热处理外协 {qty} 吨（渗碳淬火）",
            "齿轮、花键轴类零件需渗碳淬火外协，共约 {qty} 吨，材料 20CrMnTi，{delivery_text}前"
            "完成。",
            unit=TONNES,
            qty=(30, 120, 10),
            prices=P(2200, 3800, 100),
            price_note="元/吨",
            attrs={
                "product": "齿轮、花键轴渗碳淬火",
                "delivery_date": "{delivery}",
                "required_certifications": ["iso9001"],
                "quality_requirements": "有效硬化层 0.8–1.2 mm，表面硬度 58–62 HRC，每炉附金相报告。",
            },
        ),
        "take_orders": T(
            ORDER,
            OFFER,
            "3360",
            "承接渗碳、淬火、调质热处理订单",
            "可承接齿轮、轴类、模具等零件的渗碳、碳氮共渗、淬火、调质和真空热处理，配金相实验室，"
            "月处理能力约 {qty} 吨。",
            unit=TONNES,
            qty=(100, 400, 20),
            attrs={
                "product": "热处理加工",
                "quality_requirements": "每炉随炉试样检测，出具硬度和金相报告。",
            },
        ),
        "engineer_offer": T(
            TALENT,
            OFFER,
            "3360",
            "热处理工艺工程师 1 人 兼职技术支持",
            "资深热处理工程师（高级工程师，20 年经验）可兼职为中小企业提供热处理工艺制定、缺陷"
            "分析和炉子调试支持，每月 4–6 天，周期 {months} 个月。",
            unit=PERSONS,
            qty=(1, 1, 1),
            prices=P(5000, 10000, 500),
            price_note="元/月",
            attrs={
                "skills": "渗碳、淬火工艺，失效分析",
                "headcount": "1",
                "duration_months": "{months}",
                "mode": "part_time",
            },
        ),
        "painter_need": T(
            TALENT,
            REQUEST,
            "3360",
            "招聘喷涂班组长 {qty} 人",
            "招聘喷涂班组长 {qty} 名，熟悉粉末喷涂和前处理工艺，有 3 年以上班组管理经验。",
            unit=PERSONS,
            qty=(1, 2, 1),
            prices=P(7000, 10000, 500),
            price_note="元/月",
            attrs={
                "skills": "粉末喷涂、前处理工艺，班组管理",
                "headcount": "{qty}",
                "mode": "hire",
            },
        ),
    },
    "casting": {
        "diecast": T(
            CAP,
            OFFER,
            "3392",
            "压铸机 {tonnage} 闲置产能",
            "{tonnage} 冷室压铸机 {n} 台（配取件机器人和喷雾机），可承接铝合金壳体、支架类压铸件，"
            "每月空闲约 {qty} 机时，可配套去毛刺、机加工和浸渗。",
            unit=MH,
            qty=(200, 600, 50),
            prices=P(150, 350, 10),
            price_note="元/机时",
            attrs={
                "facility": "equipment",
                "machine_type": "{tonnage} 冷室压铸机",
                "process": "铝合金压铸",
                "min_order": "单款 2000 件起",
                "lead_time_days": "{lead}",
            },
            tonnage=("800T", "1250T", "500T"),
            n=("2", "3", "4"),
            lead=("10", "15", "20"),
        ),
        "lost_foam": T(
            CAP,
            OFFER,
            "3391",
            "消失模铸造线 闲置产能",
            "消失模铸造线一条（中频炉 2 吨×2），可承接灰铁、球铁件，单件 5–500 kg，月空闲产能约"
            " {qty} 吨。",
            unit=TM,
            qty=(50, 200, 10),
            prices=P(5500, 8500, 100),
            price_note="元/吨",
            attrs={
                "facility": "line",
                "machine_type": "消失模铸造线（2 吨中频炉×2）",
                "process": "消失模铸造",
                "lead_time_days": "{lead}",
            },
            lead=("15", "20", "30"),
        ),
        "need_diecast": T(
            CAP,
            REQUEST,
            "3392",
            "寻求铝合金压铸外协产能",
            "需要 {tonnage} 以上压铸机外协产能，每月约 {qty} 机时，产品为新能源汽车电机壳体，"
            "要求具备 X 光探伤能力，周期 {months} 个月。",
            unit=MH,
            qty=(100, 400, 50),
            prices=NEGOTIABLE,
            attrs={
                "facility": "equipment",
                "machine_type": "{tonnage} 以上压铸机",
                "process": "压铸",
            },
            tonnage=("800T", "1250T"),
        ),
        "tech_light": T(
            TECH,
            OFFER,
            "3392",
            "轻量化铝合金压铸工艺",
            "针对新能源汽车结构件开发的免热处理高强韧铝合金压铸工艺，铸态抗拉强度 ≥280 MPa、"
            "延伸率 ≥10%，可替代钢制冲焊件，减重 30% 以上。可许可使用并提供模具和工艺调试服务。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(500000, 2000000, 100000),
            price_note="元（许可费）",
            attrs={
                "field": "轻量化材料成形",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "license",
            },
        ),
        "tech_vacuum": T(
            TECH,
            OFFER,
            "3392",
            "高真空压铸技术",
            "自主开发的高真空压铸系统，型腔真空度 ≤50 mbar，压铸件可焊接、可热处理，内部气孔率"
            "显著降低。现寻求压铸企业合作推广。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={
                "field": "压铸",
                "maturity": "pilot",
                "patents": "{patents}",
                "mode": "cooperation",
            },
        ),
        "tech_porosity_need": T(
            TECH,
            REQUEST,
            "3392",
            "寻求铝合金压铸件气孔控制工艺",
            "公司生产的铝合金壳体压铸件机加工后气孔缺陷率约 6%，希望与有经验的专家或企业合作，"
            "从模具排气、工艺参数和熔体处理方面改进，目标降到 1.5% 以下。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(50000, 200000, 10000),
            price_note="元（项目预算）",
            attrs={"field": "压铸", "maturity": "industrial", "mode": "service"},
        ),
        "diecast_order": T(
            ORDER,
            REQUEST,
            "3392",
            "铝合金压铸件 {qty_text}件",
            "采购{part}铝合金压铸件 {qty_text}件，材料 ADC12，含去毛刺和抛丸，{delivery_text}"
            "前首批交付。",
            unit=PCS,
            qty=(10000, 60000, 5000),
            prices=P(12, 60, 1),
            price_note="元/件",
            attrs={
                "product": "{part}",
                "delivery_date": "{delivery}",
                "required_certifications": ["iatf16949"],
                "quality_requirements": "X 光探伤按 ASTM E505 二级，气密性 0.2 MPa 不漏。",
            },
            part=("电机端盖", "变速箱壳体", "转向机壳体"),
        ),
        "take_orders": T(
            ORDER,
            OFFER,
            "3391",
            "承接灰铁、球铁铸件订单",
            "可承接灰铁 HT250、球铁 QT450-10 等铸件，单件 5–500 kg，配套机加工，月产能约 {qty} 吨。",
            unit=TONNES,
            qty=(100, 400, 20),
            attrs={
                "product": "灰铁、球铁铸件",
                "quality_requirements": "化学成分和力学性能每炉检测，附材质报告。",
            },
        ),
        "engineer_offer": T(
            TALENT,
            OFFER,
            "3392",
            "压铸工艺工程师 1 人 借调 {months} 个月",
            "压铸工艺工程师 1 名（8 年经验）可借调 {months} 个月，擅长模具试模、参数优化和缺陷"
            "分析。",
            unit=PERSONS,
            qty=(1, 1, 1),
            prices=P(12000, 18000, 500),
            price_note="元/月",
            attrs=secondment("压铸试模、工艺参数优化、缺陷分析"),
        ),
        "tech_need": T(
            TALENT,
            REQUEST,
            "3391",
            "招聘铸造工艺员 {qty} 人",
            "招聘铸造工艺员 {qty} 名，熟悉消失模或树脂砂工艺，会使用铸造模拟软件者优先。",
            unit=PERSONS,
            qty=(1, 2, 1),
            prices=P(7000, 11000, 500),
            price_note="元/月",
            attrs={"skills": "铸造工艺设计、凝固模拟", "headcount": "{qty}", "mode": "hire"},
        ),
    },
    "chemical": {
        "reactor_idle": T(
            CAP,
            OFFER,
            "2661",
            "搪玻璃反应釜 {vol} 闲置（{qty} 台）",
            "{qty} 台 {vol} 搪玻璃反应釜及配套冷凝、接收系统闲置，温度范围 -20–200 ℃，可承接"
            "磺化、酯化、缩合等常规单元反应的代工，具备安评、环评手续。",
            unit=UNITS,
            qty=(2, 6, 1),
            prices=P(20000, 50000, 1000),
            price_note="元/台·月",
            attrs={
                "facility": "equipment",
                "machine_type": "{vol} 搪玻璃反应釜",
                "process": "磺化、酯化、缩合",
                "lead_time_days": "{lead}",
            },
            vol=("3000L", "5000L", "8000L"),
            lead=("15", "20", "30"),
        ),
        "distill": T(
            CAP,
            OFFER,
            "2614",
            "不锈钢反应釜及精馏塔 闲置产能",
            "316L 不锈钢反应釜 4 台及填料精馏塔 1 座，可承接有机溶剂回收、精馏提纯，月空闲产能约"
            " {qty} 吨。",
            unit=TM,
            qty=(50, 200, 10),
            prices=P(1500, 4000, 100),
            price_note="元/吨",
            attrs={
                "facility": "line",
                "machine_type": "316L 反应釜及填料精馏塔",
                "process": "精馏提纯",
                "lead_time_days": "{lead}",
            },
            lead=("10", "15", "20"),
        ),
        "warehouse": T(
            CAP,
            OFFER,
            "2661",
            "丙类仓库 {qty} 平方米 出租",
            "园区内丙类仓库 {qty} 平方米，配自动喷淋、防爆照明和装卸平台，适合化工原料及成品"
            "存储，可整租或分租。",
            unit=SQM,
            qty=(800, 3000, 200),
            prices=P(15, 30, 1),
            price_note="元/平方米·月",
            attrs={"facility": "plant", "area_sqm": "{qty}", "rent_yuan_sqm_month": "{price}"},
        ),
        "need_reactor": T(
            CAP,
            REQUEST,
            "2661",
            "寻求反应釜代工产能（{process}工艺）",
            "新产品放量，需要具备{process}工艺条件和合规手续的反应釜代工产能，月需求约 {qty} 吨，"
            "周期 {months} 个月，我方提供工艺包并派驻技术人员。",
            unit=TM,
            qty=(10, 60, 5),
            prices=NEGOTIABLE,
            attrs={
                "facility": "equipment",
                "machine_type": "3000L 以上反应釜",
                "process": "{process}",
            },
            process=("磺化", "酯化", "缩合"),
        ),
        "tech_zld": T(
            TECH,
            OFFER,
            "7721",
            "废水零排放处理技术（高盐废水）",
            "采用“预处理 + 膜浓缩 + MVR 蒸发结晶”组合工艺处理化工高盐废水，回用率 ≥95%，结晶盐"
            "可资源化利用，已在 3 家化工园区企业稳定运行。可提供工艺包、设备集成和运营服务。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(500000, 3000000, 100000),
            price_note="元（技术服务费）",
            attrs={
                "field": "工业废水处理",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "{mode}",
            },
            mode=("license", "service"),
        ),
        "tech_flow": T(
            TECH,
            OFFER,
            "2661",
            "精细化工连续流微反应工艺",
            "将硝化、重氮化等危险工艺由釜式改为微通道连续流，持液量下降 90% 以上，反应时间由"
            "小时级缩短到分钟级。现处于中试阶段，寻求合作开发。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={
                "field": "化工工艺安全",
                "maturity": "pilot",
                "patents": "{patents}",
                "mode": "cooperation",
            },
        ),
        "tech_gypsum": T(
            TECH,
            OFFER,
            "2619",
            "磷石膏综合利用技术",
            "磷石膏经净化改性后制备 β 型建筑石膏粉和石膏砌块，产品满足 GB/T 9776 要求，可实现"
            "磷石膏“以用定产”。寻求磷化工企业转让或许可使用。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(300000, 1000000, 50000),
            price_note="元（转让费）",
            attrs={
                "field": "固废资源化",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "{mode}",
            },
            mode=("transfer", "license"),
        ),
        "zld_need": T(
            TECH,
            REQUEST,
            "7721",
            "寻求高盐废水零排放处理技术合作",
            "公司每天产生高盐废水约 {n} 吨（TDS 约 8%），现有处理工艺运行成本高，希望引进成熟的"
            "零排放技术或委托运营，欢迎技术单位联系。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={"field": "工业废水处理", "maturity": "industrial", "mode": "service"},
            n=("80", "120", "200"),
        ),
        "vocs_need": T(
            TECH,
            REQUEST,
            "7722",
            "寻求 VOCs 废气治理方案",
            "车间有机废气（甲苯、乙酸乙酯）风量约 20000 m³/h，需升级治理设施以满足新排放标准，"
            "希望获得 RTO 或吸附浓缩 + 催化燃烧方案和报价。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={"field": "废气治理", "maturity": "industrial", "mode": "service"},
        ),
        "intermediate_order": T(
            ORDER,
            REQUEST,
            "2661",
            "精细化工中间体 {qty} 吨（定制合成）",
            "委托定制合成{chem} {qty} 吨，纯度 ≥99.0%（HPLC），我方提供工艺路线，{delivery_text}"
            "前交货。供方需具备相应安全生产许可和环保手续。",
            unit=TONNES,
            qty=(5, 40, 5),
            prices=P(38000, 120000, 1000),
            price_note="元/吨",
            attrs={
                "product": "{chem}",
                "delivery_date": "{delivery}",
                "required_certifications": ["iso9001", "iso14001"],
                "quality_requirements": "纯度 ≥99.0%（HPLC），单杂 ≤0.3%，每批附 COA。",
            },
            chem=("医药中间体", "农药中间体", "染料中间体"),
        ),
        "take_orders": T(
            ORDER,
            OFFER,
            "2661",
            "承接精细化工定制合成订单（公斤级至吨级）",
            "公司拥有 50L–5000L 多规格反应釜和分析检测中心，可承接公斤级至吨级的定制合成、"
            "工艺放大和代工生产，月产能约 {qty} 千克。",
            unit=KG,
            qty=(2000, 20000, 1000),
            attrs={
                "product": "定制合成化学品",
                "quality_requirements": "ISO 9001、ISO 14001 体系，每批出具 COA。",
            },
        ),
        "operator_offer": T(
            TALENT,
            OFFER,
            "2661",
            "化工操作工 {qty} 人 借调 {months} 个月",
            "装置停产检修期间有 {qty} 名化工操作工（持危化品特种作业证）可借调 {months} 个月，"
            "熟悉反应釜、离心机和干燥设备操作。",
            unit=PERSONS,
            qty=(2, 5, 1),
            prices=P(7000, 9500, 500),
            price_note="元/人·月",
            attrs=secondment("化工 DCS 操作、反应釜操作，持危化品作业证"),
        ),
        "safety_offer": T(
            TALENT,
            OFFER,
            "2661",
            "注册安全工程师 1 人 兼职服务",
            "注册安全工程师（化工安全方向）可兼职为园区中小化工企业提供 HAZOP 分析、双重预防"
            "机制建设指导，每月 4 天，周期 {months} 个月。",
            unit=PERSONS,
            qty=(1, 1, 1),
            prices=P(6000, 12000, 500),
            price_note="元/月",
            attrs={
                "skills": "HAZOP、双重预防机制、化工过程安全",
                "headcount": "1",
                "duration_months": "{months}",
                "mode": "part_time",
            },
        ),
        "engineer_need": T(
            TALENT,
            REQUEST,
            "2661",
            "招聘化工工艺工程师 {qty} 人",
            "招聘化工工艺工程师 {qty} 名，化学工程或有机化学专业本科以上，有工艺放大经验者优先。",
            unit=PERSONS,
            qty=(1, 3, 1),
            prices=P(8000, 15000, 500),
            price_note="元/月",
            attrs={"skills": "化工工艺放大、物料衡算", "headcount": "{qty}", "mode": "hire"},
        ),
    },
    "textile": {
        "sewing_line": T(
            CAP,
            OFFER,
            "1819",
            "缝制生产线 闲置产能（淡季）",
            "淡季有 {n} 条吊挂缝制流水线（每条平缝机 30 台）闲置，可承接{garment}等机织服装"
            "加工，月产能约 {qty_text}件，可包工包料或来料加工。",
            unit=PM,
            qty=(20000, 80000, 5000),
            prices=P(6, 25, 1),
            price_note="元/件（加工费）",
            attrs={
                "facility": "line",
                "machine_type": "吊挂缝制流水线",
                "process": "裁剪、缝制、整烫",
                "min_order": "单款 1000 件起",
                "lead_time_days": "{lead}",
            },
            n=("2", "3", "4"),
            garment=("工装、衬衫", "风衣、夹克", "校服、休闲裤"),
            lead=("10", "15", "20"),
        ),
        "circular": T(
            CAP,
            OFFER,
            "1761",
            "针织圆机 {n} 台 闲置产能",
            "{n} 台单面、双面针织圆机闲置，可织汗布、罗纹、卫衣布等针织坯布，月空闲产能约"
            " {qty} 吨。",
            unit=TM,
            qty=(20, 80, 5),
            prices=P(1500, 3000, 100),
            price_note="元/吨（织造费）",
            attrs={
                "facility": "equipment",
                "machine_type": "单面、双面针织圆机",
                "process": "针织织造",
                "lead_time_days": "{lead}",
            },
            n=("12", "16", "24"),
            lead=("5", "7", "10"),
        ),
        "digital_print": T(
            CAP,
            OFFER,
            "1713",
            "数码印花机 闲置机时",
            "高速数码直喷印花机 2 台（宽幅 1.8 米），可承接棉、涤纶面料的小批量快反印花，每月"
            "空闲约 {qty} 小时。",
            unit=MH,
            qty=(100, 300, 20),
            prices=P(150, 300, 10),
            price_note="元/机时",
            attrs={
                "facility": "equipment",
                "machine_type": "高速数码直喷印花机",
                "process": "数码印花",
                "min_order": "每色 100 米起",
                "lead_time_days": "{lead}",
            },
            lead=("3", "5", "7"),
        ),
        "need_factory": T(
            CAP,
            REQUEST,
            "1819",
            "寻找服装加工厂（{garment}）",
            "旺季订单超出自有产能，寻找{place}周边服装加工厂承接{garment}缝制，每月约 {qty} 件，"
            "周期 {months} 个月，面辅料由我方提供。",
            unit=PM,
            qty=(10000, 50000, 5000),
            prices=P(8, 30, 1),
            price_note="元/件",
            attrs={"facility": "line", "machine_type": "平缝机流水线", "process": "缝制"},
            garment=("工装", "羽绒服", "运动裤"),
        ),
        "tech_print": T(
            TECH,
            OFFER,
            "1713",
            "纺织品数码印花工艺",
            "成熟的活性墨水数码印花前处理与后整理工艺，色牢度 4 级以上，废水排放较传统印花减少"
            " 70%。可提供工艺包和设备选型咨询。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(50000, 200000, 10000),
            price_note="元（技术服务费）",
            attrs={
                "field": "印染",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "service",
            },
        ),
        "tech_antibac": T(
            TECH,
            OFFER,
            "1713",
            "功能性面料抗菌整理技术",
            "采用季铵盐类有机硅抗菌整理剂，面料洗涤 50 次后抑菌率仍 ≥99%，适用于医护服、运动"
            "服面料。寻求面料企业许可使用。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(80000, 300000, 10000),
            price_note="元（许可费）",
            attrs={
                "field": "功能性纺织品",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "license",
            },
        ),
        "waterproof_need": T(
            TECH,
            REQUEST,
            "1713",
            "寻求面料防水透湿整理技术",
            "计划开发户外冲锋衣面料，需要无氟防水整理和透湿涂层技术，希望与科研院所或企业合作，"
            "目标静水压 ≥10000 mm、透湿量 ≥5000 g/m²·24h。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={"field": "功能性纺织品", "maturity": "pilot", "mode": "cooperation"},
        ),
        "fabric_order": T(
            ORDER,
            REQUEST,
            "1751",
            "纺织面料 {qty_text}米（{fabric}）",
            "采购{fabric}面料 {qty_text}米，幅宽 150 cm，颜色 5 个，{delivery_text}前分两批交货。",
            unit=METRES,
            qty=(10000, 60000, 5000),
            prices=P(8, 28, 0.5),
            price_note="元/米",
            attrs={
                "product": "{fabric}面料",
                "delivery_date": "{delivery}",
                "quality_requirements": "色牢度 ≥4 级，缩水率 ≤3%，按 GB 18401 B 类。",
            },
            fabric=("涤棉府绸", "涤纶春亚纺", "全棉斜纹"),
        ),
        "uniform_order": T(
            ORDER,
            REQUEST,
            "1819",
            "工装制服 {qty} 套",
            "企业员工春秋工装 {qty} 套，款式已定，面料由供方采购（涤棉 65/35），{delivery_text}"
            "前交货，含刺绣 logo。",
            unit=SETS,
            qty=(2000, 12000, 500),
            prices=P(80, 180, 5),
            price_note="元/套",
            attrs={
                "product": "春秋工装",
                "delivery_date": "{delivery}",
                "required_certifications": ["iso9001"],
                "quality_requirements": "按 GB/T 2664 一等品验收。",
            },
        ),
        "sportswear_order": T(
            ORDER,
            REQUEST,
            "1811",
            "运动服代工 {qty} 件",
            "品牌运动服（速干 T 恤、运动长裤）代工 {qty} 件，面料由我方指定，{delivery_text}前交货。",
            unit=PCS,
            qty=(5000, 30000, 1000),
            prices=P(18, 45, 1),
            price_note="元/件",
            attrs={
                "product": "运动服",
                "delivery_date": "{delivery}",
                "quality_requirements": "按 FZ/T 81007 一等品验收，AQL 2.5。",
            },
        ),
        "take_orders": T(
            ORDER,
            OFFER,
            "1819",
            "承接服装代工订单（{garment}）",
            "公司有缝制工 300 余人，可承接{garment}代工，支持小单快反，月产能约 {qty_text}件。",
            unit=PCS,
            qty=(30000, 100000, 10000),
            attrs={
                "product": "{garment}",
                "quality_requirements": "AQL 2.5 抽检，可接受客户验厂。",
            },
            garment=("工装、校服", "针织 T 恤、卫衣", "女装连衣裙"),
        ),
        "sewers_offer": T(
            TALENT,
            OFFER,
            "1811",
            "缝纫工 {qty} 人 淡季共享用工",
            "淡季有 {qty} 名熟练缝纫工可共享用工 {months} 个月，熟悉平缝、包缝和绷缝，工作期间"
            "劳动合同和社保关系不变，员工本人已同意。",
            unit=PERSONS,
            qty=(10, 30, 5),
            prices=P(5000, 7000, 500),
            price_note="元/人·月",
            attrs=secondment("平缝、包缝、绷缝"),
        ),
        "sewers_need": T(
            TALENT,
            REQUEST,
            "1811",
            "旺季急需缝纫工 {qty} 人",
            "旺季订单集中，急需熟练缝纫工 {qty} 名，共享用工 {months} 个月，计件工资，包食宿。",
            unit=PERSONS,
            qty=(10, 40, 5),
            prices=P(5000, 8000, 500),
            price_note="元/人·月",
            attrs={
                "skills": "平缝、包缝",
                "headcount": "{qty}",
                "duration_months": "{months}",
                "mode": "secondment",
            },
        ),
        "patternmaker_need": T(
            TALENT,
            REQUEST,
            "1819",
            "招聘服装版师 {qty} 人",
            "招聘服装版师 {qty} 名，熟练使用富怡或 ET 制版系统，有工装或女装制版经验。",
            unit=PERSONS,
            qty=(1, 2, 1),
            prices=P(8000, 15000, 500),
            price_note="元/月",
            attrs={"skills": "服装制版、推板，富怡/ET 系统", "headcount": "{qty}", "mode": "hire"},
        ),
    },
    "nonwoven": {
        "sms_line": T(
            CAP,
            OFFER,
            "1781",
            "SMS 无纺布生产线 闲置产能",
            "SMS 纺粘熔喷复合无纺布生产线一条（幅宽 3.2 米），可生产 15–80 g/m² 医用及卫材用布，"
            "月空闲产能约 {qty} 吨。",
            unit=TM,
            qty=(100, 400, 20),
            prices=P(9000, 14000, 500),
            price_note="元/吨",
            attrs={
                "facility": "line",
                "machine_type": "SMS 纺粘熔喷复合生产线",
                "process": "纺粘、熔喷复合",
                "lead_time_days": "{lead}",
            },
            lead=("7", "10", "15"),
        ),
        "spunlace": T(
            CAP,
            OFFER,
            "1781",
            "水刺无纺布生产线 闲置产能",
            "水刺无纺布生产线 2 条，可生产 40–120 g/m² 湿巾基布和医用敷料基布，月空闲约 {qty} 吨。",
            unit=TM,
            qty=(80, 300, 20),
            prices=P(10000, 16000, 500),
            price_note="元/吨",
            attrs={
                "facility": "line",
                "machine_type": "水刺无纺布生产线",
                "process": "梳理、水刺、烘干",
                "lead_time_days": "{lead}",
            },
            lead=("7", "10"),
        ),
        "sms_order": T(
            ORDER,
            REQUEST,
            "1781",
            "医用 SMS 无纺布 {qty} 吨",
            "采购医用 SMS 无纺布 {qty} 吨，克重 {gsm}，蓝色，用于手术衣生产，{delivery_text}前交货。",
            unit=TONNES,
            qty=(20, 100, 10),
            prices=P(11000, 15000, 500),
            price_note="元/吨",
            attrs={
                "product": "医用 SMS 无纺布",
                "delivery_date": "{delivery}",
                "required_certifications": ["iso9001"],
                "quality_requirements": "符合 YY/T 0506 要求，静水压 ≥30 cmH2O。",
            },
            gsm=("35 g/m²", "45 g/m²", "50 g/m²"),
        ),
        "take_orders": T(
            ORDER,
            OFFER,
            "1781",
            "承接无纺布分切、复合加工订单",
            "可承接无纺布分切、覆膜复合、打孔加工，月产能约 {qty} 吨。",
            unit=TONNES,
            qty=(100, 300, 20),
            attrs={"product": "无纺布制品", "quality_requirements": "按客户标准检验，附出厂报告。"},
        ),
        "tech_meltblown": T(
            TECH,
            OFFER,
            "1781",
            "熔喷布驻极处理工艺",
            "水驻极与电晕驻极复合工艺，熔喷布过滤效率 ≥95%（NaCl），压阻 ≤ 100 Pa，存放 6 个月"
            "衰减小于 3%。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(100000, 400000, 50000),
            price_note="元（许可费）",
            attrs={
                "field": "过滤材料",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "license",
            },
        ),
        "operator_offer": T(
            TALENT,
            OFFER,
            "1781",
            "无纺布机长 {qty} 人 借调 {months} 个月",
            "有 {qty} 名经验丰富的无纺布生产线机长可借调 {months} 个月，熟悉纺粘、熔喷工艺调整。",
            unit=PERSONS,
            qty=(1, 3, 1),
            prices=P(8000, 11000, 500),
            price_note="元/人·月",
            attrs=secondment("纺粘、熔喷生产线操作与工艺调整"),
        ),
        "qc_need": T(
            TALENT,
            REQUEST,
            "1781",
            "招聘质检员 {qty} 人",
            "招聘无纺布质检员 {qty} 名，能操作克重仪、强力机和过滤效率测试仪。",
            unit=PERSONS,
            qty=(1, 3, 1),
            prices=P(4500, 6500, 500),
            price_note="元/月",
            attrs={"skills": "无纺布物理性能检测", "headcount": "{qty}", "mode": "hire"},
        ),
    },
    "electronics": {
        "smt_line": T(
            CAP,
            OFFER,
            "3982",
            "SMT 贴片线 闲置产能",
            "{n} 条 SMT 贴片线（配 SPI、回流焊和 AOI），可贴 01005 元件和 0.4 mm 间距 BGA，"
            "月空闲产能约 {qty_text}件，可承接 PCBA 加工。",
            unit=PM,
            qty=(20000, 100000, 10000),
            prices=P(0.5, 5, 0.1),
            price_note="元/件",
            attrs={
                "facility": "line",
                "machine_type": "高速 SMT 贴片线（SPI + 回流焊 + AOI）",
                "process": "SMT 贴片、回流焊",
                "lead_time_days": "{lead}",
            },
            n=("2", "3"),
            lead=("3", "5", "7"),
        ),
        "cleanroom": T(
            CAP,
            OFFER,
            "3982",
            "万级洁净车间 {qty} 平方米 出租",
            "园区内万级洁净车间 {qty} 平方米，恒温恒湿，配纯水和压缩空气，适合电子组装和光学"
            "器件生产。",
            unit=SQM,
            qty=(500, 2000, 100),
            prices=P(35, 60, 1),
            price_note="元/平方米·月",
            attrs={"facility": "plant", "area_sqm": "{qty}", "rent_yuan_sqm_month": "{price}"},
        ),
        "need_smt": T(
            CAP,
            REQUEST,
            "3982",
            "寻求 SMT 贴片外协产能",
            "工控主板订单增加，需要 SMT 贴片外协，每月约 {qty} 件，含 BGA 和 QFN 器件，周期"
            " {months} 个月，要求有 X-Ray 检测。",
            unit=PM,
            qty=(5000, 30000, 1000),
            prices=P(3, 15, 0.5),
            price_note="元/件",
            attrs={"facility": "line", "machine_type": "SMT 贴片线", "process": "SMT 贴片"},
        ),
        "tech_copper": T(
            TECH,
            OFFER,
            "3982",
            "PCB 含铜蚀刻废液回收技术",
            "酸性、碱性蚀刻液在线再生并回收电解铜，蚀刻液循环使用，铜回收率 ≥98%，已在多家"
            " PCB 企业应用。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={
                "field": "电子废液资源化",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "{mode}",
            },
            mode=("license", "service"),
        ),
        "tech_laminate": T(
            TECH,
            OFFER,
            "3985",
            "高频高速覆铜板树脂配方",
            "低介电损耗树脂体系配方，Df≤0.004（10 GHz），适用于 5G 基站和服务器用高速板，现处于"
            "中试阶段，寻求覆铜板企业合作。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={
                "field": "电子材料",
                "maturity": "pilot",
                "patents": "{patents}",
                "mode": "cooperation",
            },
        ),
        "foil_need": T(
            TECH,
            REQUEST,
            "3985",
            "寻求电解铜箔表面处理工艺合作",
            "计划开发 RTF 反转铜箔，需要表面粗化与防氧化处理工艺，希望与科研院所或同行合作。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={"field": "电子材料", "maturity": "pilot", "mode": "cooperation"},
        ),
        "pcb_order": T(
            ORDER,
            REQUEST,
            "3982",
            "PCB 小批量 {qty} 片（{layers}）",
            "采购 {layers} PCB {qty} 片，板厚 1.6 mm，沉金工艺，{delivery_text}前交货。",
            unit=PCS,
            qty=(500, 5000, 100),
            prices=P(15, 120, 5),
            price_note="元/片",
            attrs={
                "product": "{layers} PCB",
                "delivery_date": "{delivery}",
                "required_certifications": ["iso9001"],
                "quality_requirements": "按 IPC-A-600 二级验收，100% 电测。",
            },
            layers=("4 层", "6 层", "8 层"),
        ),
        "foil_order": T(
            ORDER,
            REQUEST,
            "3985",
            "电解铜箔 {qty} 吨",
            "采购 {thick} 电解铜箔 {qty} 吨，用于覆铜板生产，{delivery_text}前交货。",
            unit=TONNES,
            qty=(20, 100, 10),
            prices=P(75000, 95000, 1000),
            price_note="元/吨",
            attrs={
                "product": "电解铜箔",
                "delivery_date": "{delivery}",
                "required_certifications": ["iso9001", "iso14001"],
                "quality_requirements": "抗拉强度 ≥300 MPa，每卷附检测报告。",
            },
            thick=("12 μm", "18 μm", "35 μm"),
        ),
        "take_orders": T(
            ORDER,
            OFFER,
            "3982",
            "承接 SMT 贴片、DIP 插件订单",
            "可承接 PCBA 一站式加工（元器件代采、SMT、DIP、测试、三防漆），月产能约 {qty_text}件。",
            unit=PCS,
            qty=(50000, 200000, 10000),
            attrs={"product": "PCBA", "quality_requirements": "按 IPC-A-610 二级验收。"},
        ),
        "engineer_offer": T(
            TALENT,
            OFFER,
            "3982",
            "SMT 工艺工程师 1 人 借调 {months} 个月",
            "SMT 工艺工程师 1 名（6 年经验）可借调 {months} 个月，擅长钢网设计、回流曲线优化和"
            "焊接缺陷分析。",
            unit=PERSONS,
            qty=(1, 1, 1),
            prices=P(10000, 15000, 500),
            price_note="元/月",
            attrs=secondment("SMT 工艺、回流焊曲线、焊接缺陷分析"),
        ),
        "hw_need": T(
            TALENT,
            REQUEST,
            "3982",
            "招聘硬件工程师 {qty} 人",
            "招聘硬件工程师 {qty} 名，负责工控板卡原理图和 PCB 设计，熟练使用 Altium Designer。",
            unit=PERSONS,
            qty=(1, 2, 1),
            prices=P(10000, 18000, 500),
            price_note="元/月",
            attrs={
                "skills": "原理图与 PCB 设计，Altium Designer",
                "headcount": "{qty}",
                "mode": "hire",
            },
        ),
    },
    "automation": {
        "lab": T(
            CAP,
            OFFER,
            "3491",
            "机器人集成调试车间 {qty} 平方米 短租",
            "公司调试车间 {qty} 平方米，配 5 吨行车和 380V 动力电，可短期出租给设备厂商做产线"
            "预装调试。",
            unit=SQM,
            qty=(500, 1500, 100),
            prices=P(18, 35, 1),
            price_note="元/平方米·月",
            attrs={"facility": "plant", "area_sqm": "{qty}", "rent_yuan_sqm_month": "{price}"},
        ),
        "laser_weld": T(
            CAP,
            OFFER,
            "3491",
            "激光焊接工作站 闲置机时",
            "6 kW 光纤激光焊接机器人工作站，可承接不锈钢、铝合金薄板焊接打样及小批量加工，每月"
            "空闲约 {qty} 小时。",
            unit=MH,
            qty=(60, 200, 10),
            prices=P(200, 450, 10),
            price_note="元/机时",
            attrs={
                "facility": "equipment",
                "machine_type": "6 kW 激光焊接机器人工作站",
                "process": "激光焊接",
                "lead_time_days": "{lead}",
            },
            lead=("3", "5"),
        ),
        "tech_weldcell": T(
            TECH,
            OFFER,
            "3491",
            "机器人焊接工作站集成技术",
            "提供弧焊、点焊机器人工作站的方案设计、离线编程和现场调试，焊缝跟踪和电弧传感技术"
            "成熟，已交付 200 余套。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(150000, 600000, 50000),
            price_note="元/套",
            attrs={
                "field": "工业机器人应用",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "service",
            },
        ),
        "tech_agv": T(
            TECH,
            OFFER,
            "4011",
            "AGV 柔性物流调度系统",
            "激光 SLAM 导航 AGV 及多车调度系统，可与 MES/WMS 对接，实现车间物料自动配送。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={
                "field": "智能物流",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "{mode}",
            },
            mode=("service", "cooperation"),
        ),
        "vision_need": T(
            TECH,
            REQUEST,
            "3491",
            "寻求 3D 视觉引导机器人无序抓取方案",
            "上料工位需要对料框中无序堆放的铸件进行识别抓取，节拍 8 秒，希望与视觉算法企业合作"
            "开发。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(100000, 300000, 50000),
            price_note="元（项目预算）",
            attrs={"field": "机器视觉", "maturity": "pilot", "mode": "cooperation"},
        ),
        "take_orders": T(
            ORDER,
            OFFER,
            "3491",
            "承接非标自动化设备设计制造订单",
            "可承接装配线、检测设备、上下料机器人工作站等非标自动化设备的设计制造，年交付能力"
            "约 {qty} 套。",
            unit=SETS,
            qty=(30, 120, 10),
            attrs={"product": "非标自动化设备", "quality_requirements": "按合同技术协议验收。"},
        ),
        "fixture_order": T(
            ORDER,
            REQUEST,
            "3491",
            "机器人焊接夹具 {qty} 套",
            "采购机器人焊接夹具 {qty} 套（气动夹紧，带到位检测），{delivery_text}前交付并现场调试。",
            unit=SETS,
            qty=(4, 20, 2),
            prices=P(15000, 60000, 1000),
            price_note="元/套",
            attrs={
                "product": "机器人焊接夹具",
                "delivery_date": "{delivery}",
                "quality_requirements": "定位精度 ±0.1 mm，提供三维图纸和检测报告。",
            },
        ),
        "plc_offer": T(
            TALENT,
            OFFER,
            "3491",
            "电气工程师（PLC）1 人 项目制",
            "电气工程师 1 名（西门子 S7-1500、博途熟练）可以项目制方式支持产线改造，周期"
            " {months} 个月。",
            unit=PERSONS,
            qty=(1, 1, 1),
            prices=P(12000, 20000, 1000),
            price_note="元/月",
            attrs={
                "skills": "西门子 S7-1500、TIA Portal、伺服调试",
                "headcount": "1",
                "duration_months": "{months}",
                "mode": "part_time",
            },
        ),
        "robot_offer": T(
            TALENT,
            OFFER,
            "3491",
            "机器人调试工程师 {qty} 人 借调 {months} 个月",
            "{qty} 名机器人调试工程师（发那科、ABB 认证）项目间歇期可借调 {months} 个月。",
            unit=PERSONS,
            qty=(1, 3, 1),
            prices=P(12000, 18000, 500),
            price_note="元/人·月",
            attrs=secondment("发那科、ABB 机器人编程与调试"),
        ),
        "robot_need": T(
            TALENT,
            REQUEST,
            "3491",
            "招聘机器人应用工程师 {qty} 人",
            "招聘机器人应用工程师 {qty} 名，负责焊接、搬运工作站的编程调试，能适应出差。",
            unit=PERSONS,
            qty=(1, 3, 1),
            prices=P(9000, 16000, 500),
            price_note="元/月",
            attrs={"skills": "工业机器人编程调试", "headcount": "{qty}", "mode": "hire"},
        ),
    },
    "battery": {
        "formation": T(
            CAP,
            OFFER,
            "3841",
            "电池化成分容设备 闲置产能",
            "化成分容柜 {n} 台（5V/60A），可承接方形、软包锂电池化成分容，月空闲产能约"
            " {qty_text}只。",
            unit=PM,
            qty=(50000, 200000, 10000),
            prices=P(0.8, 3, 0.1),
            price_note="元/只",
            attrs={
                "facility": "equipment",
                "machine_type": "化成分容柜 5V/60A",
                "process": "化成、分容",
                "lead_time_days": "{lead}",
            },
            n=("40", "60", "80"),
            lead=("5", "7"),
        ),
        "pack_line": T(
            CAP,
            OFFER,
            "3841",
            "锂电池 PACK 生产线 闲置产能",
            "半自动 PACK 线一条（激光焊接、EOL 测试），可承接储能、两轮车电池包组装，月空闲约"
            " {qty} 套。",
            unit=PM,
            qty=(2000, 10000, 500),
            prices=P(30, 150, 5),
            price_note="元/套（加工费）",
            attrs={
                "facility": "line",
                "machine_type": "半自动锂电池 PACK 线",
                "process": "模组装配、激光焊接、EOL 测试",
                "lead_time_days": "{lead}",
            },
            lead=("7", "10"),
        ),
        "tech_coating": T(
            TECH,
            OFFER,
            "3841",
            "磷酸铁锂正极材料包覆改性技术",
            "碳包覆与离子掺杂协同改性，提升磷酸铁锂低温放电性能（-20 ℃ 容量保持率 ≥80%），"
            "现处于中试阶段，寻求正极材料企业许可或合作。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={
                "field": "电池材料",
                "maturity": "pilot",
                "patents": "{patents}",
                "mode": "{mode}",
            },
            mode=("license", "cooperation"),
        ),
        "module_order": T(
            ORDER,
            REQUEST,
            "3841",
            "储能电池模组结构件 {qty} 套",
            "采购储能电池模组结构件（端板、侧板、汇流排）{qty} 套，{delivery_text}前交货。",
            unit=SETS,
            qty=(2000, 10000, 500),
            prices=P(60, 220, 5),
            price_note="元/套",
            attrs={
                "product": "储能电池模组结构件",
                "delivery_date": "{delivery}",
                "required_certifications": ["iso9001"],
                "quality_requirements": "铝合金端板平面度 ≤0.2 mm，汇流排镀镍层厚 ≥3 μm。",
            },
        ),
        "take_orders": T(
            ORDER,
            OFFER,
            "3841",
            "承接锂电池 PACK 组装订单",
            "可承接储能柜、通信备电、电动两轮车电池 PACK 组装，含 BMS 匹配和老化测试，月产能约"
            " {qty} 套。",
            unit=SETS,
            qty=(3000, 15000, 1000),
            attrs={"product": "锂电池 PACK", "quality_requirements": "按 GB/T 36276 测试。"},
        ),
        "engineer_offer": T(
            TALENT,
            OFFER,
            "3841",
            "电池工艺工程师 {qty} 人 借调 {months} 个月",
            "{qty} 名电芯工艺工程师可借调 {months} 个月，熟悉涂布、卷绕和化成工艺。",
            unit=PERSONS,
            qty=(1, 2, 1),
            prices=P(11000, 16000, 500),
            price_note="元/人·月",
            attrs=secondment("涂布、卷绕、化成工艺"),
        ),
        "equipment_need": T(
            TALENT,
            REQUEST,
            "3841",
            "招聘锂电设备工程师 {qty} 人",
            "招聘锂电设备工程师 {qty} 名，负责涂布机、卷绕机的维护和改善。",
            unit=PERSONS,
            qty=(2, 4, 1),
            prices=P(8000, 13000, 500),
            price_note="元/月",
            attrs={"skills": "锂电设备维护、PLC", "headcount": "{qty}", "mode": "hire"},
        ),
    },
    "software": {
        "tech_vision": T(
            TECH,
            OFFER,
            "6513",
            "工业视觉检测算法（表面缺陷识别）",
            "基于深度学习的表面缺陷检测算法，适用于注塑件、压铸件、冲压件和纺织面料，小样本"
            "训练，检出率 ≥99.5%、误报率 ≤1%。提供软件授权、光学方案和现场部署。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(100000, 500000, 50000),
            price_note="元/套",
            attrs={
                "field": "机器视觉",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "{mode}",
            },
            mode=("license", "service"),
        ),
        "tech_mes": T(
            TECH,
            OFFER,
            "6513",
            "MES 生产执行系统（离散制造）",
            "面向机加工、冲焊和装配车间的 MES，包含工单、报工、质量追溯、设备 OEE 和看板，"
            "支持与用友、金蝶 ERP 对接，已服务 60 余家制造企业。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(200000, 800000, 50000),
            price_note="元/套",
            attrs={
                "field": "工业软件",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "license",
            },
        ),
        "tech_energy": T(
            TECH,
            OFFER,
            "6531",
            "设备联网与能耗监测平台",
            "通过边缘网关采集 PLC、电表和传感器数据，实现设备联网、能耗分项计量和碳排放核算，"
            "可 SaaS 订阅或本地部署。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(50000, 300000, 10000),
            price_note="元/年",
            attrs={
                "field": "工业互联网",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "service",
            },
        ),
        "tech_aps": T(
            TECH,
            OFFER,
            "6513",
            "基于约束优化的 APS 排产算法",
            "面向多品种小批量离散制造的高级排产算法，考虑设备、模具、人员和物料约束，排产时间"
            "由小时级缩短到分钟级。寻求制造企业做试点合作。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={"field": "工业软件", "maturity": "pilot", "mode": "cooperation"},
        ),
        "gateway_need": T(
            TECH,
            REQUEST,
            "6531",
            "寻求工业数据采集网关硬件合作伙伴",
            "公司平台需适配更多品牌 PLC 和数控系统，寻求工业网关硬件厂商合作，共同开发协议驱动。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={"field": "工业互联网", "maturity": "industrial", "mode": "cooperation"},
        ),
        "take_orders": T(
            ORDER,
            OFFER,
            "6513",
            "承接工业软件定制开发项目",
            "可承接工厂数字化系统的定制开发（数据采集、质量追溯、看板、移动端），年交付约"
            " {qty} 个项目。",
            unit=SETS,
            qty=(10, 40, 5),
            attrs={"product": "工业软件定制开发", "quality_requirements": "按需求规格说明书验收。"},
        ),
        "consultant_offer": T(
            TALENT,
            OFFER,
            "6513",
            "工业软件实施顾问 {qty} 人 项目制",
            "{qty} 名 MES/ERP 实施顾问可以项目制方式支持企业数字化改造，周期 {months} 个月。",
            unit=PERSONS,
            qty=(1, 3, 1),
            prices=P(15000, 25000, 1000),
            price_note="元/人·月",
            attrs={
                "skills": "MES/ERP 实施、业务流程梳理",
                "headcount": "{qty}",
                "duration_months": "{months}",
                "mode": "part_time",
            },
        ),
        "algo_offer": T(
            TALENT,
            OFFER,
            "6513",
            "视觉算法工程师 1 人 借调 {months} 个月",
            "视觉算法工程师 1 名（熟悉 PyTorch、OpenCV，做过 10 余个工业检测项目）可借调"
            " {months} 个月，协助企业落地视觉检测。",
            unit=PERSONS,
            qty=(1, 1, 1),
            prices=P(18000, 28000, 1000),
            price_note="元/月",
            attrs=secondment("深度学习视觉检测、PyTorch、OpenCV"),
        ),
        "dev_need": T(
            TALENT,
            REQUEST,
            "6513",
            "招聘 C++/Python 开发工程师 {qty} 人",
            "招聘开发工程师 {qty} 名，参与工业软件研发，熟悉 C++ 或 Python，有工控协议开发经验"
            "者优先。",
            unit=PERSONS,
            qty=(2, 4, 1),
            prices=P(12000, 22000, 1000),
            price_note="元/月",
            attrs={"skills": "C++/Python，工业通信协议", "headcount": "{qty}", "mode": "hire"},
        ),
    },
    "pharma": {
        "solid_line": T(
            CAP,
            OFFER,
            "2720",
            "GMP 固体制剂车间 闲置产能",
            "符合 GMP 要求的固体制剂车间（压片、包衣、胶囊填充、铝塑包装），月空闲产能约"
            " {qty_text}片/粒，可承接 MAH 持有人委托生产。",
            unit=PM,
            qty=(2000000, 10000000, 1000000),
            prices=NEGOTIABLE,
            attrs={
                "facility": "line",
                "machine_type": "高速压片机、高效包衣机、全自动胶囊填充机",
                "process": "压片、包衣、胶囊填充",
                "lead_time_days": "{lead}",
            },
            lead=("30", "45", "60"),
        ),
        "extraction": T(
            CAP,
            OFFER,
            "2740",
            "中药提取罐 闲置产能",
            "6 m³ 多功能提取罐 {n} 台及双效浓缩器，可承接中药材提取浓缩，月空闲约 {qty} 吨"
            "（投料量）。",
            unit=TM,
            qty=(30, 120, 10),
            prices=P(1500, 3500, 100),
            price_note="元/吨（投料）",
            attrs={
                "facility": "equipment",
                "machine_type": "6 m³ 多功能提取罐",
                "process": "提取、浓缩",
                "lead_time_days": "{lead}",
            },
            n=("3", "4", "6"),
            lead=("15", "20"),
        ),
        "tech_granule": T(
            TECH,
            OFFER,
            "2740",
            "中药配方颗粒提取工艺",
            "涵盖 60 余个品种的配方颗粒提取、浓缩、干法制粒工艺，标准汤剂比对数据完整。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={
                "field": "中药制剂",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "{mode}",
            },
            mode=("transfer", "license"),
        ),
        "herb_order": T(
            ORDER,
            REQUEST,
            "2740",
            "中药材 {herb} {qty} 吨",
            "采购{herb} {qty} 吨，产地湖北，{delivery_text}前交货，需提供检验报告。",
            unit=TONNES,
            qty=(5, 30, 1),
            prices=P(20000, 80000, 1000),
            price_note="元/吨",
            attrs={
                "product": "{herb}",
                "delivery_date": "{delivery}",
                "quality_requirements": "符合《中国药典》2020 年版标准。",
            },
            herb=("蕲艾", "茯苓", "半夏"),
        ),
        "take_orders": T(
            ORDER,
            OFFER,
            "2720",
            "承接片剂、胶囊委托生产",
            "持有药品生产许可证，可为 MAH 持有人承接片剂、硬胶囊委托生产，月产能约 {qty_text}片/粒。",
            unit=PCS,
            qty=(5000000, 20000000, 1000000),
            attrs={
                "product": "片剂、硬胶囊",
                "quality_requirements": "按 GMP 及委托方质量协议执行。",
            },
        ),
        "qa_offer": T(
            TALENT,
            OFFER,
            "2720",
            "QA 专员 1 人 借调 {months} 个月",
            "QA 专员 1 名（熟悉 GMP 文件体系和偏差、变更管理）可借调 {months} 个月，协助迎接"
            "药品监管检查。",
            unit=PERSONS,
            qty=(1, 1, 1),
            prices=P(8000, 12000, 500),
            price_note="元/月",
            attrs=secondment("GMP 文件体系、偏差与变更管理"),
        ),
        "validation_need": T(
            TALENT,
            REQUEST,
            "2720",
            "招聘 GMP 验证工程师 {qty} 人",
            "招聘验证工程师 {qty} 名，负责设备、工艺和清洁验证。",
            unit=PERSONS,
            qty=(1, 2, 1),
            prices=P(8000, 13000, 500),
            price_note="元/月",
            attrs={"skills": "设备、工艺、清洁验证", "headcount": "{qty}", "mode": "hire"},
        ),
    },
    "food": {
        "cold_store": T(
            CAP,
            OFFER,
            "1372",
            "冷库 {qty} 平方米 闲置库容",
            "园区内 -18 ℃ 冷库 {qty} 平方米，配月台和叉车，可租给食品、农产品企业存储。",
            unit=SQM,
            qty=(300, 1500, 100),
            prices=P(40, 80, 5),
            price_note="元/平方米·月",
            attrs={"facility": "plant", "area_sqm": "{qty}", "rent_yuan_sqm_month": "{price}"},
        ),
        "dryer": T(
            CAP,
            OFFER,
            "1372",
            "食用菌烘干线 闲置产能",
            "热泵烘干线 2 条，可承接香菇、木耳等食用菌烘干，月空闲产能约 {qty} 吨（鲜品）。",
            unit=TM,
            qty=(50, 200, 10),
            prices=P(600, 1200, 50),
            price_note="元/吨",
            attrs={
                "facility": "line",
                "machine_type": "热泵烘干线",
                "process": "热泵烘干",
                "lead_time_days": "{lead}",
            },
            lead=("2", "3", "5"),
        ),
        "tech_dry": T(
            TECH,
            OFFER,
            "1372",
            "食用菌低温真空干燥技术",
            "低温真空脉动干燥工艺，干品复水率提高 20%、色泽和香味保持好，能耗较热风干燥降低 30%。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(50000, 150000, 10000),
            price_note="元（技术服务费）",
            attrs={
                "field": "食品加工",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "service",
            },
        ),
        "mushroom_order": T(
            ORDER,
            REQUEST,
            "1372",
            "香菇干品 {qty} 吨",
            "出口订单采购花菇、厚菇干品 {qty} 吨，{delivery_text}前交货，需提供农残检测报告。",
            unit=TONNES,
            qty=(10, 60, 5),
            prices=P(40000, 90000, 1000),
            price_note="元/吨",
            attrs={
                "product": "香菇干品",
                "delivery_date": "{delivery}",
                "quality_requirements": "含水率 ≤13%，农残符合出口国标准。",
            },
        ),
        "take_orders": T(
            ORDER,
            OFFER,
            "1371",
            "承接蔬菜脱水加工订单",
            "可承接辣椒、胡萝卜、葱等蔬菜的清洗、切制和脱水加工，月产能约 {qty} 吨（成品）。",
            unit=TONNES,
            qty=(20, 80, 5),
            attrs={"product": "脱水蔬菜", "quality_requirements": "按 GB 2760、GB 2762 执行。"},
        ),
        "qc_need": T(
            TALENT,
            REQUEST,
            "1372",
            "招聘食品质检员 {qty} 人",
            "招聘食品质检员 {qty} 名，食品相关专业，能做理化和微生物检测。",
            unit=PERSONS,
            qty=(1, 2, 1),
            prices=P(4500, 6500, 500),
            price_note="元/月",
            attrs={"skills": "食品理化、微生物检测", "headcount": "{qty}", "mode": "hire"},
        ),
    },
    "vehicles": {
        "assembly": T(
            CAP,
            OFFER,
            "3630",
            "专用车总装线 闲置产能",
            "专用车总装线一条，可承接环卫车、冷藏车、随车吊等上装与底盘的总装调试，月空闲产能约"
            " {qty} 台。",
            unit=UNITS,
            qty=(30, 120, 10),
            prices=NEGOTIABLE,
            attrs={
                "facility": "line",
                "machine_type": "专用车总装调试线",
                "process": "上装总装、调试",
                "lead_time_days": "{lead}",
            },
            lead=("15", "20", "30"),
        ),
        "paint_booth": T(
            CAP,
            OFFER,
            "3630",
            "大型喷烤漆房 闲置机时",
            "18 米大型喷烤漆房 2 间，可承接罐体、厢体和工程机械覆盖件喷涂，每月空闲约 {qty} 小时。",
            unit=MH,
            qty=(100, 300, 20),
            prices=P(300, 600, 20),
            price_note="元/机时",
            attrs={
                "facility": "equipment",
                "machine_type": "18 米大型喷烤漆房",
                "process": "喷漆、烤漆",
                "lead_time_days": "{lead}",
            },
            lead=("3", "5", "7"),
        ),
        "tech_hydraulic": T(
            TECH,
            OFFER,
            "3630",
            "环卫车上装液压系统设计",
            "压缩式垃圾车和车厢可卸式垃圾车的上装液压系统设计，负载敏感控制，能耗降低 15%。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=NEGOTIABLE,
            attrs={
                "field": "专用车液压",
                "maturity": "industrial",
                "patents": "{patents}",
                "mode": "service",
            },
        ),
        "tank_order": T(
            ORDER,
            REQUEST,
            "3630",
            "罐体焊接外协 {qty} 套",
            "洒水车、吸污车罐体焊接外协 {qty} 套，材料 Q235B，{delivery_text}前交货。",
            unit=SETS,
            qty=(20, 80, 5),
            prices=P(8000, 20000, 500),
            price_note="元/套",
            attrs={
                "product": "专用车罐体",
                "delivery_date": "{delivery}",
                "required_certifications": ["iso9001"],
                "quality_requirements": "焊缝煤油渗漏试验合格，按图纸检验。",
            },
        ),
        "take_orders": T(
            ORDER,
            OFFER,
            "3630",
            "承接专用车改装订单",
            "具备专用车生产资质，可承接环卫车、冷藏车、随车吊等改装订单，年产能约 {qty} 台套。",
            unit=SETS,
            qty=(200, 800, 50),
            attrs={"product": "专用车改装", "quality_requirements": "按公告参数和 3C 要求生产。"},
        ),
        "electrician_offer": T(
            TALENT,
            OFFER,
            "3630",
            "汽车电工 {qty} 人 共享用工 {months} 个月",
            "有 {qty} 名汽车电工可共享用工 {months} 个月，熟悉上装电气和底盘线束。",
            unit=PERSONS,
            qty=(2, 4, 1),
            prices=P(6500, 9000, 500),
            price_note="元/人·月",
            attrs=secondment("上装电气、底盘线束"),
        ),
        "welder_need": T(
            TALENT,
            REQUEST,
            "3630",
            "招聘罐体焊工 {qty} 人",
            "招聘罐体焊工 {qty} 名，熟练 CO2 保护焊和氩弧焊，持证上岗。",
            unit=PERSONS,
            qty=(3, 8, 1),
            prices=P(8000, 12000, 500),
            price_note="元/月",
            attrs={"skills": "CO2 保护焊、氩弧焊", "headcount": "{qty}", "mode": "hire"},
        ),
    },
    "testing": {
        "env_test": T(
            CAP,
            OFFER,
            "7452",
            "盐雾、高低温试验箱 对外开放",
            "中性盐雾试验箱 4 台、高低温湿热试验箱 6 台，可承接零部件环境可靠性试验，出具检测"
            "报告，每月空闲约 {qty} 小时。",
            unit=MH,
            qty=(500, 2000, 100),
            prices=P(10, 30, 1),
            price_note="元/箱时",
            attrs={
                "facility": "equipment",
                "machine_type": "盐雾试验箱、高低温湿热试验箱",
                "process": "环境可靠性试验",
                "lead_time_days": "{lead}",
            },
            lead=("2", "3", "5"),
        ),
        "spectro": T(
            CAP,
            OFFER,
            "7452",
            "直读光谱仪、金相显微镜 对外检测",
            "直读光谱仪和金相分析室对外开放，可做钢铁、铝合金材料成分和金相组织检测，每月约"
            " {qty} 小时。",
            unit=MH,
            qty=(50, 200, 10),
            prices=P(150, 400, 10),
            price_note="元/小时",
            attrs={
                "facility": "equipment",
                "machine_type": "直读光谱仪、金相显微镜",
                "process": "成分与金相分析",
                "lead_time_days": "{lead}",
            },
            lead=("1", "2", "3"),
        ),
        "tech_failure": T(
            TECH,
            OFFER,
            "7452",
            "机械零部件失效分析服务",
            "CNAS 认可实验室，可提供断口分析、金相分析、化学成分和力学性能测试，出具失效分析"
            "报告并给出改进建议。",
            unit=ITEMS,
            qty=(1, 1, 1),
            prices=P(3000, 20000, 1000),
            price_note="元/项",
            attrs={"field": "失效分析", "maturity": "industrial", "mode": "service"},
        ),
        "metrology_offer": T(
            TALENT,
            OFFER,
            "7452",
            "计量检测工程师 1 人 兼职服务",
            "计量检测工程师 1 名可兼职为企业提供量检具内校体系建设和 MSA 分析，周期 {months} 个月。",
            unit=PERSONS,
            qty=(1, 1, 1),
            prices=P(5000, 9000, 500),
            price_note="元/月",
            attrs={
                "skills": "量检具校准、MSA",
                "headcount": "1",
                "duration_months": "{months}",
                "mode": "part_time",
            },
        ),
        "tester_need": T(
            TALENT,
            REQUEST,
            "7452",
            "招聘检测员 {qty} 人",
            "招聘理化检测员 {qty} 名，材料或化学专业，能操作光谱仪和拉力机。",
            unit=PERSONS,
            qty=(1, 3, 1),
            prices=P(5000, 7500, 500),
            price_note="元/月",
            attrs={"skills": "光谱分析、力学性能测试", "headcount": "{qty}", "mode": "hire"},
        ),
    },
    # Any firm may post these, under its own main industry.
    "generic": {
        "plant_offer": T(
            CAP,
            OFFER,
            None,
            "标准厂房 {qty} 平方米 出租",
            "位于{site}的单层钢结构标准厂房，面积 {qty} 平方米，檐高 {height} 米，配 {crane}行车，"
            "动力电 {power} kVA，可分割出租。周边配套齐全，交通便利，{from_text}起可入驻。",
            unit=SQM,
            qty=(1000, 6000, 500),
            prices=P(10, 26, 1),
            price_note="元/平方米·月",
            attrs={"facility": "plant", "area_sqm": "{qty}", "rent_yuan_sqm_month": "{price}"},
            height=("8", "9", "10", "12"),
            crane=("10 吨", "16 吨", "20 吨"),
            power=("400", "630", "800"),
        ),
        "plant_need": T(
            CAP,
            REQUEST,
            None,
            "求租标准厂房 {qty} 平方米",
            "因扩大生产，需在{place}及周边租用单层标准厂房约 {qty} 平方米，要求檐高 8 米以上、"
            "配 10 吨行车、动力电不少于 400 kVA，租期 3 年以上，{from_text}前可入驻为佳。",
            unit=SQM,
            qty=(1500, 4000, 500),
            prices=P(10, 22, 1),
            price_note="元/平方米·月",
            attrs={"facility": "plant", "area_sqm": "{qty}"},
        ),
        "land_offer": T(
            CAP,
            OFFER,
            None,
            "工业用地 {qty} 亩 合作开发",
            "公司在{site}有已平整的工业用地 {qty} 亩，“五通一平”已完成，可与意向企业合作建设"
            "厂房或协议转让。",
            unit=MU,
            qty=(10, 40, 5),
            attrs={"facility": "land", "area_sqm": "{mu_area}"},
        ),
        "electrician_offer": T(
            TALENT,
            OFFER,
            None,
            "设备维修电工 {qty} 人 共享用工 {months} 个月",
            "有 {qty} 名设备维修电工可共享用工 {months} 个月，持低压电工作业证，熟悉 PLC 控制"
            "线路和变频器维修。劳动合同和社保关系不变，本人已同意。",
            unit=PERSONS,
            qty=(1, 3, 1),
            prices=P(6000, 9000, 500),
            price_note="元/人·月",
            attrs=secondment("设备电气维修，持低压电工作业证"),
        ),
        "warehouse_need": T(
            TALENT,
            REQUEST,
            None,
            "招聘叉车工、仓管员 {qty} 人",
            "招聘叉车工和仓管员共 {qty} 名，持叉车证，熟悉 ERP 出入库操作者优先。",
            unit=PERSONS,
            qty=(2, 5, 1),
            prices=P(4500, 6500, 500),
            price_note="元/月",
            attrs={"skills": "叉车驾驶、仓储管理", "headcount": "{qty}", "mode": "hire"},
        ),
    },
}

# --- Firms --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sector:
    code: str  # a firm's main industry (class level)
    words: tuple[str, ...]  # the industry word of its name
    about: str  # its profile, a template over {place}


SECTORS: dict[str, Sector] = {
    "machining": Sector(
        "3484",
        ("精密机械", "精工机械", "机械制造"),
        "{place}的精密零部件加工企业，拥有立式加工中心、五轴加工中心和数控车床等设备 60 余台，"
        "主要为工程机械、汽车和仪器仪表行业配套。",
    ),
    "auto": Sector(
        "3670",
        ("汽车零部件", "汽车部件", "汽配"),
        "汽车零部件二级供应商，主要产品为冲压件、焊接总成和底盘结构件，为{place}及周边主机厂配套。",
    ),
    "plastics": Sector(
        "2929",
        ("塑胶", "模塑", "塑业"),
        "注塑件与注塑模具企业，注塑机 40 余台，产品用于家电、汽车和电子行业。",
    ),
    "metal": Sector(
        "3311",
        ("钢结构", "金属制品", "钣金"),
        "钢结构与钣金加工企业，激光切割、折弯、焊接、喷塑一体化，服务{place}的装备制造企业。",
    ),
    "heat": Sector(
        "3360",
        ("热处理", "表面技术", "金属表面处理"),
        "专业热处理与表面处理企业，拥有渗碳、真空热处理和喷涂、电泳生产线。",
    ),
    "casting": Sector(
        "3392",
        ("铸造", "压铸", "精密铸造"),
        "铝合金压铸与铸铁件企业，产品用于汽车、电机和工程机械。",
    ),
    "chemical": Sector(
        "2661",
        ("化工", "精细化工", "化学"),
        "精细化工企业，主营医药、农药中间体和化学助剂，具备安全生产许可和完善的环保设施。",
    ),
    "textile": Sector(
        "1819",
        ("纺织", "服饰", "制衣"),
        "服装与面料企业，拥有缝制流水线和印染后整理能力，承接国内外品牌代工。",
    ),
    "nonwoven": Sector(
        "1781",
        ("无纺布", "非织造材料", "卫材"),
        "无纺布生产企业，产品包括纺粘、熔喷、水刺无纺布，用于医疗和卫生用品。",
    ),
    "electronics": Sector(
        "3982",
        ("电子", "电子科技", "电路"),
        "电子电路企业，提供 PCB 和 PCBA 加工，客户涵盖工控、通信和汽车电子。",
    ),
    "automation": Sector(
        "3491",
        ("智能装备", "自动化", "机器人"),
        "工业机器人系统集成商，为汽车、工程机械企业提供焊接、搬运和装配自动化产线。",
    ),
    "battery": Sector(
        "3841",
        ("新能源", "储能科技", "电池"),
        "锂电池及储能系统企业，拥有电芯化成分容和 PACK 生产线。",
    ),
    "software": Sector(
        "6513",
        ("信息技术", "智能科技", "软件"),
        "工业软件企业，提供 MES、机器视觉和工业互联网解决方案。",
    ),
    "pharma": Sector(
        "2720",
        ("药业", "制药", "生物医药"),
        "医药制造企业，拥有 GMP 固体制剂车间和中药提取车间。",
    ),
    "food": Sector(
        "1372",
        ("食品", "农业科技", "食品科技"),
        "农产品加工企业，主营食用菌和脱水蔬菜，产品出口日韩和东南亚。",
    ),
    "vehicles": Sector(
        "3630",
        ("专用汽车", "专用车", "汽车改装"),
        "专用车生产企业，产品有环卫车、冷藏车和随车吊。",
    ),
    "testing": Sector(
        "7452",
        ("检测技术", "检测", "质量检测"),
        "第三方检测机构，CNAS 认可实验室，提供材料、环境可靠性和计量检测服务。",
    ),
}

NAME_WORDS = (
    "华力",
    "恒通",
    "鑫达",
    "楚天",
    "长江",
    "金诚",
    "瑞丰",
    "博远",
    "中驰",
    "新锐",
    "精诚",
    "宏图",
    "东盛",
    "凯达",
    "天润",
    "正和",
    "永信",
    "同创",
    "昌隆",
    "荆楚",
    "云帆",
    "德润",
    "信达",
    "嘉禾",
    "远航",
    "联创",
    "启航",
    "晟达",
    "汇丰源",
    "卓远",
    "明泰",
    "亿鑫",
    "科瑞",
    "华茂",
    "弘毅",
    "众诚",
)
NAME_SUFFIXES = ("有限公司", "有限公司", "有限公司", "科技有限公司", "股份有限公司")
SURNAMES = "张王李刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯董程曹袁邓许彭吕苏蒋蔡余杜熊"
GIVEN = (
    "伟",
    "芳",
    "敏",
    "静",
    "磊",
    "军",
    "勇",
    "杰",
    "涛",
    "明",
    "超",
    "平",
    "刚",
    "建华",
    "志强",
    "海燕",
    "晓东",
    "文博",
    "思远",
    "国庆",
    "红梅",
    "小兵",
    "春生",
    "立新",
    "丽华",
)
POSITIONS = ("总经理", "销售经理", "生产经理", "技术总监", "办公室主任", "市场部经理")
AREA_CODES = {
    "4201": "027",
    "4202": "0714",
    "4203": "0719",
    "4205": "0717",
    "4206": "0710",
    "4207": "0711",
    "4208": "0724",
    "4209": "0712",
    "4210": "0716",
    "4211": "0713",
    "4212": "0715",
    "4213": "0722",
    "4228": "0718",
    "4290": "0728",
}


@dataclass(frozen=True)
class FirmSpec:
    nn: int
    sector: str
    place: str  # for the name: a city or a well-known area
    region: str
    park: str | None
    status: str = "verified"
    certs: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()


FIRMS = [
    FirmSpec(1, "machining", "光谷", "420100", "武汉东湖高新区", certs=("iso9001",)),
    FirmSpec(2, "machining", "襄阳", "420600", "襄阳高新区", certs=("iso9001",)),
    FirmSpec(
        3,
        "machining",
        "咸宁",
        "421200",
        "咸宁高新区",
        certs=("iso9001",),
        clusters=("机电产业集群",),
    ),
    FirmSpec(
        4,
        "auto",
        "沌口",
        "420100",
        "武汉经济技术开发区",
        certs=("iatf16949", "iso9001"),
        clusters=("武汉智能网联汽车(千亿级集群培育方向)",),
    ),
    FirmSpec(
        5,
        "auto",
        "蔡甸",
        "420114",
        "蔡甸经济开发区",
        certs=("iatf16949",),
        clusters=("蔡甸区汽车零部件产业集群",),
    ),
    FirmSpec(6, "auto", "孝感", "420900", "孝感高新区", certs=("iatf16949", "iso14001")),
    FirmSpec(
        7,
        "auto",
        "十堰",
        "420302",
        None,
        certs=("iatf16949",),
        clusters=("十堰汽车配件(300亿级集群培育方向)",),
    ),
    FirmSpec(
        8,
        "auto",
        "襄阳",
        "420600",
        "襄阳高新区",
        certs=("iatf16949", "iso14001"),
        clusters=("襄阳市汽车及零部件产业集群",),
    ),
    FirmSpec(9, "plastics", "孝感", "420900", "孝感高新区", certs=("iso9001",)),
    FirmSpec(10, "plastics", "光谷", "420100", "武汉东湖高新区", certs=("iso9001",)),
    FirmSpec(
        11,
        "metal",
        "江夏",
        "420115",
        "江夏经济开发区",
        certs=("iso9001",),
        clusters=("江夏区高端装备制造产业集群",),
    ),
    FirmSpec(12, "heat", "襄阳", "420600", "襄阳高新区", certs=("iso9001", "iso14001")),
    FirmSpec(
        13,
        "casting",
        "大冶",
        "420281",
        "黄石大冶湖高新区",
        certs=("iso9001",),
        clusters=("大冶市智能装备制造产业集群",),
    ),
    FirmSpec(14, "casting", "宜昌", "420500", "宜昌高新区", certs=("iatf16949",)),
    FirmSpec(
        15,
        "chemical",
        "猇亭",
        "420505",
        "猇亭区化工园区",
        certs=("iso9001", "iso14001"),
        clusters=("宜昌市磷化工产业集群",),
    ),
    FirmSpec(16, "chemical", "潜江", "429005", "潜江高新区", certs=("iso14001",)),
    FirmSpec(
        17,
        "chemical",
        "应城",
        "420981",
        "湖北应城化工产业园区(含东城工业园、赛孚工业园、盐化工业园)",
        certs=("iso9001",),
        clusters=("应城市现代化工(井矿盐化工)产业集群",),
    ),
    FirmSpec(18, "chemical", "宜昌", "420500", "宜昌高新区", certs=("iso9001", "iso14001")),
    FirmSpec(
        19,
        "textile",
        "汉川",
        "420984",
        "湖北汉川经济开发区",
        clusters=("汉川市纺织服装产业集群",),
    ),
    FirmSpec(
        20,
        "textile",
        "沙市",
        "421002",
        "荆州高新区",
        certs=("iso9001",),
        clusters=("荆州市沙市区针纺织服装产业集群",),
    ),
    FirmSpec(
        21,
        "nonwoven",
        "仙桃",
        "429004",
        "仙桃高新区",
        certs=("iso9001",),
        clusters=("仙桃市非织造布产业集群",),
    ),
    FirmSpec(
        22,
        "textile",
        "天门",
        "429006",
        None,
        status="pending",
        clusters=("天门服装电商(百亿级集群培育方向)",),
    ),
    FirmSpec(
        23,
        "electronics",
        "安陆",
        "420982",
        "湖北安陆经济开发区",
        certs=("iso9001", "iso14001"),
        clusters=("安陆市铜箔及印制电路制造产业集群",),
    ),
    FirmSpec(24, "electronics", "光谷", "420100", "武汉东湖高新区", certs=("iso9001",)),
    FirmSpec(25, "automation", "武汉", "420100", "武汉东湖高新区", certs=("iso9001",)),
    FirmSpec(
        26,
        "battery",
        "荆门",
        "420800",
        "荆门高新区",
        certs=("iso9001", "iso14001"),
        clusters=("荆门动力电池(500亿级集群培育方向)",),
    ),
    FirmSpec(27, "software", "光谷", "420100", "武汉东湖高新区"),
    FirmSpec(
        28,
        "pharma",
        "黄冈",
        "421100",
        "黄冈高新区",
        certs=("iso9001",),
        clusters=("黄冈大健康(300亿级集群培育方向)",),
    ),
    FirmSpec(29, "food", "随州", "421303", "随州高新区"),
    FirmSpec(
        30,
        "vehicles",
        "随州",
        "421300",
        "随州高新区",
        certs=("iso9001",),
        clusters=("随州专用车(500亿级集群培育方向)",),
    ),
    FirmSpec(31, "testing", "襄阳", "420600", "襄阳高新区", certs=("iso9001",)),
    FirmSpec(32, "plastics", "鄂州", "420704", None, status="pending"),
    FirmSpec(33, "machining", "孝感", "420900", "孝感高新区", status="pending"),
]

# Firms without a workshop: they post no plant, land or shop-floor staff.
OFFICE_SECTORS = {"software", "testing"}

# The six firms of portal.demo, by their key, post listings too: (sector, place, site).
EXISTING_FIRMS = {
    "a": ("machining", "武汉", "武汉东湖高新区"),
    "b": ("auto", "襄阳", "襄阳高新区"),
    "c": ("plastics", "武汉", "武汉东湖高新区"),
    "d": ("automation", "江夏", "江夏区"),
    "e": ("chemical", "宜昌", "宜昌高新区"),
    "f": ("textile", "孝感", "孝感高新区"),
}

# Listings that must exist, published, so that later matching work finds pairs: an offer
# and a request of the same kind, in the same industry group and near each other (plus
# cross-kind pairs such as idle machine time for an order of machined parts).
# (firm key, sector, template, fixed option values)
ANCHORS: list[tuple[str, str, str, dict]] = [
    ("a", "machining", "cnc_vmc", {"model": "VMC850", "qty": 400}),
    ("a", "machining", "five_axis", {"model": "DMU 65 monoBLOCK"}),
    ("01", "machining", "need_hours", {"m": 0, "qty": 300}),
    ("b", "machining", "parts_order", {"p": 2, "qty": 3000}),
    ("02", "machining", "take_orders", {}),
    ("a", "machining", "programmer_offer", {"qty": 2, "months": 3}),
    ("01", "machining", "programmer_need", {"qty": 2, "months": 3}),
    ("09", "plastics", "press_idle", {"tonnage": "280T", "qty": 4}),
    ("06", "plastics", "need_press", {"tonnage": "280T"}),
    ("04", "plastics", "housing_order", {"qty": 20000}),
    ("09", "plastics", "take_orders", {}),
    ("27", "software", "tech_vision", {}),
    ("09", "plastics", "vision_need", {}),
    ("e", "chemical", "tech_zld", {}),
    ("16", "chemical", "zld_need", {}),
    ("e", "chemical", "reactor_idle", {"vol": "5000L"}),
    ("15", "chemical", "intermediate_order", {"qty": 20}),
    ("18", "chemical", "need_reactor", {}),
    ("f", "textile", "sewers_offer", {"qty": 20}),
    ("19", "textile", "sewers_need", {"qty": 30}),
    ("08", "auto", "stamping_order", {"qty": 50000}),
    ("b", "auto", "take_orders", {}),
    ("b", "auto", "press_line", {"tonnage": "630T"}),
    ("06", "generic", "plant_offer", {"qty": 3000}),
    ("05", "generic", "plant_need", {"qty": 2500}),
    ("12", "heat", "carburize", {}),
    ("08", "heat", "ht_order", {}),
    ("24", "electronics", "smt_line", {}),
    ("25", "electronics", "need_smt", {}),
    ("21", "nonwoven", "sms_line", {}),
    ("28", "nonwoven", "sms_order", {}),
]

# --- Moderation outcomes ------------------------------------------------------------------

# (reason, supervisor's note, sentence the listing had that earned it, kinds it fits or None)
CHANGES_REQUESTED = [
    (
        ModerationReason.INCOMPLETE,
        "请补充具体的设备型号、加工精度和可承接的材料范围，便于企业判断是否匹配。",
        "",
        (CAP,),
    ),
    (
        ModerationReason.INCOMPLETE,
        "请写明数量、交货期和验收标准，目前描述过于笼统。",
        "",
        (ORDER,),
    ),
    (
        ModerationReason.CONTACT_IN_TEXT,
        "正文中留有联系方式，请删除；对接请通过平台的“对接意向”功能进行。",
        "有意者请直接致电 139 0000 0000（微信同号）。",
        None,
    ),
    (
        ModerationReason.MISLEADING,
        "“全省最低”“行业第一”等表述无法核实，请修改为可核实的描述。",
        "价格全省最低，服务行业第一！",
        None,
    ),
    (
        ModerationReason.INCOMPLETE,
        "请说明技术的应用案例和知识产权状态（专利号或是否已授权）。",
        "",
        (TECH,),
    ),
    (
        ModerationReason.OTHER,
        "共享用工信息请写明工作地点、岗位内容和期限。",
        "",
        (TALENT,),
    ),
    (
        ModerationReason.WRONG_CATEGORY,
        "该信息实为订单外协需求，请改选“订单”类别后重新提交。",
        "",
        (CAP,),
    ),
]
REJECTED = [
    (
        ModerationReason.DUPLICATE,
        "与贵企业已发布的同类信息重复，请在原信息上修改或续期。",
        "",
        None,
    ),
    (
        ModerationReason.MISLEADING,
        "所述产能与企业规模明显不符，且无法提供设备清单，不予发布。",
        "月产能可达 500 万件，行业领先。",
        (CAP, ORDER),
    ),
    (
        ModerationReason.OTHER,
        "该内容为产品销售广告，不属于闲置资源或订单共享，请勿在本平台发布。",
        "另长期大量供应各类标准件，欢迎选购。",
        (CAP, ORDER),
    ),
    (
        ModerationReason.OTHER,
        "该信息为劳务派遣中介广告，不属于企业间共享用工，不予发布。",
        "另可代招各类普工，收取少量服务费。",
        (TALENT,),
    ),
]
TAKE_DOWN_NOTE = "经核实，举报属实：发布企业已不能提供所述资源，信息与实际不符，予以下架。"
COMPLAINT_TEXTS = [
    ("fraud", "联系后得知所述设备和服务早已不再提供，信息与实际情况不符。"),
    ("other", "同一内容在多个类别重复发布，影响检索。"),
    ("spam", "对接时对方要求先交“会员费”，疑似中介。"),
]
PENDING_EDIT = "\n\n更新：{month}月起时间安排可更灵活，价格可按数量和期限协商。"

# How the listings of the verified firms end up, apart from the anchors (all published).
OUTCOME_SHARES = [
    ("pending", 0.10),
    ("changes_requested", 0.05),
    ("rejected", 0.04),
    ("draft", 0.03),
    ("withdrawn", 0.03),
    ("closed", 0.03),
]
OUTCOME_COUNTS = {"expired": 3, "taken_down": 2, "complained": 2, "edited": 3}


# --- The plan -----------------------------------------------------------------------------


@dataclass
class ListingPlan:
    fields: dict
    outcome: str
    reason: str = ""
    note: str = ""
    age_days: float = 0.0  # how long ago it was submitted, published or decided
    wait_hours: float = 0.0  # how long it waited in the queue
    complaint: tuple[str, str] | None = None
    edit: str = ""


@dataclass
class FirmPlan:
    key: str  # "01".."33" or "a".."f"
    email: str
    spec: FirmSpec | None  # None for the firms A–F of portal.demo
    sector: str
    place: str
    site: str  # where its plant or land is
    age_days: float = 0.0  # how long ago it registered
    name: str = ""
    admin_name: str = ""
    employees: int = 0
    revenue_band: int = 0
    description: str = ""
    contact: dict = field(default_factory=dict)
    certifications: list[dict] = field(default_factory=list)
    listings: list[ListingPlan] = field(default_factory=list)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _patents(rng: random.Random, today: date) -> str:
    """One to three Chinese patent numbers, ZL + application number with its check digit."""
    numbers = []
    for _ in range(rng.randint(1, 3)):
        year = rng.randint(today.year - 6, today.year - 2)
        kind = rng.choice("112")  # invention or utility model
        digits = f"{year}{kind}0{rng.randint(0, 999999):06d}"
        total = sum(int(d) * w for d, w in zip(digits, (2, 3, 4, 5, 6, 7, 8, 9) * 2, strict=False))
        check = "X" if total % 11 == 10 else str(total % 11)
        numbers.append(f"ZL{year} {kind} {digits[5:]}.{check}")
    return "；".join(numbers)


def _price(rng: random.Random, spec: tuple) -> tuple[str, Decimal | None, Decimal | None]:
    mode = spec[0]
    if mode == "negotiable":
        return mode, None, None
    low, high, step = spec[1:]
    steps = round((high - low) / step)

    def pick(lo_step: int = 0) -> Decimal:
        value = low + step * rng.randint(lo_step, steps)
        return Decimal(str(round(value, 2))).normalize() + Decimal("0.00")

    first = pick()
    if mode == "fixed":
        return mode, first, first
    second = pick()
    if second == first:
        second = first + Decimal(str(step))
    return mode, min(first, second), max(first, second)


def _qty_text(qty: int) -> str:
    """For "{qty_text}件": 5 万件, 3000 件."""
    if qty >= 10000 and qty % 1000 == 0:
        return f"{qty / 10000:g} 万"
    return f"{qty} "


def _fill(value, values: dict):
    if isinstance(value, str):
        return value.format_map(values)
    return value


def _plan_listing(
    rng: random.Random,
    firm: FirmPlan,
    firm_code: str,
    template: Template,
    today: date,
    fixed: dict | None = None,
) -> dict:
    """The listing_create fields for one template."""
    fixed = dict(fixed or {})
    values: dict = {"place": firm.place, "site": firm.site}
    for key, choices in template.options.items():
        choice = choices[fixed.pop(key)] if isinstance(fixed.get(key), int) else None
        if choice is None:
            choice = fixed.pop(key, None) or rng.choice(choices)
        if isinstance(choice, dict):
            values.update(choice)
        else:
            values[key] = choice
    qty = None
    if template.qty:
        low, high, step = template.qty
        qty = fixed.pop("qty", None) or low + step * rng.randint(0, round((high - low) / step))
    months = fixed.pop("months", None) or rng.randint(2, 6)
    delivery = today + timedelta(days=rng.randint(30, 110))
    start = today + timedelta(days=rng.randint(0, 25))
    mode, low_price, high_price = _price(rng, rng.choice(template.prices))
    values.update(
        qty=qty if qty is not None else "",
        qty_text=_qty_text(qty) if qty else "",
        months=months,
        delivery=delivery.isoformat(),
        delivery_text=f"{delivery.month}月{delivery.day}日",
        from_text=f"{start.month}月{start.day}日",
        month=start.month,
        patents=_patents(rng, today),
        mu_area=str((SQM_PER_MU * (qty or 0)).quantize(Decimal("1"))),
        price=str(low_price) if low_price is not None else "",
    )
    attributes = {}
    for key, raw in template.attrs.items():
        value = _fill(raw, values)
        if value in ("", None):
            continue
        attributes[key] = value
    if (
        template.kind == TALENT
        and template.direction == OFFER
        and attributes.get("mode") == "secondment"
    ):
        attributes.update(labour_contract_kept=True, insurance_covered=True, worker_consent=True)

    description = _fill(template.description, values)
    if mode != "negotiable" and template.price_note:
        description += f"\n\n价格单位：{template.price_note}。"
    fields = {
        "kind": template.kind,
        "direction": template.direction,
        "title": _fill(template.title, values),
        "description": description,
        "industry": template.code or firm_code,
        "quantity": Decimal(str(qty)) if qty is not None else None,
        "unit": template.unit,
        "price_mode": mode,
        "price_min": low_price,
        "price_max": high_price,
        "attributes": attributes,
    }
    # When it is offered or needed.
    if template.kind == CAP:
        fields["available_from"] = start
        span = months * 30 if template.direction == REQUEST else rng.randint(60, 180)
        fields["available_until"] = start + timedelta(days=span)
    elif template.kind == ORDER:
        fields["available_from"] = today + timedelta(days=rng.randint(0, 10))
        fields["available_until"] = (
            delivery
            if "delivery_date" in attributes
            else fields["available_from"] + timedelta(days=rng.randint(60, 150))
        )
    elif template.kind == TALENT:
        fields["available_from"] = start
        if "duration_months" in attributes:
            fields["available_until"] = start + timedelta(days=30 * months)
    return fields


def _firm_name(rng: random.Random, place: str, word: str, industry: str, employees: int) -> str:
    suffix = rng.choice(NAME_SUFFIXES)
    if industry.endswith("科技") and suffix.startswith("科技"):
        suffix = "有限公司"
    if suffix.startswith("股份") and employees < 200:
        suffix = "有限公司"
    return f"{place}{word}{industry}{suffix}"


def _revenue_band(rng: random.Random, employees: int) -> int:
    target = employees * rng.uniform(15, 50)  # 万元 per person and year
    bands = [b for b in REVENUE_BAND_BOUNDS if b <= min(target, 30000)]
    return bands[-1] if bands else 0


def build_plan(today: date) -> list[FirmPlan]:
    """The whole demo, firm by firm, from one seeded generator: the same on every run."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, meant to be reproducible
    firms: list[FirmPlan] = []
    words = rng.sample(NAME_WORDS, len(FIRMS))
    for spec, word in zip(FIRMS, words, strict=True):
        sector = SECTORS[spec.sector]
        employees = rng.choice((35, 48, 60, 85, 120, 150, 180, 220, 280, 350, 420))
        key = f"{spec.nn:02d}"
        area = AREA_CODES[spec.region[:4]]
        local = 8 if area == "027" else 7
        plan = FirmPlan(
            key=key,
            email=FIRM_EMAIL.format(nn=spec.nn),
            spec=spec,
            sector=spec.sector,
            place=spec.place,
            site=spec.park or f"{spec.place}工业园",
            name=_firm_name(rng, spec.place, word, rng.choice(sector.words), employees),
            admin_name=_person(rng),
            employees=employees,
            revenue_band=_revenue_band(rng, employees),
            description=sector.about.format(place=spec.place),
            contact={
                "name": _person(rng),
                "position": rng.choice(POSITIONS),
                "phone": f"{area}-{rng.randint(6, 8)}{rng.randrange(10 ** (local - 1)):0{local - 1}d}",
                "email": f"contact-{key}@{DEMO_DOMAIN}",
            },
        )
        for kind in spec.certs:
            year = rng.randint(22, 25)
            if kind == "iatf16949":
                number = f"IATF 0{rng.randint(400000, 499999)}"
            else:
                letter = "Q" if kind == "iso9001" else "E"
                number = f"{rng.randint(1, 999):05d}{year}{letter}{rng.randint(10000, 99999)}R0M"
            plan.certifications.append(
                {
                    "kind": kind,
                    "number": number,
                    "valid_until": today + timedelta(days=rng.randint(200, 1000)),
                }
            )
        firms.append(plan)
    for key, (sector, place, site) in EXISTING_FIRMS.items():
        firms.append(
            FirmPlan(
                key=key,
                email=f"firm-{key}@{DEMO_DOMAIN}",
                spec=None,
                sector=sector,
                place=place,
                site=site,
            )
        )
    for firm in firms:
        verified = firm.key != "c" and (firm.spec is None or firm.spec.status == "verified")
        firm.age_days = rng.uniform(100, 180) if verified else rng.uniform(1, 9)

    anchors: dict[str, list[tuple[str, str, dict]]] = {}
    for key, sector, name, fixed in ANCHORS:
        anchors.setdefault(key, []).append((sector, name, fixed))

    # Listings: the anchors, then templates of the firm's sector and the generic ones. No two
    # firms offer the same technology.
    offered_technology = {
        (sector, name)
        for _key, sector, name, _fixed in ANCHORS
        if TEMPLATES[sector][name].kind == TECH and TEMPLATES[sector][name].direction == OFFER
    }
    planned: list[tuple[FirmPlan, ListingPlan, bool]] = []  # (firm, listing, free to vary)
    for firm in firms:
        sector = firm.sector
        code = SECTORS[sector].code if firm.spec else ""  # firms A–F: their own, at load
        pending_firm = firm.spec is not None and firm.spec.status == "pending"
        # An unverified firm can only keep drafts.
        count = rng.randint(1, 2) if firm.key == "c" or pending_firm else rng.randint(7, 10)
        chosen: list[tuple[Template, dict, bool]] = []
        used = set()
        for a_sector, a_name, fixed in anchors.get(firm.key, []):
            chosen.append((TEMPLATES[a_sector][a_name], fixed, False))
            used.add((a_sector, a_name))
        pool = [(sector, n) for n in TEMPLATES[sector]]
        if sector not in OFFICE_SECTORS:
            pool += [("generic", n) for n in TEMPLATES["generic"]]
        pool = [p for p in pool if p not in used and p not in offered_technology]
        rng.shuffle(pool)
        # Keep each firm's kinds balanced: take next the kind it has least of so far.
        while pool and len(chosen) < count:
            have = Counter(t.kind for t, _f, _free in chosen)
            pick = min(pool, key=lambda p: have[TEMPLATES[p[0]][p[1]].kind])
            pool.remove(pick)
            chosen.append((TEMPLATES[pick[0]][pick[1]], {}, True))
            template = TEMPLATES[pick[0]][pick[1]]
            if template.kind == TECH and template.direction == OFFER:
                offered_technology.add(pick)
        for template, fixed, free in chosen:
            fields = _plan_listing(rng, firm, code, template, today, fixed)
            fields["visibility"] = Visibility.PUBLIC
            lp = ListingPlan(
                fields=fields, outcome="draft" if pending_firm or firm.key == "c" else "published"
            )
            firm.listings.append(lp)
            planned.append((firm, lp, free and lp.outcome == "published"))

    # Outcomes: a shuffled bag over the listings free to vary, so every status appears.
    free = [(f, lp) for f, lp, is_free in planned if is_free]
    bag: list[str] = []
    for outcome, share in OUTCOME_SHARES:
        bag += [outcome] * round(share * len(planned))
    for outcome, count in OUTCOME_COUNTS.items():
        bag += [outcome] * count
    bag += ["published"] * (len(free) - len(bag))
    rng.shuffle(bag)
    for (_firm, lp), outcome in zip(free, bag, strict=True):
        lp.outcome = outcome
    for firm, lp, _free in planned:
        kind = lp.fields["kind"]
        if lp.outcome in ("changes_requested", "rejected"):
            table = CHANGES_REQUESTED if lp.outcome == "changes_requested" else REJECTED
            reason, note, flaw, _kinds = rng.choice(
                [row for row in table if row[3] is None or kind in row[3]]
            )
            lp.reason, lp.note = reason, note
            if flaw:
                text, sep, price = lp.fields["description"].partition("\n\n价格单位")
                lp.fields["description"] = f"{text}{flaw}{sep}{price}"
        elif lp.outcome == "taken_down":
            lp.reason, lp.note = ModerationReason.MISLEADING, TAKE_DOWN_NOTE
            lp.complaint = COMPLAINT_TEXTS[0]
        elif lp.outcome == "complained":
            lp.complaint = rng.choice(COMPLAINT_TEXTS[1:])
        elif lp.outcome == "edited":
            lp.edit = PENDING_EDIT.format(month=(today + timedelta(days=30)).month)
        # Visibility: mostly public.
        roll = rng.random()
        if roll < 0.12:
            lp.fields["visibility"] = Visibility.REGISTERED
        elif roll < 0.22 and firm.spec is not None and firm.spec.clusters:
            lp.fields["visibility"] = Visibility.CLUSTER
        # Ages: pending ones wait up to 10 days; published ones went out over six weeks.
        if lp.outcome == "draft" and (
            firm.key == "c" or (firm.spec and firm.spec.status == "pending")
        ):
            lp.age_days = rng.uniform(0.05, firm.age_days)
        elif lp.outcome == "pending":
            lp.age_days = rng.uniform(0.05, 10)
        elif lp.outcome == "expired":
            lp.age_days = EXPIRY_DAYS[kind][0] + rng.uniform(2, 20)
        else:
            lp.age_days = rng.uniform(0.3, 42)
        lp.wait_hours = rng.uniform(1.5, 70)
    return firms


# --- Loading ------------------------------------------------------------------------------


def _moderator_for(enterprise: Enterprise, supervisor, cache: dict):
    """The park's administrator when the park has one, otherwise the platform supervisor."""
    if enterprise.park_id not in cache:
        grant = (
            RoleGrant.objects.select_related("user")
            .filter(kind=RoleKind.PARK_ADMIN, park_id=enterprise.park_id, user__is_active=True)
            .order_by("pk")
            .first()
            if enterprise.park_id
            else None
        )
        cache[enterprise.park_id] = grant.user if grant else supervisor
    return cache[enterprise.park_id]


def _create_firm(plan: FirmPlan, admin, parks: dict, regions: dict, industries: dict):
    spec = plan.spec
    clusters = []
    for name in spec.clusters:
        cluster = Cluster.objects.filter(name=name).order_by("pk").first()
        if cluster is not None:
            clusters.append(cluster)
    return enterprise_services.enterprise_create(
        actor=admin,
        name=plan.name,
        credit_code=make_credit_code("9", "1", spec.region, f"HBDX{spec.nn:04d}"),
        region=regions[spec.region],
        park=parks.get(spec.park) if spec.park else None,
        industry=industries[SECTORS[spec.sector].code],
        employees=plan.employees,
        revenue_band=plan.revenue_band,
        clusters=clusters,
        description=plan.description,
        contacts=[plan.contact],
        certifications=plan.certifications,
    )


def _apply_listing(
    lp: ListingPlan, *, owner, moderator, reporter, industries, where: dict, now
) -> Listing:
    fields = dict(lp.fields, **where)
    fields["industry"] = industries[fields["industry"]]
    if lp.outcome == "draft":
        listing = listing_create(actor=owner, **fields)
    else:
        listing = listing_create(actor=owner, submit=True, **fields)
    outcome = lp.outcome
    if outcome in ("changes_requested", "rejected"):
        action = "request_changes" if outcome == "changes_requested" else "reject"
        listing = listing_transition(
            actor=moderator, listing=listing, action=action, reason=lp.reason, note=lp.note
        )
    elif outcome == "withdrawn" and lp.age_days < 10:
        listing = listing_transition(actor=owner, listing=listing, action="withdraw")
    elif outcome not in ("draft", "pending"):
        listing = listing_transition(actor=moderator, listing=listing, action="approve")
        if outcome in ("withdrawn", "closed"):
            action = "withdraw" if outcome == "withdrawn" else "close"
            listing = listing_transition(actor=owner, listing=listing, action=action)
        elif outcome == "expired":
            # What the expiry job does; it acts as nobody.
            listing = listing_transition(actor=None, listing=listing, action="expire")
        elif lp.complaint:
            reason, text = lp.complaint
            complaint_create(actor=reporter, listing=listing, reason=reason, text=text)
            if outcome == "taken_down":
                listing = listing_transition(
                    actor=moderator,
                    listing=listing,
                    action="take_down",
                    reason=lp.reason,
                    note=lp.note,
                )
        elif lp.edit:
            listing = listing_update(
                actor=owner, listing=listing, description=listing.description + lp.edit
            )
    _backdate(listing, lp, now)
    return listing


def _backdate(listing: Listing, lp: ListingPlan, now: datetime) -> None:
    """Spread the demo over the past weeks (timestamps only; the audit log keeps real ones)."""
    event = now - timedelta(days=lp.age_days)  # submission, decision or publication
    submitted = event - timedelta(hours=lp.wait_hours)
    created = submitted - timedelta(hours=lp.wait_hours / 3)
    changes: dict = {"created_at": created, "status_changed_at": event}
    status = listing.status
    if status == ListingStatus.DRAFT:
        changes = {"created_at": event, "status_changed_at": event}
    elif status == ListingStatus.PENDING:
        changes.update(submitted_at=event, created_at=event - timedelta(hours=lp.wait_hours / 3))
    elif listing.published_at is not None:
        expires = timezone.localdate(event) + timedelta(days=EXPIRY_DAYS[listing.kind][0])
        changes.update(published_at=event, expires_on=expires)
        if status == ListingStatus.EXPIRED:
            changes["status_changed_at"] = timezone.make_aware(
                datetime.combine(expires, datetime.min.time())
            )
        elif status != ListingStatus.PUBLISHED:  # closed, withdrawn, taken down since
            changes["status_changed_at"] = event + (now - event) * 0.6
        else:
            changes["status_changed_at"] = event
        if listing.pending_changes:
            changes["submitted_at"] = now - (now - event) * 0.2
    if listing.submitted_at is not None and "submitted_at" not in changes:
        changes["submitted_at"] = submitted  # withdrawn while waiting
    if getattr(listing, "first_submitted_at", None) is not None:
        changes["first_submitted_at"] = (
            changes["submitted_at"] if status == ListingStatus.PENDING else submitted
        )
    Listing.objects.filter(pk=listing.pk).update(**changes)
    ModerationDecision.objects.filter(listing=listing, was_edit=False).update(
        submitted_at=submitted, decided_at=event
    )


def _backdate_firm(enterprise: Enterprise, admin, plan: FirmPlan, now: datetime) -> None:
    """Registered months ago (pending ones a few days ago), before any of its listings."""
    created = now - timedelta(days=plan.age_days)
    changes: dict = {"created_at": created, "status_changed_at": created}
    if enterprise.is_verified:
        changes["status_changed_at"] = created + timedelta(hours=plan.age_days / 4)
        if getattr(enterprise, "verified_at", None) is not None:
            changes["verified_at"] = changes["status_changed_at"]
    Enterprise.objects.filter(pk=enterprise.pk).update(**changes)
    if plan.spec is not None:  # its admin account is this module's too
        get_user_model().objects.filter(pk=admin.pk).update(
            date_joined=created - timedelta(minutes=20)
        )


def load_demo_listings() -> list[tuple[str, str, str]]:
    """Create the demo firms and their listings that are missing; return one login line.

    Runs inside :func:`portal.demo.load_demo_data`'s transaction, after it made the users and
    the six firms A–F.
    """
    User = get_user_model()
    now = timezone.now()
    today = timezone.localdate(now)
    plan = build_plan(today)

    supervisor = User.objects.get(email=SUPERVISOR_EMAIL)
    parks = {p.name: p for p in Park.objects.select_related("region")}
    regions = {r.code: r for r in Region.objects.all()}
    regions_by_pk = {r.pk: r for r in regions.values()}
    parks_by_pk = {p.pk: p for p in parks.values()}
    codes = {t.code or "" for group in TEMPLATES.values() for t in group.values()}
    codes |= {s.code for s in SECTORS.values()}
    industries = IndustryCode.objects.in_bulk(codes - {""}, field_name="code")
    missing = sorted((codes - {""}) - set(industries))
    if missing:
        raise RuntimeError(f"reference data missing industry codes {missing}")
    moderators: dict = {}
    reporters = list(
        User.objects.filter(email__in=[f"firm-a@{DEMO_DOMAIN}", f"firm-b@{DEMO_DOMAIN}"]).order_by(
            "email"
        )
    )

    for firm in plan:
        admin = User.objects.filter(email=firm.email).first()
        if firm.spec is None:  # one of portal.demo's firms A-F
            membership = Membership.objects.select_related("enterprise").filter(user=admin).first()
            if admin is None or membership is None:
                continue
            enterprise = membership.enterprise
        else:
            if admin is None:
                admin = User(email=firm.email, name=firm.admin_name, password=demo_password_hash())
                admin.save()
            membership = Membership.objects.select_related("enterprise").filter(user=admin).first()
            if membership is None:
                enterprise = _create_firm(firm, admin, parks, regions, industries)
                if firm.spec.status == "verified":
                    enterprise_services.enterprise_transition(
                        actor=_moderator_for(enterprise, supervisor, moderators),
                        enterprise=enterprise,
                        action="verify",
                    )
                    enterprise.refresh_from_db()
            else:
                enterprise = membership.enterprise
        if enterprise.listings.exists():
            continue
        _backdate_firm(enterprise, admin, firm, now)
        firm_code = enterprise.industry.code
        moderator = _moderator_for(enterprise, supervisor, moderators)
        # The enterprise's place, passed as loaded objects (saves queries per listing).
        where = {
            "region": regions_by_pk[enterprise.region_id],
            "park": parks_by_pk.get(enterprise.park_id),
        }
        reporter = next((u for u in reporters if u.pk != admin.pk), supervisor)
        for lp in firm.listings:
            if not lp.fields["industry"]:
                lp.fields["industry"] = firm_code
            if lp.outcome != "draft" and not enterprise.is_verified:
                lp.outcome = "draft"
            industries.setdefault(firm_code, enterprise.industry)
            _apply_listing(
                lp,
                owner=admin,
                moderator=moderator,
                reporter=reporter,
                industries=industries,
                where=where,
                now=now,
            )
    first, last = FIRMS[0].nn, FIRMS[-1].nn
    return [
        (
            f"enterprise admins of {len(FIRMS)} more demo firms",
            f"{FIRM_EMAIL.format(nn=first)} … {FIRM_EMAIL.format(nn=last)}",
            DEMO_PASSWORD,
        )
    ]
