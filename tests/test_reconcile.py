"""Reconciliation (issue 5): synthetic Reports with hand-computed expectations, then the seeds.

Synthetic tables are built cell by cell (``_report``), so each check is tested on its own
whatever the tables stage reads; the text holds each cell's surface so spans can be checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gongkai
from gongkai.models import Cell, Fact, Meta, Report, Span, Table
from gongkai.reconcile import CHECKS, reconcile, reconcile_series

from conftest import SEEDS

COLUMNS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
ROWS_2021 = (
    "new", "carried_over", "granted", "partial",
    *(f"denied.{d}" for d in ("state_secret", "prohibited", "security", "third_party", "internal", "process",
                              "enforcement_file", "query")),
    *(f"unable.{u}" for u in ("not_held", "needs_creation", "unclear")),
    *(f"not_processed.{n}" for n in ("petition", "repeated", "publication", "excessive", "reconfirm")),
    *(f"other.{o}" for o in ("no_correction", "unpaid_fee", "other")),
    "closed", "carried_forward",
)


CARRY_NOTE = "另有1件顺延至下年度答复。"  # _table3 carries one application forward (R3.6)


def _report(tables: dict[str, dict[str, object]], facts: list[tuple[str, float, str]] = (), *, year=2023,
            template="2021", title=None, period=None, text_extra=CARRY_NOTE, rows: dict[str, str] | None = None) -> Report:
    """A Report whose text is every cell's raw surface then every fact's surface, spans filled in."""
    text = text_extra
    built = []
    for kind, cells in tables.items():
        out = []
        for key, value in cells.items():
            raw = "" if value is None else str(value)
            span = None
            if raw:
                text += " "
                span = Span(start=len(text), end=len(text) + len(raw))
                text += raw
            number = value if isinstance(value, (int, float)) or value is None else None
            out.append(Cell(key=key, value=number, raw=raw, span=span, row=(rows or {}).get(key, "")))
        built.append(Table(kind=kind, template=template, cells=tuple(out)))
    fact_models = []
    for key, value, surface, *rest in facts:
        text += "。"
        fact_models.append(Fact(key=key, value=value, span=Span(start=len(text), end=len(text) + len(surface)),
                                surface=surface, rule_id=key, section=(rest[0] if rest else "general"),
                                parent=(rest[1] if len(rest) > 1 else None),
                                percent=(rest[2] if len(rest) > 2 else None),
                                unit=(rest[3] if len(rest) > 3 else "")))
        text += surface
    start, end = period or (None, None)
    meta = Meta(agency="某局", year=year, template=template, title=title, period_start=start, period_end=end)
    return Report(text=text, meta=meta, tables=tuple(built), facts=tuple(fact_models))


def _table3(**overrides) -> dict[str, object]:
    """A consistent 2021 table 3: 3 new natural + 1 carried, 2 granted, 1 not_held, 1 carried forward."""
    cells = {f"applications.{r}.{c}": 0 for r in ROWS_2021 for c in COLUMNS}
    for key, value in {"new.natural": 3, "new.total": 3, "carried_over.natural": 1, "carried_over.total": 1,
                       "granted.natural": 2, "granted.total": 2, "unable.not_held.natural": 1,
                       "unable.not_held.total": 1, "closed.natural": 3, "closed.total": 3,
                       "carried_forward.natural": 1, "carried_forward.total": 1}.items():
        cells[f"applications.{key}"] = value
    cells.update({f"applications.{k}": v for k, v in overrides.items()})
    return cells


def _table4(values: list[int | None]) -> dict[str, object]:
    keys = [f"{g}.{p}" for g in ("review", "litigation.direct", "litigation.after_review")
            for p in ("upheld", "corrected", "other", "pending", "total")]
    return dict(zip(keys, values))


def _codes(report: Report) -> list[str]:
    return sorted(f.code for f in reconcile(report))


def _only(report: Report, code: str):
    found = [f for f in reconcile(report) if f.code == code]
    assert len(found) == 1, [f.message for f in reconcile(report)]
    return found[0]


# --- table 4 -------------------------------------------------------------------------------


def test_hongze_2023_table4_review_total_shows_the_arithmetic():
    """洪泽 2023 (real report): 维持10 纠正1 其他0 尚未审结0, 总计 printed 0."""
    r = _report({"review": _table4([10, 1, 0, 0, 0] + [0] * 10)})
    f = _only(r, "table4_review_total")
    assert f.severity == "error"
    assert f.message == "行政复议：维持10+纠正1+其他0+尚未审结0=11 ≠ 总计0"
    assert f.keys == ("review.upheld", "review.corrected", "review.other", "review.pending", "review.total")
    assert [s.of(r.text) for s in f.spans] == ["10", "1", "0", "0", "0"]


@pytest.mark.parametrize("values, code", [
    ([0] * 5 + [2, 0, 0, 1, 2] + [0] * 5, "table4_direct_total"),
    ([0] * 10 + [1, 1, 0, 0, 3], "table4_after_review_total"),
], ids=["direct", "after_review"])
def test_table4_litigation_groups(values, code):
    assert _codes(_report({"review": _table4(values)})) == [code]


def test_table4_consistent_gives_nothing():
    assert _codes(_report({"review": _table4([1, 1, 0, 1, 3] + [0] * 10)})) == []


def test_blank_table4_is_one_not_assessable_per_check():
    findings = reconcile(_report({"review": _table4([None] * 15)}))
    assert sorted(f.code for f in findings) == ["cell_blank"] + ["not_assessable"] * 3
    blank = next(f for f in findings if f.code == "cell_blank")
    assert blank.severity == "warning" and len(blank.keys) == 15 and "15" in blank.message
    review = next(f for f in findings if "table4_review_total" in f.message)
    assert review.severity == "info" and len(review.keys) == 5


# --- table 3 -------------------------------------------------------------------------------


def test_consistent_table3_gives_nothing():
    assert _codes(_report({"applications": _table3()})) == []


def test_table3_balance_per_column():
    r = _report({"applications": _table3(**{"new.total": 4, "new.commercial": 1, "closed.total": 3})})
    # new.commercial=1 breaks the commercial balance and result sum? no: closed.commercial 0, carried 0
    codes = _codes(r)
    assert codes.count("table3_balance") == 2  # commercial 1+0 ≠ 0+0; total 4+1 ≠ 3+1
    f = next(f for f in reconcile(r) if f.code == "table3_balance" and f.message.startswith("总计"))
    assert f.message == "总计：新收4+上年结转1=5 ≠ （七）总计3+结转下年度1=4"


def test_table3_result_sum_counts_leaves_not_group_labels():
    r = _report({"applications": _table3(**{"closed.total": 4, "closed.natural": 4, "carried_forward.natural": 0,
                                            "carried_forward.total": 0})})
    found = [f for f in reconcile(r) if f.code == "table3_result_sum"]
    assert len(found) == 2  # the 自然人 and the 总计 column
    f = found[0]
    assert f.message.startswith("自然人：予以公开2+部分公开0+国家秘密0")
    assert f.message.endswith("=3 ≠ （七）总计4")


def test_table3_row_sum():
    r = _report({"applications": _table3(**{"granted.total": 5, "closed.total": 6})})
    # granted.total 5 ≠ 2 (row sum); closed.total 6 ≠ 3 (row sum); total column: result sum 5+1=6 ok; balance 3+1 ≠ 6+1
    codes = _codes(r)
    assert codes.count("table3_row_sum") == 2 and codes.count("table3_balance") == 1
    f = next(f for f in reconcile(r) if f.code == "table3_row_sum" and f.message.startswith("予以公开"))
    assert f.message == "予以公开：自然人2+商业企业0+科研机构0+社会公益组织0+法律服务机构0+其他组织0=2 ≠ 总计5"


def test_table3_2019_uses_other_total():
    cells = {k: v for k, v in _table3().items() if ".other." not in k}
    cells.update({f"applications.other.total.{c}": 0 for c in COLUMNS})
    cells["applications.other.total.natural"] = 1
    cells["applications.other.total.total"] = 1
    r = _report({"applications": cells}, template="2019", year=2020)
    assert sorted(set(_codes(r))) == ["table3_result_sum"]  # natural and total now sum to 4 ≠ 3


def test_table3_blank_cell_is_not_assessable_not_zero():
    r = _report({"applications": _table3(**{"new.total": None})})
    findings = [f for f in reconcile(r) if f.code != "cell_blank"]
    assert [f.code for f in findings] == ["not_assessable", "not_assessable"]
    assert all(f.keys == ("applications.new.total",) for f in findings)


def test_table3_bounds_when_balance_not_assessable():
    r = _report({"applications": _table3(**{"carried_forward.natural": None, "closed.natural": 5,
                                            "granted.natural": 4})})
    assert "table3_bounds" in _codes(r)


def test_negative_count_is_a_domain_error():
    r = _report({"applications": _table3(**{"partial.legal": -1, "partial.total": -1, "granted.total": 3,
                                            "granted.legal": 1})})
    found = [f for f in reconcile(r) if f.code == "cell_domain"]
    assert [f.keys for f in found] == [("applications.partial.legal",), ("applications.partial.total",)]
    assert found[0].message == "部分公开法律服务机构为-1：应为非负整数"


def test_table_identities_are_the_templates(monkeypatch, tmp_path):
    """The table checks walk the identities a rule file declares: drop R3.3 from it, and its finding goes."""
    r = _report({"applications": _table3(**{"granted.total": 5, "closed.total": 6})})
    assert "table3_row_sum" in _codes(r)
    text = (Path(gongkai.__file__).parent / "rules" / "table_2021.toml").read_text(encoding="utf-8")
    block = text.index('[[tables.applications.identities]]\ncode = "table3_row_sum"')
    text = text[:block] + text[text.index("\n\n", block) + 2:]
    (tmp_path / "table_2021.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("GONGKAI_RULES_PATH", str(tmp_path))
    assert "table3_row_sum" not in _codes(r) and "table3_balance" in _codes(r)


# --- table 2 -------------------------------------------------------------------------------


def test_table2_in_force_below_issued_minus_repealed():
    r = _report({"proactive": {"proactive.regulations.issued": 5, "proactive.regulations.repealed": 1,
                               "proactive.regulations.in_force": 3}})
    assert _only(r, "table2_in_force").message == "规章：现行有效3+废止1=4 < 制发5"


def test_table2_fee_in_yuan_and_fraction_amount_allowed():
    r = _report({"proactive": {"proactive.fees.amount": "1200元"}})
    assert _codes(r) == ["unit_suspect"]
    assert _codes(_report({"proactive": {"proactive.fees.amount": 0.35}})) == []


def test_table2_2019_published_exceeds_made():
    r = _report({"proactive": {"proactive.normative_documents.made": 2, "proactive.normative_documents.published": 3,
                               "proactive.normative_documents.total_published": 10,
                               "proactive.licensing.change": -2}}, template="2019", year=2020)
    assert _codes(r) == ["table2_published"]  # a negative 增/减 is allowed


# --- pre-2019 -----------------------------------------------------------------------------


LEGACY_ROWS = {"legacy.response.channel": "（二）通过不同渠道和方式回应解读的情况",
               "legacy.response.online_interviews": "2.政府网站在线访谈次数",
               "legacy.response.online_interviews_by_heads": "其中：主要负责同志参加政府网站在线访谈次数",
               "legacy.response.interpretations": "3.政策解读稿件发布数"}


def test_legacy_sum_short_and_child_without_parent():
    cells = {"legacy.response.channel": 4, "legacy.response.press_conferences": None,
             "legacy.response.online_interviews": None, "legacy.response.online_interviews_by_heads": 1,
             "legacy.response.interpretations": 3, "legacy.response.weibo_wechat": None}
    r = _report({"legacy": cells}, template="pre2019", year=2018, rows=LEGACY_ROWS)
    assert _codes(r) == ["legacy_child_without_parent", "legacy_sum_short"]
    short = _only(r, "legacy_sum_short")
    assert short.message.startswith("3.政策解读稿件发布数3 ≠ （二）通过不同渠道和方式回应解读的情况4")
    assert "则为4" in short.message  # the 其中 row explains the difference


def test_legacy_partition_all_printed_is_an_error():
    cells = {"legacy.applications.closed": 5, "legacy.applications.closed.on_time": 3,
             "legacy.applications.closed.extended": 1}
    r = _report({"legacy": cells}, template="pre2019", year=2015)
    assert _only(r, "legacy_sum_mismatch").severity == "error"


def test_legacy_blank_children_with_matching_printed_sum_pass():
    cells = {"legacy.org.staff": 2, "legacy.org.staff.full_time": None, "legacy.org.staff.part_time": 2}
    assert _codes(_report({"legacy": cells}, template="pre2019", year=2018)) == []


def test_legacy_channel_above_distinct_total():
    cells = {"legacy.proactive.total": 92, "legacy.proactive.channel.website": 262}
    assert _codes(_report({"legacy": cells}, template="pre2019", year=2018)) == ["legacy_channel_exceeds_total"]


def test_legacy_cumulative_below_year():
    cells = {"legacy.proactive.total": 50, "legacy.proactive.total.cumulative": 40}
    assert _codes(_report({"legacy": cells}, template="pre2019", year=2015)) == ["legacy_cumulative_below_year"]


# --- narrative against tables -----------------------------------------------------------


def test_no_applications_contradicted_by_table():
    r = _report({"applications": _table3()}, [("narrative.applications.received", 0, "未收到政府信息公开申请")])
    f = _only(r, "no_applications_contradicted")
    assert f.severity == "error" and f.message == "正文“未收到政府信息公开申请”（0件），表中新收总计3"
    assert f.spans[0].of(r.text) == "未收到政府信息公开申请"


def test_narrative_count_mismatch_and_alternative_reading():
    r = _report({"applications": _table3()}, [("narrative.applications.received", 5, "受理申请5件")])
    assert _codes(r) == ["narrative_table_mismatch"]
    r = _report({"applications": _table3()}, [("narrative.applications.received", 4, "受理申请4件")])
    assert _codes(r) == ["narrative_matches_alternative"]  # 新收3 + 上年结转1


def test_legacy_narrative_count():
    r = _report({"legacy": {"legacy.applications.received": 2}},
                [("narrative.applications.received", 3, "收到申请3件")], template="pre2019", year=2014)
    assert _codes(r) == ["narrative_table_mismatch"]


def test_percentages_at_printed_precision():
    facts = [("narrative.proactive.total", 63, "主动公开政府信息63条"),
             ("narrative.proactive.category", 29, "招商引资信息29条，占总量的46%", "general", 0, 46.0),
             ("narrative.proactive.category", 24, "政务动态24条，占总量的39%", "general", 0, 39.0),
             ("narrative.proactive.category", 10, "其他10条，占总量的15%", "general", 0, 15.0)]
    r = _report({}, facts)
    # 24/63 = 38.10 → 39 is off by 0.9; 10/63 = 15.87 → 15 is off by 0.87; shares add to 100 and counts to 63
    assert _codes(r) == ["percent_mismatch", "percent_mismatch"]
    assert reconcile(r)[0].message == "“政务动态24条，占总量的39%”：24/63=38.10%，印为39%"


def test_breakdown_exceeding_total_but_channels_may_overlap():
    facts = [("narrative.proactive.total", 20, "主动公开政府信息20条"),
             ("narrative.proactive.category", 15, "政务动态15条", "general", 0),
             ("narrative.proactive.category", 9, "公示公告9条", "general", 0),
             ("narrative.proactive.channel.wechat", 40, "微信40条", "general", 0)]
    f = _only(_report({}, facts), "narrative_breakdown_sum")
    assert f.message == "“主动公开政府信息20条”：15+9=24 > 20"


def test_fees_narrative_vs_section_six():
    facts = [("narrative.fees.collected", 0, "未收取信息处理费", "general", None, None, "元"),
             ("narrative.fees.collected", 200, "收取信息处理费200元", "other", None, None, "元")]
    assert _codes(_report({}, facts)) == ["fees_mismatch"]


def test_unpaid_fee_closures_need_section_six():
    r = _report({"applications": _table3(**{"other.unpaid_fee.natural": 1, "other.unpaid_fee.total": 1,
                                            "unable.not_held.natural": 0, "unable.not_held.total": 0})})
    assert _codes(r) == ["fees_not_reported"]


def test_proposals_sum_in_one_sentence():
    facts = [("narrative.npc_suggestions", 3, "人大代表建议3件"), ("narrative.cppcc_proposals", 11, "政协提案11件")]
    r = _report({}, facts)
    text = r.text.replace("。政协", "、政协") + "，共15件"
    total = Fact(key="narrative.suggestions_proposals", value=15, span=Span(start=len(text) - 3, end=len(text)),
                 surface="15件", rule_id="x", section="other")
    r = r.model_copy(update={"text": text, "facts": r.facts + (total,)})
    assert _codes(r) == ["narrative_proposals_sum"]


# --- meta --------------------------------------------------------------------------------


def test_title_year_vs_period():
    from datetime import date

    r = _report({}, title="某局2022年政府信息公开工作年度报告", period=(date(2023, 1, 1), date(2023, 12, 31)))
    assert _codes(r) == ["year_mismatch"]
    r = _report({}, period=(date(2023, 1, 1), date(2023, 6, 30)))
    assert _codes(r) == ["period_not_calendar_year"]


@pytest.mark.parametrize("phrase, codes", [
    ("展望2024年，我局将", ["next_year_mismatch"]),
    ("展望2025年，我局将", []),
    ("明年（2024年）将", ["next_year_mismatch"]),
], ids=["same-year", "next-year", "mingnian"])
def test_next_year_phrase(phrase, codes):
    assert _codes(_report({}, year=2024, text_extra=phrase)) == codes


def test_template_outdated_lives_in_reconcile():
    assert _codes(_report({}, template="2019", year=2023)) == ["template_outdated"]


# --- across years ----------------------------------------------------------------------


def _arithmetic(findings):
    """The series findings less series_repeated_text: these two-line test reports repeat each
    other's title and headings, which that check rightly reports (tests/test_frames.py)."""
    return [f for f in findings if f.code != "series_repeated_text"]


