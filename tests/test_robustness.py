"""Any text gives a Report or a GongkaiError: never a stray exception, and spans stay true.

Hypothesis builds texts from the pieces real reports are made of (section headings, table
labels, numbers with and without separators, blank marks, tabs, pipes, page footers) in any
order, plus shuffled lines of a real seed.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gongkai
from conftest import SEEDS
from gongkai.errors import GongkaiError
from gongkai.template import generation as generation_rules

RULES = generation_rules("2021")
LABELS = [r.label for r in RULES.table("applications").rows] + [r.label for r in RULES.table("proactive").rows]
HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
            "某市某局2023年政府信息公开工作年度报告", "行政复议", "行政诉讼", "结果维持", "总计", "第二十条第（一）项",
            "统计指标", "单位", "统计数", "指标名称", "计量单位", "2015年度", "历年累计", "其中：", "主动公开政府信息63条"]
NUMBERS = st.one_of(st.integers(0, 10**9).map(str), st.sampled_from(["1,234", "０", "12.5", "-3", "+2", "减1", "4000004",
                                                                     "00000002.", "/", "—", "无", "-"]))
PIECES = st.one_of(st.sampled_from(LABELS + HEADINGS), NUMBERS,
                   st.sampled_from(["\t", "\n", "\n\n", " ", "  ", "|", "\u3000", "- 3 -\n", "。", "（", "）", "\r\n"]),
                   st.text(max_size=6))


def _check(text: str):
    """The Report if there is one (its spans checked), None for a typed refusal."""
    try:
        report = gongkai.parse_text(text)
    except GongkaiError:
        return None
    for table in report.tables:
        for cell in table.cells:
            if cell.span is not None:
                assert report.text[cell.span.start : cell.span.end] == cell.raw
    for fact in report.facts:
        assert report.text[fact.span.start : fact.span.end] == fact.surface
    for finding in report.findings:
        assert all(0 <= s.start <= s.end <= len(report.text) for s in finding.spans)
    return report


def test_the_check_reads_real_reports():
    """A parse that refused everything would pass the properties below; the seeds must not be refused."""
    for seed in SEEDS:
        report = _check(seed.read_text(encoding="utf-8"))
        assert report is not None and report.facts, seed.name
        assert any(cell.span is not None for table in report.tables for cell in table.cells), seed.name


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=120).map("".join))
def test_any_mix_of_report_pieces(text):
    _check(text)


SEED_LINES = [line for seed in SEEDS for line in seed.read_text(encoding="utf-8").splitlines()]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SEED_LINES), min_size=1, max_size=200).map("\n".join))
def test_shuffled_lines_of_real_reports(text):
    _check(text)


# --- seeded damage to the text of every corpus report (bounded; benchmarks/fuzz_text.py runs the full set)


def _corpus_texts() -> list:
    from inject import source_paths

    return [pytest.param(name, gongkai.read(path).text, id=name) for name, path in source_paths()]


@pytest.mark.parametrize(("name", "text"), _corpus_texts())
def test_damaged_text_of_every_corpus_report(name, text):
    """Seven kinds of damage (tests/fuzz.py TEXT_MUTATIONS: cut, copied, noise, swapped lines,
    changed digits, joined lines, broken lines), once each: a Report whose spans hold, or a typed
    refusal."""
    from fuzz import TEXT_MUTATIONS, mutated_texts

    reports = [_check(damaged) for _, damaged in mutated_texts(text, len(TEXT_MUTATIONS), seed=12)]
    assert sum(r is not None for r in reports) >= len(reports) - 1  # damage is read, not refused
