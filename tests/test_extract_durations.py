"""Durations: days and baseline_days (facts.md §2)."""

import pytest

from etl.document import DocInfo
from etl.pipeline import extract_document


def durations(text):
    _, facts = extract_document("发布时间：2024-07-15\n合肥经开区。" + text, DocInfo("t"))
    return [f for f in facts if f.kind == "duration"]


@pytest.mark.parametrize(
    "text,days,baseline,frm,to",
    [
        ("项目从签约到开工仅用时45天。", 45, None, "签约", "开工"),
        ("从拿地到开工用时2个多月。", 70, None, "拿地", "开工"),
        ("从注册到投产，仅用两周。", 14, None, "注册", "投产"),
        ("一般情况下，从立项到取得施工许可证需耗时3—4个月。", None, 105, "立项", "施工许可"),
        ("审批时限由20个工作日压缩至5个工作日。", 5, 20, None, None),
        ("企业开办一天办结。", 1, None, "企业开办", "办结"),
        ("对企业诉求，做到2小时内响应。", 0.0833, None, None, "响应"),
        ("去年10月“云签约”、不到半年就投产。", 180, None, "云签约", "投产"),
        ("从签约到开工仅用时2个多月，比同类项目用时还少1个多月。", 70, 100, "签约", "开工"),
        # 从A到B … 由D1压缩至D2: stages of the one, times of the other
        ("区内重点项目从签约到开工平均用时由原来的6个月压缩至3个月。", 90, 180, "签约", "开工"),
        # a cut with no stated baseline, 以内 and decimals
        ("社会投资简易低风险项目审批全流程时限压缩至15个工作日以内。", 15, None, "社会投资简易低风险项目审批", None),
        ("企业开办全流程办理时间压缩至0.5个工作日。", 0.5, None, "企业开办", None),
        # 较…减少近D as the comparison
        ("工业项目从摘牌到开工平均用时缩短至28天，较改革前减少近两个月。", 28, 88, "摘牌", "开工"),
        ("从签约到投产仅用8个多月，比行业平均建设周期快了4个月左右。", 250, 370, "签约", "投产"),
        ("经开区将工业项目施工许可办理时限由20个工作日压缩至5个工作日。", 5, 20, "工业项目施工许可", None),
        # a year before the span is a date (由2022年的5个多月…), not 2022 years
        ("全市工业项目从签约到开工平均用时已由2022年的5个多月缩短至2个多月。", 70, 160, "签约", "开工"),
        # … and a year after 至 too (由2021年的120天缩短至2024年的45天)
        ("园区项目从签约到开工平均用时由2021年的120天缩短至2024年的45天。", 45, 120, "签约", "开工"),
        # when each side of a cut stood (去年的 / 目前的, 过去的 / 现在的)
        ("园区项目从拿地到开工平均用时由去年的4个月缩短到目前的50天。", 50, 120, "拿地", "开工"),
        ("项目审批时间由过去的30天压缩到现在的10天。", 10, 30, None, None),
        # a time limit (时限不超过) is the achieved time of 从A到B
        ("社会投资项目从取得用地到获得施工许可审批时限不超过15个工作日。", 15, None, "用地", "施工许可"),
        # A后最快D即可V: the step before 后 to the verb after the span
        ("工业项目签约后最快7天即可开工。", 7, None, "签约", "开工"),
    ],
)
def test_duration(text, days, baseline, frm, to):
    ds = durations(text)
    assert len(ds) == 1, [(d.days, d.baseline_days) for d in ds]
    d = ds[0]
    assert d.days == (pytest.approx(days, abs=1e-3) if days is not None else None)
    assert d.baseline_days == (pytest.approx(baseline) if baseline is not None else None)
    if frm:
        assert d.from_stage == frm
    if to:
        assert d.to_stage == to


@pytest.mark.parametrize(
    "text",
    [
        "5年前，特斯拉落户上海。",  # ago
        "专班工作人员24小时在岗待命。",  # service hours
        "产业用地出让期限可按照30—50年确定。",  # a term, not a step
        "招商小分队每两个月外出招商1次。",  # frequency
        "近2个月以来已是第三次集中签约。",  # since
        "企业停产两个月。",  # stoppage
        "该企业深耕行业超30年。",  # age
    ],
)
def test_not_durations(text):
    assert durations(text) == []


def test_same_year_signing_and_production_is_an_upper_bound():
    (d,) = durations("该项目当年签约、当年开工、当年投产。")
    assert (d.days, d.from_stage, d.to_stage) == (360, "签约", "投产")


