"""Narrative facts (issue 4): real sentences from the seeds and the huaian PDFs, the must-not-match
list, the overlap policy, 其中 parents, negations, histories, spans over the whole corpus."""

import subprocess
import sys

import pytest

import gongkai
from gongkai.facts import Candidate, NarrativeRule, find, read_number, resolve_overlaps

from conftest import SEEDS, shared_files


def _pairs(text, year=None):
    return [(f.key.removeprefix("narrative."), f.value) for f in find(text, year)]


# --- real sentences, by provenance ------------------------------------------------------------

REAL = {
    # seed 000 (济宁市投资促进局 2023)
    "000-proactive": ("2023年，主动公开政府信息数206条。其中，通过市政府信息公开平台主动公开信息51条；"
                      "通过市投资促进局网站公开信息57条；政务微信公开信息46条；其他方式公开信息数52条。",
                      [("proactive.total", 206), ("proactive.channel.platform", 51), ("proactive.channel.website", 57),
                       ("proactive.channel.wechat", 46), ("proactive.channel.other", 52)]),
    "000-press": ("通过不同渠道和方式回应解读，参加新闻发布会2次、政策解读稿件发布数1篇。",
                  [("press_conferences", 2), ("policy_interpretations", 1)]),
    "000-npc": ("2023年,市投资促进局共承办市级人大代表建议3件，政协提案11件，均按期办结",
                [("npc_suggestions", 3), ("cppcc_proposals", 11)]),
    "000-training": ("组织单位全体人员开展信息公开工作培训会1次，", [("trainings", 1)]),
    "000-no-fee": ("我局2023年未收到信息公开申请事项，也无收费情况。",
                   [("applications.received", 0), ("fees.collected", 0)]),
    # seed 001 (周村区投资促进中心 2023)
    "001-proposals": ("2023年度未收到人大代表建议提案,收到一条关于《关于加强“后疫情时代”招商引资工作的建议》的政协提案，",
                      [("npc_suggestions", 0), ("cppcc_proposals", 0), ("cppcc_proposals", 1)]),
    "001-none": ("2023年度我中心未接到依申请公开政府信息。", [("applications.received", 0)]),
    "001-free": ("（一）本单位依申请提供政府信息，不收取任何费用。", [("fees.collected", 0)]),
    "001-website-proposal": ("通过周村区政府门户网站公开区政协委员提案1件。", [("cppcc_proposals", 1)]),
    # seed 002 (汶上县投资促进服务中心 2024)
    "002-staff": ("共三名工作人员（全职/兼职）被明确指派", [("staff.total", 3)]),
    "002-no-fee": ("（一）依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费;", [("fees.collected", 0)]),
    # seed 004 (兖州区工业和信息化局 2023)
    "004-website": ("区工信局全年通过区政府门户网站公开发布信息 114 条,网站工作动态信息栏目保证每 2 周至少更新一次；",
                    [("proactive.channel.website", 114)]),
    # huaian PDFs (pdfplumber text, line wraps as extracted)
    "hongze-2023-wrap": ("2023 年，我区在政\n府网站平台主动公开政府信息 1136 条。", [("proactive.total", 1136)]),
    "hongze-2024-applications": ("2024 年，区政府办代表区政府受理政府\n信息公开申请 17 件，均已在法定期限内予以答复。",
                                 [("applications.received", 17)]),
    "shi-2024-fee": ("全年收取政府信息公开信息处理费 3940 元。", [("fees.collected", 3940)]),
    "shi-2024-approx": ("2024 年，市政府网站主动公开各类政\n府信息 5500 余条，", [("proactive.total", 5500)]),
}


@pytest.mark.parametrize("name", REAL)
def test_real_sentence(name):
    text, expected = REAL[name]
    assert sorted(_pairs(text)) == sorted(expected)


def test_approximate_forms():
    found = {f.surface: (f.value, f.approximate) for f in find("微信公开政府信息数500多条；发布招商动态60余条；约300人次；近百条；三十余篇")}
    assert found == {"微信公开政府信息数500多条": (500, True), "60余条": (60, True), "约300人次": (300, True),
                     "近百条": (100, True), "三十余篇": (30, True)}


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("206", 206), ("1,136", 1136), ("1.2万", 12000), ("一", 1), ("两", 2), ("十一", 11), ("三十", 30), ("百", 100),
     ("7730.28", 7730.28)],
)
def test_read_number(numeral, value):
    assert read_number(numeral) == value


