"""Findings that must not stay silent (issue 11), on texts written here.

A narrative total whose listed parts do not add up, with or without 其中; the pre-2019 收到 /
办结 / 答复 counts that cannot hold together, in every value column; narrative channel counts
against the 统计表's channel rows; and two narrative statements of one count that differ, each
still compared with the table.
"""

from __future__ import annotations

import pytest

import gongkai
from gongkai.models import Fact, Meta, Report, Span
from gongkai.reconcile import reconcile

from conftest import shared
from test_reconcile import _report, _table3

REPORT_2023 = "某县某局2023年政府信息公开工作年度报告\n一、总体情况\n{body}\n"


def _messages(report: Report, code: str) -> list[str]:
    return [f.message for f in report.findings if f.code == code]


def _breakdowns(body: str) -> list[str]:
    return _messages(gongkai.parse_text(REPORT_2023.format(body=body)), "narrative_breakdown_sum")


# --- N10: a total and its listed parts ---------------------------------------------------------


@pytest.mark.parametrize("body, expected", [
    ("本局共收到政府信息公开申请20件，其中网上申请12件、信函申请5件。",
     ["“收到政府信息公开申请20件”：12+5=17 ≠ 20"]),
    ("本局共收到政府信息公开申请20件，其中网上申请12件、信函申请8件。", []),
    ("本局共收到政府信息公开申请20件，其中网上申请12件。", []),
    ("本局共收到政府信息公开申请20件，其中网上申请22件。", ["“收到政府信息公开申请20件”：22 > 20"]),
    ("本局共收到政府信息公开申请20件。从申请方式看，网上申请12件，信函申请5件。",
     ["“收到政府信息公开申请20件”：12+5=17 ≠ 20"]),
    ("本局主动公开政府信息500条，其中机构职能类100条、政策文件200条、其他150条。",
     ["“主动公开政府信息500条”：100+200+150=450 ≠ 500"]),
    ("本局主动公开政府信息500条，其中机构职能类100条、政策文件200条等。", []),
    ("本局主动公开政府信息500条，其中机构职能类300条、政策文件250条等。",
     ["“主动公开政府信息500条”：300+250=550 > 500"]),
    ("本局主动公开政府信息500条，其中通过门户网站公开300条，政务微信公开100条，其他方式公开50条。",
     ["“主动公开政府信息500条”：300+100+50=450 < 500"]),
    ("本局主动公开政府信息500条，其中通过门户网站公开500条，政务微信公开100条，其他方式公开50条。", []),
], ids=["channels-short", "channels-add-up", "one-channel-is-a-highlight", "one-channel-exceeds",
        "channels-without-qizhong", "catch-all-short", "deng-leaves-it-open", "deng-but-exceeds",
        "whole-channel-list-short", "channels-may-overlap"])
def test_listed_parts_against_their_total(body, expected):
    assert _breakdowns(body) == expected


BAOKUO = "本局主动公开政府信息500条，包括机构职能类100条、政策文件200条、工作动态150条。"


def test_a_list_announced_by_baokuo_is_whole():
    """What the facts stage gives once it links the parts after 包括 (Fact.parent): the list is the whole."""
    text = BAOKUO
    facts = [Fact(key="narrative.proactive.total", value=500, span=_span(text, "主动公开政府信息500条"),
                  surface="主动公开政府信息500条", rule_id="x")]
    for surface in ("100条", "200条", "150条"):
        facts.append(Fact(key="narrative.proactive.category", value=int(surface[:-1]), span=_span(text, surface),
                          surface=surface, rule_id="x", parent=0))
    report = Report(text=text, meta=Meta(year=2023), facts=tuple(facts))
    found = [f for f in reconcile(report) if f.code == "narrative_breakdown_sum"]
    assert [f.message for f in found] == ["“主动公开政府信息500条”：100+200+150=450 ≠ 500"]
    assert [s.of(text) for s in found[0].spans] == ["主动公开政府信息500条", "100条", "200条", "150条"]


def test_baokuo_list_end_to_end():
    assert _breakdowns(BAOKUO) == ["“主动公开政府信息500条”：100+200+150=450 ≠ 500"]


def _span(text: str, surface: str) -> Span:
    start = text.index(surface)
    return Span(start=start, end=start + len(surface))


# --- two statements of one count --------------------------------------------------------------


def test_two_statements_without_a_table_differ():
    r = gongkai.parse_text(REPORT_2023.format(body="本局收到政府信息公开申请12件。\n全年共受理政府信息公开申请15件。"))
    found = [f for f in r.findings if f.code == "narrative_statements_differ"]
    assert [f.message for f in found] == [
        "正文对“收到（受理）政府信息公开申请数”有不同说法：“收到政府信息公开申请12件”为12，“受理政府信息公开申请15件”为15"]
    assert found[0].severity == "warning"
    assert [s.of(r.text) for s in found[0].spans] == ["收到政府信息公开申请12件", "受理政府信息公开申请15件"]