def test_subject_is_the_project():
    (d,) = durations("新能源电池项目从签约到开工仅用时45天。")
    assert d.subject == "新能源电池项目"


def test_headline_restating_a_body_duration_is_one_fact():
    ds = durations("从签约到投产仅用8个多月 项目跑出加速度\n该项目从签约到投产仅用8个多月，比行业平均建设周期快了4个月左右。")
    assert [(d.days, d.baseline_days) for d in ds] == [(250, 370)]


def test_a_percentage_cut_is_not_a_duration():
    assert durations("审批时间较以往缩短六成，企业开办时间压缩了40%。") == []


def test_a_list_cut_by_fenbie_gives_one_duration_per_item():
    ds = durations("工业项目用水、用电、用气报装时间分别压缩至3个工作日、10个工作日、6个工作日以内。")
    assert [(d.from_stage, d.days) for d in ds] == [("工业项目用水报装", 3), ("工业项目用电报装", 10), ("工业项目用气报装", 6)]


def test_a_record_recalled_as_a_benchmark_is_not_a_duration():
    assert durations("5年前，某车企落户当地时曾创下当年开工、当年投产的纪录。") == []


@pytest.mark.parametrize(
    "text,days,to",
    [
        # time still needed (仍需/还需): a step not yet done, counted like any span
        ("一些企业反映水电气接入仍需1个月左右。", 30, None),
        ("项目设备已进场，预计还需3个月才能正式投产。", 90, "投产"),
        # a day named by its order after a step (第二天 1, 当天 0)
        ("拿地后第二天就开工了。", 1, "开工"),
        ("摘牌次日即开工建设。", 1, "开工"),
        ("拿到钥匙后第三天就开始安装设备了。", 2, "安装设备"),
        ("项目取得土地后最快当天就能拿到施工许可证。", 0, "施工许可"),
        # two papers issued the same day
        ("施工许可证是和土地证同一天拿到的。", 0, "施工许可"),
    ],
)
def test_remaining_and_ordinal_days(text, days, to):
    ds = durations(text)
    assert len(ds) == 1, [(d.days, d.baseline_days) for d in ds]
    assert ds[0].days == pytest.approx(days, abs=1e-3)
    if to:
        assert ds[0].to_stage == to


def test_a_recommended_time_is_no_duration():
    text = "三、意见建议\n建议将工业项目审批时限压缩至15个工作日以内。"
    assert durations(text) == []


# ---- stated plainly: a span then the stage reached, A到B without 从, a whole procedure, at once
@pytest.mark.parametrize(
    "text,days,frm_key,to_key",
    [
        ("某区8个工作日核发建设工程施工许可证。", 8, None, "施工许可"),
        ("推行重点项目15个工作日内拿到施工许可的承诺。", 15, None, "施工许可"),
        ("项目签约后仅用2天就完成了工商注册。", 2, "签约", "注册"),
        ("某基地与客商首轮对接到签订合同仅用9天。", 9, "洽谈", "签约"),
        # 从A到B with the stage reached after a comma
        ("从初次接洽到实地踏勘，签署投资协议只用了20天。", 20, "洽谈", "签约"),
        ("该项目从签约到拿地、开工，只用了不到2个月。", 60, "签约", "开工"),
        ("这座工厂从破土动工到首条产线投产仅用了7个月。", 210, "开工", "投产"),
        ("全过程仅用时3分钟12秒。", 0.002222, None, None),
        # a time limit set for a step
        ("某局将不动产登记办理时限压缩为5个工作日。", 5, "不动产登记", None),
        ("群众诉求的答复时限为2个工作日。", 2, None, None),
        ("不动产登记实现当场办结。", 0, "不动产登记", "审批办结"),
        ("某县工业项目从签约到开工平均45天。", 45, "签约", "开工"),
        ("一家企业实现当月拿地、当月开工。", 30, "拿地", "开工"),
        ("专班干部连续奔波12天，终于办齐了全部审批手续。", 12, None, "审批办结"),
        ("历经20天，最终拿到施工许可证。", 20, None, "施工许可"),
        # a range is its midpoint
        ("项目从交地到开工的用时压缩到2至6个工作日。", 4, "拿地", "开工"),
        ("企业从摘牌到领取施工许可证的用时从25天压缩到4至6个工作日。", 5, "拿地", "施工许可"),
    ],
)
def test_duration_stated_plainly(text, days, frm_key, to_key):
    ds = durations(text)
    assert len(ds) == 1, [(d.days, d.from_stage, d.to_stage) for d in ds]
    d = ds[0]
    assert d.days == pytest.approx(days, abs=1e-4)
    assert (d.from_stage_key, d.to_stage_key) == (frm_key, to_key)
    assert d.is_target is False


