"""Places named in a slogan (见证某省速度), as the whole a case stands for (是某省…的缩影) or at the
head of a common word (大理石) are not a fact's place. Sentences written for this test."""

from __future__ import annotations

from etl.document import DocInfo
from etl.pipeline import extract_document


def placed(text: str, kind: str = "duration") -> list[str | None]:
    _, facts = extract_document("发布时间：2024-07-15\n" + text, DocInfo("t"))
    return [f.region for f in facts if f.kind == kind]


def test_a_slogan_and_an_exemplar_give_way_to_the_place_of_the_project():
    text = ("某某新材料产业园项目是衢州市重点推进的项目。\n"
            "该厂房从动工到投产仅用5个月，是浙江制造业项目高效推进的一个缩影。\n"
            "跑出浙江速度：某某电子从首次接洽到签订协议仅用40天，从摘牌到领取施工许可证仅用6天。")
    assert placed(text) == ["衢州市", "衢州市", "衢州市"]


def test_a_common_word_beginning_with_a_place_name_is_no_mention():
    text = "南平市某石材项目加快建设。\n该项目从办理大理石矿采矿许可证到取得许可证仅用15天。"
    assert placed(text) == ["南平市"]


def test_a_place_that_is_the_subject_stays():
    assert placed("浙江从签约到开工平均用时缩短至45天。") == ["浙江省"]
