"""etl.mentions.TermMatcher: leftmost-longest, non-overlapping matches of a vocabulary."""

import pytest

from etl.mentions import TermMatcher


@pytest.mark.parametrize(
    "terms, text, found",
    [
        (["江宁", "江宁区", "南京"], "南京江宁区签约", [(0, 2, "南京"), (2, 5, "江宁区")]),  # longest
        (["江宁区", "宁区政府"], "江宁区政府", [(0, 3, "江宁区")]),  # leftmost, no overlap
        (["两江新区", "新区"], "两江新区和新区", [(0, 4, "两江新区"), (5, 7, "新区")]),
        (["上海", "上海", ""], "上海上海", [(0, 2, "上海"), (2, 4, "上海")]),  # duplicates, empty term
        ([], "上海", []),
        (["上海"], "", []),
    ],
)
def test_term_matcher(terms, text, found):
    assert TermMatcher(terms).find(text) == found


def test_long_texts_are_scanned_in_pieces_cut_at_line_breaks(monkeypatch):
    m = TermMatcher(["江宁区", "南京"])
    text = "南京江宁区\n" * 50 + "江宁" + "区" * 30 + "南京"  # the last line is longer than a piece
    whole = m.find(text)
    monkeypatch.setattr(TermMatcher, "CHUNK", 16)
    assert m.find(text) == whole and len(whole) == 102 and whole[-1] == (len(text) - 2, len(text), "南京")