@pytest.mark.parametrize("text", ["2020年共签约产业链项目7个。", "3月5日开工建设。", "近3个月开工项目12个。",
                                  "截至9月30日 全省项目审批办结率为80%。", "力争下半年开工的项目10月底前完成审批。",
                                  "经过10年，终于成长为行业龙头。"])
def test_no_duration_in_dates_and_counts(text):
    assert durations(text) == []


def test_commitments_kept_apart_from_achievements():
    ds = durations("确保招商项目洽谈2个月内签约、标准厂房项目4个月投产；力争签约项目5个月内拿地开工、2年之内建成投产。")
    assert [(d.days, d.to_stage_key, d.is_target) for d in ds] == [
        (60, "签约", True), (120, "投产", True), (150, "开工", True), (720, "投产", True)]
    assert ds[0].stage_group == "洽谈→签约"
    # an achieved time in the next sentence is not promised
    ds = durations("力争项目2个月内签约。某项目从签约到开工仅用30天。")
    assert [(d.days, d.is_target) for d in ds] == [(60, True), (30, False)]


@pytest.mark.parametrize(
    "text,kind,ref",
    [
        ("审批时限由20个工作日压缩至5个工作日。", "own", None),
        ("从签约到开工仅用时2个多月，比某某项目用时还少1个多月。", "other", "某某项目"),
        ("工业项目从摘牌到开工平均用时缩短至28天，较改革前减少近两个月。", "own", None),
        ("一般情况下，从立项到取得施工许可证需耗时3—4个月，目前仅需20天。", "norm", None),
        ("以往从签约到开工需要6个月，现在最快只需40天。", "own", None),
        ("项目从签约到开工仅用45天。", None, None),
    ],
)
def test_baseline_kind(text, kind, ref):
    (d,) = durations(text)
    assert (d.baseline_kind, d.baseline_ref) == (kind, ref)
    assert (d.baseline_days is not None) == (kind is not None)


@pytest.mark.parametrize(
    "written,key",
    [("签订投资合作协议", "签约"), ("拿地开工", "开工"), ("首次对接洽谈", "洽谈"), ("取得施工许可证", "施工许可"),
     ("施工许可审批", "施工许可"), ("办结", "审批办结"), ("二手房不动产转移登记", "不动产登记"),
     ("挂牌出让", "拿地"), ("实地踏勘", None), ("闭环处理", None), (None, None), ("土地", "拿地"),
     ("征地拆迁补偿", None), ("抵押登记", "不动产登记")],
)
def test_stage_vocabulary(written, key):
    from etl.extractors.durations import stage_key

    assert stage_key(written) == key


@pytest.mark.parametrize(
    "frm,to,group",
    [("签约", "开工", "签约→开工"), ("企业开办", "办成", "企业开办"), (None, "施工许可", "施工许可"),
     ("企业开办", None, "企业开办"), ("两个月时间里", "闭环处理", None), ("需求", "回复", None),
     ("方案征询", "审批完成", None), (None, None, None), ("拿地", "拿地开工", "拿地→开工")],
)
def test_stage_group(frm, to, group):
    from etl.extractors.durations import stage_group

    assert stage_group(frm, to) == group


def test_a_promise_and_an_achievement_of_the_same_time_stay_two_facts():
    ds = durations("力争项目签约后2个月内开工。该项目签约后2个月内开工。")
    assert sorted(d.is_target for d in ds) == [False, True]


def test_a_place_named_only_in_a_later_clause_gives_way_to_the_place_of_the_text():
    _, facts = extract_document("发布时间：2024-07-15\n某新材料项目是柳州市重点推进的产业项目。"
                                "该项目从开工到投产仅用了7个月，是广西重大项目快速落地的缩影。", DocInfo("t"))
    assert [(f.region, f.days) for f in facts if f.kind == "duration"] == [("柳州市", 210)]


@pytest.mark.parametrize("text,start,end", [
    ("该项目2023年3月签约，从签约到开工仅用时45天。", "2023-03-01", "2023-03-31"),
    ("去年，项目从签约到开工仅用时45天。", "2023-01-01", "2023-12-31"),
    ("项目从签约到开工仅用时45天，比去年缩短一半。", None, None),  # 比去年 is a comparison: dated by the document
    ("项目从签约到开工仅用时45天。", None, None),
])
def test_duration_dated_by_its_event_where_the_text_dates_it(text, start, end):
    (d,) = durations(text)
    assert (str(d.period_start) if d.period_start else None, str(d.period_end) if d.period_end else None) == (start, end)