def test_series_carry_over():
    y1 = _report({"applications": _table3()}, year=2022)
    y2 = _report({"applications": _table3(**{"carried_over.total": 2, "carried_over.natural": 2,
                                             "new.natural": 2, "new.total": 2})}, year=2023)
    findings = _arithmetic(reconcile_series([y2, y1]))
    codes = sorted(f.code for f in findings)
    assert codes == ["series_carry_over", "series_carry_over_column"]
    assert findings[0].message == "2023上年结转总计2 ≠ 2022结转下年度总计1"


def test_series_only_consecutive_years():
    y1 = _report({"applications": _table3()}, year=2021)
    y2 = _report({"applications": _table3(**{"carried_over.total": 2})}, year=2023)
    assert reconcile_series([y1, y2]) == []


def test_series_cumulative_chain():
    y1 = _report({"legacy": {"legacy.proactive.total": 10, "legacy.proactive.total.cumulative": 100}},
                 template="pre2019", year=2014)
    y2 = _report({"legacy": {"legacy.proactive.total": 20, "legacy.proactive.total.cumulative": 110}},
                 template="pre2019", year=2015)
    f = _only_series([y1, y2], "series_cumulative")
    assert f.severity == "error"
    assert f.message == "2015主动公开政府信息数（历年累计）110 ≠ 2014主动公开政府信息数（历年累计）100+2015主动公开政府信息数20=120"