def test_full_width_digits_keep_their_span():
    text = "本年度主动公开政府信息２０６条。"
    (fact,) = find(text)
    assert (fact.value, fact.surface) == (206, "主动公开政府信息２０６条")


def test_every_match_not_only_the_first():
    text = "人大代表建议6件。另承办人大代表建议2件。"
    assert _pairs(text) == [("npc_suggestions", 6), ("npc_suggestions", 2)]


def test_category_keeps_its_percentage_and_parent():
    facts = find("主动公开政府信息63条。其中，招商引资信息29条，占总量的46%；政务动态24条，占总量的38%。参加培训会1次。")
    assert [(f.key, f.value, f.percent, f.parent, f.subject) for f in facts] == [
        ("narrative.proactive.total", 63, None, None, ""),
        ("narrative.proactive.category", 29, 46.0, 0, "招商引资信息"),
        ("narrative.proactive.category", 24, 38.0, 0, "政务动态"),
        ("narrative.trainings", 1, None, None, ""),
    ]


def test_of_which_children_and_a_second_total():
    text = ("政府信息公开行政复议 351 件，其中结果维持 72 件，结果纠正 64 件；"
            "政府信息公开行政诉讼 46 件，其中结果维持 25 件，尚未审结 7 件。")
    facts = find(text)
    assert [(f.key, f.value, f.parent) for f in facts] == [
        ("narrative.review.total", 351, None), ("narrative.review.upheld", 72, 0), ("narrative.review.corrected", 64, 0),
        ("narrative.litigation.total", 46, None), ("narrative.litigation.upheld", 25, 3),
        ("narrative.litigation.pending", 7, 3),
    ]


def test_a_history_is_not_the_report_year():
    text = "2022年，我局受理政府信息公开申请1件；2023年，我局受理政府信息公开申请3件。"
    assert _pairs(text, year=2023) == [("applications.received", 3)]
    assert _pairs(text) == [("applications.received", 1), ("applications.received", 3)]


def test_seed_000_history_table_gives_no_fact():
    report = gongkai.parse(SEEDS[0])
    history = report.text.index("近三年收到及办理依申请公开情况")
    table_end = report.text.index("（三）政府信息管理情况")
    assert not [f for f in report.facts if history <= f.span.start < table_end]


def test_no_fact_inside_a_statistical_table():
    tables = 0
    for path in SEEDS:
        report = gongkai.parse(path)
        tables += any(s.kind == "statistics" for s in report.sections)
        for f in report.facts:
            section = next(s for s in report.sections if s.span.start <= f.span.start < s.span.end)
            assert section.kind != "statistics", (path.name, f)
            assert "\t" not in report.text[f.span.start : f.span.end]
    assert tables == 1  # seed 003's 统计指标/单位/统计数 table: the check is not vacuous


# --- the must-not-match list of issue 4 -------------------------------------------------------

MUST_NOT_MATCH = ["一是", "第二十条第（一）项", "2023年", "2023年1月1日", "0537-3233388", "国办公开办函〔2021〕30号",
                  "F0421室", "九州中路 88 号", "十四五", "三级审核制度", "“三安全一稳定”"]


@pytest.mark.parametrize("text", MUST_NOT_MATCH)
def test_must_not_match_alone(text):
    assert find(text, 2023) == ()


@pytest.mark.parametrize("text", MUST_NOT_MATCH)
def test_must_not_match_inside_a_sentence(text):
    sentence = f"本机关在{text}的要求下，坚持信息公开，加强审核。"
    assert find(sentence, 2023) == ()


@pytest.mark.parametrize(
    "text",
    ["从以下三个方面进行改进", "在省办 2024 年四个季度政务新媒体检查抽查中", "增强“四个意识”、坚定“四个自信”",
     "根据《关于印发若干措施20条的通知》要求", "一个平台、一次办好"],
)
def test_figures_of_speech_and_names_are_not_counts(text):
    assert find(text, 2024) == ()