def test_each_statement_is_compared_with_the_table():
    """Issue 11: the comparison was skipped when the narrative stated several counts; now each is compared."""
    facts = [("narrative.applications.received", 3, "收到申请3件"), ("narrative.applications.received", 5, "受理申请5件")]
    r = _report({"applications": _table3()}, facts)
    codes = sorted(f.code for f in reconcile(r))
    assert codes == ["narrative_statements_differ", "narrative_table_mismatch"]
    mismatch = next(f for f in reconcile(r) if f.code == "narrative_table_mismatch")
    assert mismatch.message == "N1：正文“受理申请5件”为5，表中新收总计3"


def test_both_statements_wrong_are_both_reported():
    facts = [("narrative.applications.received", 5, "收到申请5件"), ("narrative.applications.received", 6, "受理申请6件"),
             ("narrative.applications.received", 5, "共收到申请5件")]
    found = [f for f in reconcile(_report({"applications": _table3()}, facts)) if f.code == "narrative_table_mismatch"]
    assert [f.message for f in found] == ["N1：正文“收到申请5件”为5，表中新收总计3", "N1：正文“受理申请6件”为6，表中新收总计3"]
    assert len(found[0].spans) == 3  # both statements of 5, and the cell


def test_statements_that_are_readings_of_the_table_do_not_differ():
    """收到 3 件 is 新收; 受理 4 件 is 新收 3 + 上年结转 1: both hold, nothing contradicts."""
    facts = [("narrative.applications.received", 3, "收到申请3件"), ("narrative.applications.received", 4, "受理申请4件")]
    assert sorted(f.code for f in reconcile(_report({"applications": _table3()}, facts))) == ["narrative_matches_alternative"]


def test_statements_that_add_up_to_the_table_are_parts():
    facts = [("narrative.proactive.total", 303, "主动公开政府信息303条"),
             ("narrative.proactive.total", 122, "主动公开政府信息122条")]
    assert reconcile(_report({"legacy": {"legacy.proactive.total": 425}}, facts, template="pre2019", year=2011)) == []
    r = _report({"legacy": {"legacy.proactive.total": 426}}, facts, template="pre2019", year=2011)
    assert sorted(f.code for f in reconcile(r)) == ["narrative_statements_differ"] + ["narrative_table_mismatch"] * 2


def test_shanghai_kewei_outcomes_are_not_answered_counts():
    r = gongkai.parse(shared("markdown/shanghai-kewei-2024.md"))
    assert "narrative_statements_differ" not in r.codes()
    stated = {(f.key, f.value) for f in r.facts}
    assert {("narrative.applications.granted", 9), ("narrative.applications.denied", 2)} <= stated
    assert not any(f.key == "narrative.applications.answered" for f in r.facts)


# --- D9: channels in words against the 统计表 ----------------------------------------------------

NATIONAL = """某县某局2017年政府信息公开工作年度报告
一、概述
2017年，本局共收到政府信息公开申请5件，其中网上申请{online}件、信函申请{letter}件。
二、统计表
2017年度政府信息公开工作情况统计表
统计指标 单位 统计数
（一）收到申请数 件 5
1.当面申请数 件 0
2.传真申请数 件 0
3.网络申请数 件 4
4.信函申请数 件 1
"""

FUJIAN = """某县某局2016年政府信息公开工作年度报告
一、概述
2016年，本局共收到政府信息公开申请{joined}件，其中{channels}。
二、统计表
指标名称 计量单位 2016年度 历年累计
受理依申请公开信息总数 件 {joined} 9
其中：1、当面申请数 件 0 2
2、网上申请数 件 0 3
3、信函、传真申请数 件 {joined} 4
对申请的答复总数 件 3 {answered}
"""


def test_channels_against_the_national_table():
    r = gongkai.parse_text(NATIONAL.format(online=3, letter=2))
    assert _messages(r, "narrative_table_mismatch") == ["D9：正文“网上申请3件”为3，表中3.网络申请数4",
                                                       "D9：正文“信函申请2件”为2，表中4.信函申请数1"]
    assert _messages(gongkai.parse_text(NATIONAL.format(online=4, letter=1)), "narrative_table_mismatch") == []


@pytest.mark.parametrize("channels, joined, expected", [
    ("信函申请1件、传真申请1件", 3, ["D9：正文“信函申请1件、传真申请1件”为2，表中3、信函、传真申请数3"]),
    ("信函申请1件、传真申请1件", 2, []),
    ("信函申请1件", 3, []),
    ("信函申请4件", 3, ["D9：正文“信函申请4件”为4，表中3、信函、传真申请数3"]),
], ids=["joined-row-sum-short", "joined-row-sum", "one-channel-bounds", "one-channel-exceeds"])
def test_channels_against_a_joined_row(channels, joined, expected):
    text = FUJIAN.format(channels=channels, joined=joined, answered=9)
    assert _messages(gongkai.parse_text(text), "narrative_table_mismatch") == expected