def test_series_table2_rolls_forward_with_both_years_named():
    y1 = _report({"proactive": {"proactive.regulations.issued": 1, "proactive.regulations.repealed": 0,
                                "proactive.regulations.in_force": 1}}, year=2022)
    y2 = _report({"proactive": {"proactive.regulations.issued": 2, "proactive.regulations.repealed": 0,
                                "proactive.regulations.in_force": 5}}, year=2023)
    f = _only_series([y1, y2], "series_in_force")
    assert f.message == "2023规章现行有效5+2023规章废止0=5 ≠ 2022规章现行有效1+2023规章制发2=3"
    y2 = _report({"proactive": {"proactive.regulations.issued": 2, "proactive.regulations.repealed": 0,
                                "proactive.regulations.in_force": 3}}, year=2023)
    assert _arithmetic(reconcile_series([y1, y2])) == []  # 3+0 = 1+2


def test_series_2019_previous_items():
    y1 = _report({"proactive": {"proactive.licensing.previous": 10, "proactive.licensing.change": -2}},
                 template="2019", year=2019)
    y2 = _report({"proactive": {"proactive.licensing.previous": 9}}, template="2019", year=2020)
    f = _only_series([y1, y2], "series_previous")
    assert f.message == "2020行政许可上一年项目数9 ≠ 2019行政许可上一年项目数10+2019行政许可增/减-2=8"