# --- overlap policy -----------------------------------------------------------------------------


def _cand(rule_id, start, end, priority=0):
    rule = NarrativeRule(id=f"narrative.t.{rule_id}", key="narrative.t", pattern="x", priority=priority, value=0,
                         examples=[["x", 0]], counterexamples=["y"])
    return Candidate(rule, start, end, 0, "", False)


def test_overlap_policy_priority_then_length_then_start():
    high = _cand("high", 5, 8, priority=10)
    long_ = _cand("long", 0, 10)
    assert resolve_overlaps([long_, high]) == [high]  # priority beats length
    short = _cand("short", 2, 6)
    assert resolve_overlaps([short, long_]) == [long_]  # then the longer match
    first, second = _cand("first", 0, 4), _cand("second", 2, 6)
    assert resolve_overlaps([second, first]) == [first]  # then the earlier start
    apart = _cand("apart", 20, 24)
    assert resolve_overlaps([apart, first]) == [first, apart]  # text order, no overlap: both


def test_subject_rule_beats_the_channel_it_was_published_on():
    assert _pairs("通过周村区政府门户网站公开区政协委员提案1件") == [("cppcc_proposals", 1)]


# --- whole corpus -------------------------------------------------------------------------------


def _corpus_reports():
    paths = list(SEEDS) + [p for p in shared_files() if p.suffix == ".txt"]
    return [pytest.param(p, id=p.name) for p in paths]


@pytest.mark.parametrize("path", _corpus_reports())
def test_fact_spans_point_at_their_surface(path):
    report = gongkai.parse(path)
    assert report.facts, "every corpus report states some counts in its text"
    for f in report.facts:
        assert report.text[f.span.start : f.span.end] == f.surface
        assert f.parent is None or report.facts[f.parent].span.start < f.span.start


def test_other_facts_carry_a_subject():
    report = gongkai.parse(SEEDS[3])
    others = [f for f in report.facts if f.key == "narrative.other"]
    assert len(others) == 19
    assert {"市政府文件", "公职培训", "财务信息"} <= {f.subject for f in others}