def test_tables_without_channel_rows_compare_nothing():
    facts = [Fact(key="narrative.applications.channel", value=9, span=Span(start=0, end=6), surface="网上申请9件",
                  rule_id="x", subject="网上申请")]
    r = _report({"applications": _table3()})
    r = r.model_copy(update={"text": "网上申请9件" + r.text[6:], "facts": tuple(facts)})
    assert [f for f in reconcile(r) if f.code == "narrative_table_mismatch"] == []


# --- pre-2019: 收到, 办结, 答复 -----------------------------------------------------------------

STATISTICS = """某县某局2017年政府信息公开工作年度报告
2017年度政府信息公开工作情况统计表
统计指标 单位 统计数
（一）收到申请数 件 5
{closed}1.按时办结数 件 4
2.延期办结数 件 2
（三）申请答复数 件 5
"""

ROWS = {"legacy.applications.received": "（一）收到申请数", "legacy.applications.closed": "（二）申请办结数",
        "legacy.applications.closed.on_time": "1.按时办结数", "legacy.applications.closed.extended": "2.延期办结数",
        "legacy.applications.answered": "（三）申请答复数"}


def _legacy(cells: dict, facts=(), year=2017) -> list:
    return reconcile(_report({"legacy": cells}, list(facts), template="pre2019", year=year, rows=ROWS))


def test_closed_row_not_printed_counts_its_parts():
    r = gongkai.parse_text(STATISTICS.format(closed=""))
    assert _messages(r, "legacy_answered_exceeds_received") == ["1.按时办结数4+2.延期办结数2=6 > （一）收到申请数5"]
    printed = gongkai.parse_text(STATISTICS.format(closed="（二）申请办结数 件 6\n"))
    assert _messages(printed, "legacy_answered_exceeds_received") == ["（二）申请办结数6 > （一）收到申请数5"]


def test_blank_closed_row_counts_its_parts():
    cells = {"legacy.applications.received": 5, "legacy.applications.closed": None,
             "legacy.applications.closed.on_time": 4, "legacy.applications.closed.extended": 2}
    found = [f for f in _legacy(cells) if f.code == "legacy_answered_exceeds_received"]
    assert [f.message for f in found] == ["（二）申请办结数空（1.按时办结数4+2.延期办结数2=6） > （一）收到申请数5"]
    assert found[0].severity == "warning"
    cells["legacy.applications.closed.extended"] = 1
    assert [f for f in _legacy(cells) if f.code == "legacy_answered_exceeds_received"] == []


def test_answered_under_a_blank_received_is_not_assessable():
    found = _legacy({"legacy.applications.received": None, "legacy.applications.answered": 3})
    assert [(f.code, f.keys) for f in found] == [("not_assessable", ("legacy.applications.received",))]
    assert "legacy_answered_exceeds_received" in found[0].message


def test_cumulative_column_is_checked_too():
    r = gongkai.parse_text(FUJIAN.format(channels="信函申请3件", joined=3, answered=11))
    assert _messages(r, "legacy_answered_exceeds_received") == [
        "对申请的答复总数（历年累计）11 > 受理依申请公开信息总数（历年累计）9"]
    broken = FUJIAN.replace("件 {joined} 4", "件 {joined} 5")
    r = gongkai.parse_text(broken.format(channels="信函申请3件", joined=3, answered=9))
    assert _messages(r, "legacy_sum_mismatch") == [
        "其中：1、当面申请数（历年累计）2+2、网上申请数（历年累计）3+3、信函、传真申请数（历年累计）5=10 ≠ "
        "受理依申请公开信息总数（历年累计）9"]


@pytest.mark.parametrize("closed, answered, rate, expected", [
    (19, 20, "办结率100%", ["正文“办结率100%”，但（二）申请办结数19/（一）收到申请数20=95%"]),
    (19, 20, "办结率95%", []),
    (20, 19, "办结率100%", []),  # 办结, not 答复, is what the rate counts
    (None, 19, "办结率100%", ["正文“办结率100%”，但（三）申请答复数19/（一）收到申请数20=95%"]),
], ids=["100-but-19-of-20", "95-of-20", "100-of-20", "answered-stands-in"])
def test_completion_rate_is_closed_over_received(closed, answered, rate, expected):
    cells = {"legacy.applications.received": 20, "legacy.applications.answered": answered}
    if closed is not None:
        cells["legacy.applications.closed"] = closed
    facts = [("narrative.applications.completion_rate", 100 if "100" in rate else 95, rate, "general", None, None, "%")]
    assert [f.message for f in _legacy(cells, facts) if f.code == "completion_rate_mismatch"] == expected


def test_completion_rate_against_answered_in_a_fujian_table():
    r = gongkai.parse_text(FUJIAN.format(channels="信函申请3件", joined=3, answered=9)
                           .replace("对申请的答复总数 件 3", "对申请的答复总数 件 2")
                           .replace("。\n二、", "，办结率100%。\n二、"))
    assert _messages(r, "completion_rate_mismatch") == [
        "正文“办结率100%”，但对申请的答复总数2/受理依申请公开信息总数3=66.67%"]