def _only_series(reports, code):
    found = [f for f in reconcile_series(reports) if f.code == code]
    assert len(found) == 1
    return found[0]


def test_series_is_exported():
    assert "reconcile_series" in gongkai.__all__ and gongkai.reconcile_series is reconcile_series


# --- every check is documented code --------------------------------------------------


@pytest.mark.parametrize("check", CHECKS, ids=[c.__name__ for c in CHECKS])
def test_every_check_has_a_docstring(check):
    assert check.__doc__ and check.__doc__.strip()


# --- seeds --------------------------------------------------------------------------------


def _seed(n: int) -> Report:
    return gongkai.parse(SEEDS[n])


def test_seed_001_template_outdated_once():
    assert _seed(1).codes().count("template_outdated") == 1


def test_seed_002_next_year_names_report_year():
    r = _seed(2)
    f = next(f for f in r.findings if f.code == "next_year_mismatch")
    assert f.severity == "warning" and f.spans[0].of(r.text) == "展望2024年"


@pytest.mark.parametrize("n", [0, 2], ids=["seed000", "seed002"])
def test_seeds_without_error_findings(n):
    assert [f.message for f in _seed(n).findings if f.severity == "error"] == []


def test_seed_003_response_block_is_caught():
    from gongkai.tables.legacy import legacy_tables
    from gongkai.read import read

    r = _seed(3)
    if r.table("legacy") is None:  # until tables.py wires the legacy table in
        r = r.model_copy(update={"tables": tuple(legacy_tables(read(SEEDS[3]))[0])})
    findings = reconcile(r)
    short = next(f for f in findings if f.code == "legacy_sum_short")
    assert "legacy.response.channel" in short.keys and [s.of(r.text) for s in short.spans] == ["3", "4"]
    orphan = next(f for f in findings if f.code == "legacy_child_without_parent")
    assert orphan.keys == ("legacy.response.online_interviews_by_heads", "legacy.response.online_interviews")