def test_import_gongkai_does_not_import_jieba():
    code = "import sys, gongkai; print('jieba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_known_counts_do_not_import_jieba():
    code = ("import sys; from gongkai.facts import find; "
            "find('主动公开政府信息63条，未收取信息处理费'); print('jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_explain_shows_rule_and_highlighted_line():
    from click.testing import CliRunner

    from gongkai.cli import main

    result = CliRunner().invoke(main, ["explain", str(SEEDS[2])])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("#0 narrative.proactive.total = 63") and "[narrative.proactive.total]" in lines[0]
    assert "服务中心[主动公开政府信息63条]。其中" in lines[1]
    assert "[narrative.proactive.category.percent]" in result.output and "46.0%" in result.output


# --- several counts of one key (平潭 2011/2014, 河北 2022/2023 sentences) ------------------------


def _facts_of(narrative: str) -> list[tuple[str, float]]:
    text = "某区2011年政府信息公开工作年度报告\n一、概述\n" + narrative + "\n"
    return [(f.key, f.value) for f in gongkai.parse_text(text).facts]


def test_counts_adding_up_to_a_total_are_its_parts():
    got = _facts_of("2011年制作、获取政府信息总数1873条，其中主动公开政府信息425条，作为依申请公开信息数46条。"
                    "主动公开的政府信息，区直、县直各单位主动公开政府信息303条，占71.3%。各乡镇主动公开政府信息122条，占28.7%。")
    assert [v for k, v in got if k == "narrative.proactive.total"] == [425]
    assert ("narrative.other", 303) in got and ("narrative.other", 122) in got
    assert not any(k.startswith("narrative.applications") for k, _ in got)  # 作为依申请公开信息 is no application


def test_a_fallback_rule_yields_to_a_fuller_statement():
    got = _facts_of("2011年主动公开政府信息425条。在互联网上，2011年区管委会、县政府公开办主动公开信息数为62条。")
    assert [v for k, v in got if k == "narrative.proactive.total"] == [425]
    assert ("narrative.other", 62) in got
    assert _facts_of("主动公开信息22条，包括机关职能。") == [("narrative.proactive.total", 22)]


def test_kinds_listed_after_a_lead_or_under_a_website_count_are_categories():
    got = _facts_of("2011年，我区各工作部门主动公开政府信息的主要类别有：机构职能类信息594条，政策、规范性文件类信息281条。")
    assert [(k, v) for k, v in got if k == "narrative.proactive.category"] == [
        ("narrative.proactive.category", 594), ("narrative.proactive.category", 281)]
    got = _facts_of("全年通过门户网站主动公开政务信息664件。其中，文件类47件，公示公告85个，其他事项520个。")
    assert got[0] == ("narrative.proactive.channel.website", 664)
    assert [v for k, v in got if k == "narrative.proactive.category"] == [47, 85, 520]


def test_weibo_and_wechat_together_are_new_media():
    got = _facts_of("“河北工信”政务微博、微信公众号全年发布信息2772篇。")
    assert got == [("narrative.proactive.channel.new_media", 2772)]


def test_shares_mark_the_parts_of_a_total_and_their_errors():
    """平潭 2012 (real): 1913条。其中…1397条，占73%。…534条，占27%: the shares make 1397 and 534
    parts of 1913, and the report's own arithmetic is off (1397+534=1931; 534/1913=27.9%)."""
    text = ("某区2012年政府信息公开工作年度报告\n一、概述\n2012年主动公开政府信息1913条。其中，区直、县直各单位主动公开政府信息"
            "1397条，占73%。各乡镇主动公开政府信息534条，占27%。\n")
    report = gongkai.parse_text(text)
    parts = [f for f in report.facts if f.key == "narrative.other" and f.unit == "条"]
    assert [(f.value, f.percent, f.parent) for f in parts] == [(1397, 73, 0), (534, 27, 0)]
    messages = {f.code: f.message for f in report.findings}
    assert messages["narrative_breakdown_sum"].endswith("1397+534=1931 ≠ 1913")
    assert "534/1913=27.91%" in messages["percent_mismatch"]


# --- issue 12: the guards read a text once, whatever its length ---------------------------------


class _Counting:
    """A compiled pattern that adds up the characters each search is given to scan."""

    def __init__(self, pattern, tally):
        self.pattern, self.tally = pattern, tally

    def finditer(self, text, pos=0, endpos=None):
        self.tally["calls"] += 1
        self.tally["chars"] += (len(text) if endpos is None else min(endpos, len(text))) - pos
        return self.pattern.finditer(text, pos, len(text) if endpos is None else endpos)


def _guard_cost(monkeypatch, text):
    import dataclasses

    from gongkai import facts as stage

    real = stage.catalogue()
    tally = {"calls": 0, "chars": 0}
    counted = dataclasses.replace(real, **{n: _Counting(getattr(real, n), tally) for n in ("name", "year", "clause_end")})
    monkeypatch.setattr(stage, "catalogue", lambda: counted)
    found = stage.candidates(text, 2023)
    monkeypatch.undo()
    return tally, len(found)


def test_issue12_guards_cost_is_linear_in_the_text(monkeypatch):
    """Each guard pattern scans the text once per region: characters scanned grow 1×, 2×, 4×
    with the text, never with (candidates × text), and the number of scans stays the same."""
    paragraph = ("坚持“公开为常态。2022年，我局受理政府信息公开申请1件；依据《条例》第二十条，"
                 "围绕“三安全一稳定”，2023年主动公开政府信息206条，其中政策文件12件。")
    costs = {k: _guard_cost(monkeypatch, paragraph * k) for k in (1, 2, 4)}
    assert costs[1][1] > 0 and costs[4][1] == 4 * costs[1][1]  # the same counts, k times over
    assert {tally["calls"] for tally, _ in costs.values()} == {3}
    assert [tally["chars"] for tally, _ in costs.values()] == [k * costs[1][0]["chars"] for k in (1, 2, 4)]
    assert costs[1][0]["chars"] == 3 * len(paragraph)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("坚持“公开为常态、不公开为例外原则。全年主动公开政府信息45条。", [("proactive.total", 45)], id="open-quote"),
        pytest.param("贯彻落实《条例要求。全年受理政府信息公开申请3件。", [("applications.received", 3)], id="open-title"),
        pytest.param("围绕“三安全一稳定”，主动公开政府信息45条。", [("proactive.total", 45)], id="closed-quote"),
        pytest.param("根据2019年5月15日起施行的《条例》，本年度主动公开政府信息45条。", [("proactive.total", 45)],
                     id="law-date"),
        pytest.param("按照《2021年政务公开工作要点》（国办发〔2021〕8号），全年主动公开政府信息45条。",
                     [("proactive.total", 45)], id="year-in-title"),
        pytest.param("自2019年新修订的《条例》施行以来，本年度受理政府信息公开申请3件。", [("applications.received", 3)],
                     id="amended"),
    ],
)
def test_issue11_dates_names_and_stray_marks_block_no_count(text, expected):
    assert _pairs(text, year=2023) == expected


