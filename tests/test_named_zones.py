"""Zones no list has, named after a listed place (某市经开区, 某市智造新城): places of their own
inside that place; their name without the place names them later. Sentences written for this test."""

from __future__ import annotations

import pytest

from etl.document import DocInfo
from etl.pipeline import extract_document


def placed(text: str, kind: str) -> list[tuple[str | None, str | None]]:
    _, facts = extract_document("发布时间：2024-07-15\n" + text, DocInfo("t"))
    return [(f.region, f.province) for f in facts if f.kind == kind]


def test_a_zone_named_after_a_city_is_its_own_place():
    got = placed("株洲经开区推行“1223”工作法，力争项目洽谈1个月内签约、购地项目3个月内拿地开工。", "duration")
    assert got == [("株洲经开区", "湖南"), ("株洲经开区", "湖南")]


def test_its_name_without_the_city_names_it_later():
    text = ("某新材料项目近日在台州智造新城开工。\n"
            "智造新城是台州工业主平台，推动“拿地即开工”改革，将企业从交地到开工的用时从30天压缩到5个工作日。")
    assert placed(text, "duration") == [("台州智造新城", "浙江")]
    assert ("台州智造新城", "浙江") in placed(text, "mechanism")


def test_a_listed_zone_in_its_long_form_stays_the_listed_one():
    got = placed("苏州国家高新技术产业开发区今年签约项目52个。", "figure")
    assert got and all(r == "苏州高新区" for r, _ in got)


@pytest.mark.parametrize("text", [
    "全市开发区签约项目52个。",          # 全市 names no place of its own
    "湖南经开区建设成效明显，签约项目52个。",  # a province names no zone
    "株洲市依托开发区平台，签约项目52个。",    # a verb between, no name
])
def test_not_a_named_zone(text):
    assert not any(r and r.endswith(("经开区", "开发区")) for r, _ in placed(text, "figure"))