def test_narrative_with_several_counts_is_not_compared():
    """平潭 2011: 区直 303 + 乡镇 122 are sub-unit counts; the table's 425 is not contradicted."""
    facts = [("narrative.proactive.total", 303, "主动公开政府信息303条"),
             ("narrative.proactive.total", 122, "主动公开政府信息122条")]
    r = _report({"legacy": {"legacy.proactive.total": 425}}, facts, template="pre2019", year=2011)
    assert _codes(r) == []


def test_pingtan_cumulative_breaks_are_found():
    """平潭综合实验区 2011→2012: 历年累计 1516 + 739 ≠ 4359 (verified by hand in the source tables)."""
    from conftest import shared

    reports = [gongkai.parse(shared(f"pingtan/{name}")) for name in ("2011-qu.txt", "2012-qu.txt")]
    found = [f for f in reconcile_series(reports) if f.code == "series_cumulative"]
    assert any("4359" in f.message and "1516" in f.message and "739" in f.message for f in found)


def test_hebei_in_force_chain_breaks_are_found():
    """河北省教育厅 行政规范性文件 (checked by hand in the three reports): 现行有效 181 (2021),
    制发5 废止17 现行有效159 (2022), 制发3 废止5 现行有效156 (2023); 181+5−17=169 ≠ 159 and
    159+3−5=157 ≠ 156. Table 3 carries over cleanly (结转 0 → 上年结转 0)."""
    from conftest import shared

    reports = [gongkai.parse(shared(f"hebei/hebei-jyt-{year}.txt")) for year in (2023, 2021, 2022)]
    found = _arithmetic(reconcile_series(reports))
    assert [(f.code, f.severity) for f in found] == [("series_in_force", "warning")] * 2
    assert "159" in found[0].message and "181" in found[0].message and "17" in found[0].message
    assert "156" in found[1].message and "162" in found[1].message
    assert all(f.spans for f in found)