# --- issue 11: the counts reconciliation rests on ----------------------------------------------


def test_issue11_a_negation_names_only_its_own_noun():
    assert _pairs("2023年未收到人大代表建议，收到政协提案1件。") == [("npc_suggestions", 0), ("cppcc_proposals", 1)]
    assert _pairs("未发生行政复议，发生行政诉讼1件。") == [("review.total", 0), ("litigation.total", 1)]
    assert sorted(_pairs("本年度未承办人大代表建议和政协提案。")) == [("cppcc_proposals", 0), ("npc_suggestions", 0)]


def test_issue11_a_channel_count_is_never_the_total():
    assert _pairs("通过门户网站主动公开政府信息120条，通过政务微信主动公开政府信息45条。") == [
        ("proactive.channel.website", 120), ("proactive.channel.wechat", 45)]
    assert _pairs("全年通过门户网站主动公开政务信息664件。") == [("proactive.channel.website", 664)]
    # one site as the place the whole year was published, or a list of channels: the total
    assert _pairs("我区在政府网站平台主动公开政府信息1136条。") == [("proactive.total", 1136)]
    assert _pairs("通过门户网站、政务微信等渠道主动公开政府信息412条。") == [("proactive.total", 412)]


@pytest.mark.parametrize(
    ("narrative", "total", "other"),
    [
        pytest.param("全年共发布各类信息5,210条，其中主动公开政府信息4,876条。", 4876, 5210, id="published-wider"),
        pytest.param("本年度主动公开政府信息206条，截至年底累计主动公开政府信息23,456条。", 206, 23456, id="since-inception"),
    ],
)
def test_issue11_a_weaker_statement_yields_to_the_years_total(narrative, total, other):
    got = _facts_of(narrative)
    assert [v for k, v in got if k == "narrative.proactive.total"] == [total]
    assert ("narrative.other", other) in got


def test_issue11_a_weaker_statement_alone_is_the_total():
    assert [v for k, v in _facts_of("全年共发布各类信息3,076条。") if k == "narrative.proactive.total"] == [3076]
    assert [v for k, v in _facts_of("截至年底累计主动公开政府信息500条。") if k == "narrative.proactive.total"] == [500]


@pytest.mark.parametrize("sentence", [
    "依据《条例》第二十条规定，本局全年主动公开政府信息206条。",
    "按照《中华人民共和国政府信息公开条例》第二十条要求，全年主动公开政府信息206条。",
    "对照条例第二十条梳理公开目录，全年主动公开政府信息206条。",
])
def test_a_sentence_citing_article_20_does_not_start_table_2(sentence):
    """Table 二 starts at its header (第二十条第（一）项, 信息内容); a sentence of section 二 that
    cites 第二十条 before the table stays narrative and its count is read."""
    text = SEEDS[0].read_text(encoding="utf-8")
    heading = "2、 主动公开政府信息情况\n"
    at = text.index(heading) + len(heading)
    report = gongkai.parse_text(text[:at] + sentence + "\n" + text[at:])
    section = report.section("proactive")
    stated = [f for f in report.facts if f.key == "narrative.proactive.total"
              and section.span.start <= f.span.start < section.span.end]
    assert [f.value for f in stated] == [206]
    assert report.values() == gongkai.parse_text(text).values()
