"""Generated search documents hold exactly the words sharing.search.stored_document stores."""

from datetime import date

from bench.text import DocumentCache
from portal.demo_listings import build_plan
from sharing.search import stored_document


def test_cached_documents_have_the_words_of_stored_documents():
    cache = DocumentCache()
    texts = [
        (
            "数控加工中心 VMC850 闲置机时",
            "每月约 300 小时空闲机时，定位精度 ±0.01 mm。",
            "",
            "通用设备制造",
        ),
        ("寻求注塑模具外协", "注塑机 280T，6 个月内分批交货；IATF 16949。", "注塑", ""),
    ]
    for firm in build_plan(date(2026, 1, 1))[:8]:
        for lp in firm.listings:
            fields = lp.fields
            attributes = " ".join(v for v in fields["attributes"].values() if isinstance(v, str))
            texts.append((fields["title"], fields["description"], attributes, "金属制品业"))
    for parts in texts * 2:  # the second pass reads the cache
        assert set(cache.document(*parts).split()) == set(stored_document(*parts).split())
    assert cache.hits > cache.misses


def test_an_empty_text_has_an_empty_document():
    assert DocumentCache().document("", "") == "" == stored_document("", "")