# --- gongkai check ------------------------------------------------------------------------


def test_check_command_marks_spans_and_sets_exit_status(tmp_path):
    import json

    from click.testing import CliRunner

    from gongkai.cli import main

    ok = CliRunner().invoke(main, ["check", str(SEEDS[2])])
    assert ok.exit_code == 0  # a warning only
    assert "next_year_mismatch" in ok.output and "[展望2024年]" in ok.output
    bad = CliRunner().invoke(main, ["check", str(SEEDS[4])])
    assert bad.exit_code == 1 and "section_missing" in bad.output
    as_json = CliRunner().invoke(main, ["check", "--json", str(SEEDS[2])])
    payload = json.loads(as_json.output)  # the Report, as parse --json: spans point into its text
    span = payload["findings"][0]["spans"][0]
    assert payload["text"][span["start"]:span["end"]] == "展望2024年"
    missing = CliRunner().invoke(main, ["check", str(tmp_path / "absent.txt")])
    assert missing.exit_code == 2 and missing.output.strip().count("\n") == 0


# --- N5, N8, N11, R3.6, FMT7, N14 -------------------------------------------------------------


def test_outcomes_in_words_against_table3():
    """N5: 予以公开2件 matches; 不予公开1件 against a table with no denial is a mismatch."""
    facts = [("narrative.applications.granted", 2, "予以公开2件"), ("narrative.applications.denied", 1, "不予公开1件")]
    found = [f for f in reconcile(_report({"applications": _table3()}, facts)) if f.code == "narrative_table_mismatch"]
    assert len(found) == 1 and found[0].message.startswith("N5：正文“不予公开1件”为1，表中")


