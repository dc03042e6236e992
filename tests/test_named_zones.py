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
    got = placed("株洲经开区实行项目快速落地机制，确保签约项目4个月内拿地开工、2年之内建成投产。", "duration")
    assert got == [("株洲经开区", "湖南"), ("株洲经开区", "湖南")]


def test_its_name_without_the_city_names_it_later():
    text = ("台州智造新城今年新引进项目12个。\n"
            "作为全市产业主平台，智造新城推行拿地即开工，把工业项目从摘牌到开工的用时由40天缩短至10天。")
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
