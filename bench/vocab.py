"""The vocabulary of generated data: which industries Hubei's firms are in, and the equipment,
processes and products their listings talk about.

Two sources of text. The demo's listing templates (``portal.demo_listings.TEMPLATES``, 17
sectors of Hubei's clusters, hand-written) give most listings; for the other manufacturing
divisions, listings are composed here from the GB/T 4754-2017 class names of the division and
a vocabulary of equipment, processes and products.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal import demo_listings as demo

# Sectors of portal.demo_listings and how common they are among Hubei's SMEs on the portal
# (cars and parts, machinery, chemicals and textiles lead, as in the province's cluster lists).
DEMO_SECTOR_WEIGHTS: dict[str, float] = {
    "auto": 13,
    "machining": 10,
    "chemical": 9,
    "textile": 7,
    "electronics": 6,
    "plastics": 5,
    "metal": 5,
    "food": 4,
    "automation": 4,
    "pharma": 4,
    "software": 3,
    "casting": 3,
    "battery": 3,
    "vehicles": 3,
    "heat": 2,
    "nonwoven": 2,
    "testing": 2,
}


@dataclass(frozen=True)
class Family:
    """Composed listings for firms of some manufacturing divisions."""

    divisions: tuple[str, ...]
    equipment: tuple[str, ...]
    processes: tuple[str, ...]
    products: tuple[str, ...]
    skills: tuple[str, ...]
    weight: float


FAMILIES: dict[str, Family] = {
    "building": Family(
        ("30",),
        ("回转窑", "球磨机", "立磨", "混凝土搅拌站", "压砖机", "玻璃钢化炉", "石材切割机"),
        ("粉磨", "煅烧", "压制成型", "养护", "钢化", "切割抛光"),
        ("商品混凝土", "预制构件", "加气砌块", "钢化玻璃", "陶瓷砖", "石膏板", "水泥制品"),
        ("窑炉操作", "搅拌站操作", "质检化验"),
        4,
    ),
    "steel": Family(
        ("31", "32"),
        ("中频感应炉", "连铸机", "轧机", "拉丝机", "退火炉", "酸洗线", "分条机"),
        ("熔炼", "轧制", "拉拔", "退火", "酸洗", "分条纵剪"),
        ("螺纹钢", "冷轧板", "铜杆", "铝型材", "不锈钢带", "铜箔", "焊丝"),
        ("轧钢工", "天车工", "炉前工"),
        4,
    ),
    "metalware": Family(
        ("33",),
        ("数控折弯机", "激光切割机", "剪板机", "焊接机器人", "喷涂线", "冲床", "卷板机"),
        ("钣金加工", "激光切割", "折弯", "焊接", "静电喷涂", "冲压"),
        ("钢结构件", "机柜", "货架", "金属门窗", "紧固件", "五金工具", "压力容器"),
        ("焊工", "钣金工", "喷涂工"),
        5,
    ),
    "special_machinery": Family(
        ("35",),
        ("龙门加工中心", "数控镗铣床", "卧式加工中心", "大型立车", "装配线", "试验台"),
        ("大件加工", "镗铣", "装配调试", "整机测试", "焊接", "涂装"),
        ("工程机械零部件", "农机具", "环保设备", "矿山机械", "包装机械", "食品机械"),
        ("装配钳工", "电气调试", "数控操作"),
        5,
    ),
    "electrical": Family(
        ("38",),
        ("绕线机", "真空浸漆设备", "注塑机", "贴片机", "高低压试验台", "母线加工机"),
        ("绕线", "浸漆", "装配", "耐压测试", "老化测试", "钣金成型"),
        ("电机", "变压器", "开关柜", "电线电缆", "照明灯具", "充电桩", "配电箱"),
        ("电工", "装配工", "试验员"),
        5,
    ),
    "instruments": Family(
        ("40",),
        ("三坐标测量机", "恒温实验室", "精密磨床", "光学检测仪", "校准装置"),
        ("精密装配", "标定校准", "精密磨削", "光学检测"),
        ("流量计", "压力变送器", "光学仪器", "传感器", "电能表", "试验仪器"),
        ("计量检定员", "仪表装配工"),
        2,
    ),
    "agrifood": Family(
        ("13", "14", "15"),
        ("冷库", "烘干线", "灌装线", "杀菌釜", "碾米机组", "榨油机", "发酵罐"),
        ("冷藏", "烘干", "灌装", "杀菌", "碾米加工", "压榨", "发酵"),
        ("大米", "菜籽油", "小龙虾", "茶叶", "食用菌", "白酒", "饮料"),
        ("食品检验员", "灌装操作工", "冷库管理员"),
        5,
    ),
    "wood_paper": Family(
        ("20", "21", "22", "23"),
        ("热压机", "封边机", "瓦楞纸板生产线", "胶印机", "模切机", "喷涂房"),
        ("热压", "封边", "印刷", "模切", "覆膜", "涂装"),
        ("板式家具", "纸箱", "包装印刷品", "木门", "胶合板", "标签"),
        ("印刷机长", "木工", "包装设计"),
        4,
    ),
    "rubber": Family(
        ("29",),
        ("平板硫化机", "密炼机", "挤出机", "吹膜机", "注塑机"),
        ("硫化", "密炼", "挤出", "吹膜", "注塑"),
        ("橡胶密封件", "胶管", "塑料薄膜", "塑料管材", "橡胶减震件"),
        ("硫化工", "挤出操作工"),
        3,
    ),
}

# Titles and descriptions of composed listings, per (kind, direction). Placeholders: equip,
# process, product, skill, industry (the class name), place, qty, n, months, lead.
COMPOSED: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("capacity", "offer"): (
        (
            "{equip}闲置产能对外开放 每月 {qty} 机时",
            "我司从事{industry}，现有 {n} 台{equip}，近期订单不饱和，每月约 {qty} 机时可对外"
            "承接{process}业务，主要加工{product}，来料加工或包工包料均可，交期 {lead} 天。",
        ),
        (
            "{place}{equip} {process}产能共享",
            "位于{place}的{industry}企业，{equip}设备 {n} 台，可承接{product}的{process}，"
            "每月空闲约 {qty} 机时，可提供检测报告，欢迎长期合作。",
        ),
    ),
    ("capacity", "request"): (
        (
            "寻求{equip}外协产能 每月约 {qty} 机时",
            "因订单增加，自有{equip}产能不足，现寻求{place}周边具备{process}能力的企业，"
            "承接{product}加工，每月约 {qty} 机时，持续 {months} 个月，需提供检测报告。",
        ),
    ),
    ("technology", "offer"): (
        (
            "{product}{process}新工艺 技术许可与合作",
            "本技术适用于{industry}企业的{product}生产，改进{process}工艺后良品率明显提升、"
            "能耗下降，已在自有{equip}上稳定运行，可许可使用或合作开发。",
        ),
    ),
    ("technology", "request"): (
        (
            "征集{product}{process}技术解决方案",
            "我司{industry}产线的{process}环节存在效率和质量瓶颈，现征集{product}生产中"
            "{process}工艺改进或{equip}自动化改造方案，可合作开发或购买技术服务。",
        ),
    ),
    ("order", "offer"): (
        (
            "承接{product}{process}订单",
            "我司{industry}专业厂家，拥有{equip} {n} 台，可承接{product}的{process}订单，"
            "月产能约 {qty} 件，交期 {lead} 天，质量体系完善。",
        ),
    ),
    ("order", "request"): (
        (
            "外发{product}加工订单 {qty} 件",
            "现有{product}加工订单 {qty} 件外发，需{process}，要求具备{equip}设备，"
            "{months} 个月内分批交货，{place}周边企业优先。",
        ),
    ),
    ("talent", "offer"): (
        (
            "{skill} {qty} 人 共享用工 {months} 个月",
            "淡季有 {qty} 名{skill}可共享用工 {months} 个月，熟悉{equip}操作和{process}，"
            "劳动合同和社保关系不变，本人已同意。",
        ),
    ),
    ("talent", "request"): (
        (
            "急需{skill} {qty} 人",
            "因{product}订单集中交付，急需{skill} {qty} 名，熟悉{equip}和{process}，"
            "工作地点{place}，期限 {months} 个月。",
        ),
    ),
}

# Keywords of a park's or cluster's leading industries → the sectors and families firms
# there are likely to be in.
KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("汽车", ("auto", "vehicles", "plastics", "metal")),
    ("专用车", ("vehicles", "auto")),
    ("化工", ("chemical", "rubber")),
    ("磷", ("chemical",)),
    ("盐化", ("chemical",)),
    ("纺织", ("textile",)),
    ("服装", ("textile",)),
    ("无纺", ("nonwoven",)),
    ("非织造", ("nonwoven",)),
    ("电子", ("electronics", "electrical")),
    ("光电", ("electronics", "instruments")),
    ("信息", ("software", "electronics")),
    ("软件", ("software",)),
    ("装备", ("machining", "automation", "special_machinery")),
    ("机械", ("machining", "special_machinery")),
    ("机电", ("machining", "electrical")),
    ("食品", ("food", "agrifood")),
    ("农产品", ("agrifood", "food")),
    ("医药", ("pharma",)),
    ("健康", ("pharma",)),
    ("生物", ("pharma",)),
    ("新材料", ("plastics", "steel", "building")),
    ("建材", ("building",)),
    ("冶金", ("steel", "casting")),
    ("钢", ("steel", "metalware")),
    ("铸造", ("casting",)),
    ("电池", ("battery",)),
    ("新能源", ("battery", "electrical")),
    ("家具", ("wood_paper",)),
    ("包装", ("wood_paper", "rubber")),
    ("轻工", ("wood_paper", "agrifood")),
)

# Names of people and firms: the demo's lists, with more words for more distinct firm names
# at scale (a million listings come from 100,000 firms).
SURNAMES = demo.SURNAMES
GIVEN = [*demo.GIVEN, "俊", "鹏", "婷", "雪", "斌"]
NAME_WORDS = [
    *demo.NAME_WORDS,
    *("汉江", "江汉", "鄂信", "楚雄", "九州", "三峡", "神农", "荆门", "武当"),
    *("黄鹤", "东湖", "汇通", "隆盛", "泰和", "宏达", "金桥", "新维", "创联"),
]
SUFFIXES = demo.NAME_SUFFIXES
INQUIRY_MESSAGES = (
    "您好，我司对该信息很感兴趣，希望进一步了解具体参数和合作方式。",
    "请问贵司的交期和报价能否详细说明？我们有长期合作意向。",
    "我司在附近园区，可以安排实地考察，方便时请联系。",
    "想了解一下起订量和质量保证方式，谢谢。",
)
DEAL_TEXTS = {
    "capacity": "外协加工合作",
    "technology": "技术服务合同",
    "order": "订单加工合同",
    "talent": "共享用工协议",
}