def test_completion_rate_100_with_applications_carried_forward():
    facts = [("narrative.applications.completion_rate", 100, "办结率100%")]
    f = _only(_report({"applications": _table3()}, facts), "completion_rate_mismatch")
    assert f.message == "正文“办结率100%”，但结转下年度总计1 ≠ 0"
    assert _codes(_report({"applications": _table3(**{"carried_forward.natural": 0, "carried_forward.total": 0,
                                                      "new.natural": 2, "new.total": 2})}, facts)) == []


def test_carry_forward_needs_a_word_of_explanation():
    f = _only(_report({"applications": _table3()}, text_extra=""), "carry_forward_unexplained")
    assert f.severity == "info" and f.message == "结转下年度1件，正文未说明原因"


SECTIONS = ("某局2023年政府信息公开工作年度报告\n一、总体情况\n{general}\n二、主动公开政府信息情况\n略。\n"
            "三、收到和处理政府信息公开申请情况\n略。\n四、政府信息公开行政复议、行政诉讼情况\n略。\n"
            "五、存在的主要问题及改进情况\n{problems}\n六、其他需要报告的事项\n无。\n")
GENERAL = "（一）主动公开情况。略。（二）依申请公开情况。略。（三）政府信息管理情况。略。（四）平台建设情况。略。（五）监督保障情况。略。"


def _structure_codes(general: str, problems: str) -> list[str]:
    text = SECTIONS.format(general=general, problems=problems).replace("略。", "略。\n")
    header = "第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"  # a 2021 table 2
    report = gongkai.parse_text(text.replace("主动公开政府信息情况\n", "主动公开政府信息情况\n" + header))
    assert report.meta.template == "2021"
    return sorted(f.code for f in report.findings if f.code in ("problems_section_thin", "general_coverage"))


def test_problems_section_and_general_coverage():
    good = "一是依申请公开答复规范性有待提高。下一步将加强培训。"
    assert _structure_codes(GENERAL, good) == []
    assert _structure_codes(GENERAL, "无。") == ["problems_section_thin"]
    assert _structure_codes(GENERAL, "我们将继续做好工作。") == ["problems_section_thin"]
    assert _structure_codes("2023年，我局认真做好政务公开工作。", good) == ["general_coverage"]


def test_published_late_by_kind_of_agency():
    from datetime import date

    def late(agency, published, year=2023, template="2021"):
        r = _report({}, year=year, template=template)
        r = r.model_copy(update={"meta": r.meta.model_copy(update={"agency": agency, "published": published})})
        return [f.message for f in reconcile(r) if f.code == "published_late"]

    assert late("某市教育局", date(2024, 2, 1)) == ["发布日期2024-02-01晚于2024-01-31（逾期1天）"]
    assert late("某市人民政府", date(2024, 2, 1)) == []
    assert late("某市人民政府", date(2024, 4, 1)) == ["发布日期2024-04-01晚于2024-03-31（逾期1天）"]
    assert late("某县教育局", date(2012, 3, 30), year=2011, template="pre2019") == []
