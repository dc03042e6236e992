"""Normalisation keeps a map to the original text: evidence is always verbatim."""

import pytest

from etl.textnorm import normalize, to_simplified


@pytest.mark.parametrize(
    "original,normalised",
    [
        ("新開工項目276個", "新开工项目276个"),
        ("引进协议投资 3680.4 亿元，增长 9.4%", "引进协议投资3680.4亿元,增长9.4%"),
        ("全市（园区）：１２３", "全市(园区):123"),
        ("⼀季度", "一季度"),  # Kangxi radical ⼀ -> 一
        ("签约项目8个(gè)，总投资", "签约项目8个,总投资"),  # pinyin gloss from a mirror site
        ("Stéphane 是", "Stéphane是"),
        ("", ""),
    ],
)
def test_normalised_view(original, normalised):
    assert normalize(original).text == normalised


@pytest.mark.parametrize(
    "original,needle",
    [
        ("引进协议投资 3680.4 亿元，增长 9.4%", "协议投资3680.4亿元"),
        ("據悉,巴南已累計簽約重大産業項目47個", "巴南已累计签约重大产业项目47个"),
        ("签约项目8个(gè)，总投资12亿元", "8个,总投资12亿元"),
        ("  前导空格 的 文本 2 亿元", "文本2亿元"),
    ],
)
def test_offsets_map_back_verbatim(original, needle):
    nt = normalize(original)
    i = nt.text.index(needle)
    a, b = nt.orig_span(i, i + len(needle))
    assert normalize(original[a:b]).text == needle
    assert original[a:b] == nt.orig_slice(i, i + len(needle))


def test_simplified_keeps_length():
    t = "積體電路產業鏈與網際網路"
    assert len(to_simplified(t)) == len(t)


def test_orig_index_at_end():
    nt = normalize("a 一")
    assert nt.orig_index(len(nt.text)) == len(nt.original)
