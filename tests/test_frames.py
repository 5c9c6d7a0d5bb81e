"""Data out (issue 13): one fixed schema for frames and JSON, typos refused, panel and agency keys.

Values checked are the ones the corpus reports print (see corpus/gold), so a change in what a
frame holds fails here rather than in a user's notebook.
"""

from datetime import date

import pytest

import gongkai
from conftest import CORPUS, SEEDS, shared
from gongkai.corpus import report_files

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

from gongkai.frames import STATE, columns, markdown  # noqa: E402


def test_wide_columns_do_not_depend_on_the_batch():
    """A 2021, a 2019 and a pre-2019 report give the same columns and dtypes, from the catalogue."""
    frames = [gongkai.frame([seed]) for seed in SEEDS[1:4]]
    names = [c.name for c in columns("wide")]
    for f in frames:
        assert list(f.columns) == names
        assert f.dtypes.equals(frames[0].dtypes)
    assert frames[0]["template"].iloc[0] == "2019" and frames[2]["template"].iloc[0] == "pre2019"


def test_wide_values_states_and_dates():
    wide = gongkai.frame(SEEDS[0])
    row = wide.iloc[0]
    assert (row["agency"], row["year"], row["applications.new.total"]) == ("济宁市投资促进局", 2023, 0)
    assert row["narrative.proactive.total"] == 206 and row["narrative.proactive.total" + STATE] == "printed"
    assert row["period_start"] == date(2023, 1, 1) and str(wide["period_start"].dtype) == "date32[day][pyarrow]"
    assert str(wide["applications.new.total"].dtype) == "Int64"
    assert str(wide["proactive.fees.amount"].dtype) == "Float64"
    assert pd.isna(row["legacy.proactive.total"]) and row["legacy.proactive.total" + STATE] == "not_printed"


def test_blank_not_printed_and_unreadable_are_told_apart():
    """河北省教育厅 2021 prints 上年结转 总计 blank; seed 004's table 3 stops before （七）总计;
    河北省科技厅 2022 runs 办结 cells together in more than one reading."""
    wide = gongkai.frame([shared("hebei/hebei-jyt-2021.txt"), SEEDS[4], shared("hebei/hebei-kjt-2022.txt")])
    states = wide.set_index("agency")
    assert states.loc["河北省教育厅", "applications.carried_over.total" + STATE] == "blank"
    assert states.loc["济宁市兖州区工业和信息化局", "applications.closed.total" + STATE] == "not_printed"
    assert states.loc["河北省科学技术厅", "applications.closed.natural" + STATE] == "unreadable"
    for agency, key in [("河北省教育厅", "applications.carried_over.total"),
                        ("济宁市兖州区工业和信息化局", "applications.closed.total"),
                        ("河北省科学技术厅", "applications.closed.natural")]:
        assert pd.isna(states.loc[agency, key])


def test_long_frame_has_every_value_with_its_source():
    report = gongkai.parse(SEEDS[0])
    long = report.to_frame("long")
    assert list(long.columns) == [c.name for c in columns("long")]
    printed = long[long.state == "printed"]
    cell = printed[printed.key == "applications.new.total"].iloc[0]
    assert (cell.value, cell.source, cell.table) == (0, "table", "applications")
    assert report.text[cell.span_start:cell.span_end] == cell.raw
    fact = printed[printed.key == "narrative.proactive.total"].iloc[0]
    assert (fact.value, fact.unit, fact.source) == (206, "条", "narrative")
    values = report.values()
    assert {k: v for k, v in zip(printed.key, printed.value) if k in values} == {k: v for k, v in values.items() if v is not None}


def test_long_frame_lists_the_standard_rows_a_report_does_not_print():
    long = gongkai.frame(SEEDS[4], shape="long")  # table 3 stops inside the table, table 4 never comes
    missing = set(long[long.state == "not_printed"].key)
    assert {"applications.closed.total", "review.total", "litigation.direct.total"} <= missing
    assert long[long.state == "not_printed"].value.isna().all()


def test_findings_frame_and_an_empty_one():
    findings = gongkai.findings_frame(SEEDS[1])
    assert list(findings.code) == [f.code for f in gongkai.parse(SEEDS[1]).findings]
    assert "template_outdated" in set(findings.code)
    empty = gongkai.findings_frame([])
    assert empty.empty and list(empty.columns) == list(findings.columns)
    assert empty.dtypes.equals(findings.dtypes)


def test_a_file_that_is_not_a_report_is_an_error_row(tmp_path):
    poem = tmp_path / "poem.txt"
    poem.write_text("床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n", encoding="utf-8")
    wide = gongkai.frame([poem, SEEDS[0]])
    assert list(wide.error_type.fillna("")) == ["NotAReportError", ""]
    assert wide.iloc[0].drop(["report_id", "source", "error_type", "error"]).isna().all()


@pytest.mark.parametrize("text", [
    "床前明月光，疑是地上霜。举头望明月，低头思故乡。",
    "# gongkai\n\nRead Chinese government reports. Install with pip install gongkai.\n",
    "新华社北京3月1日电 记者从国务院办公厅获悉，各地各部门2023年政府信息公开工作年度报告已陆续发布。",
], ids=["poem", "readme", "news"])
def test_text_that_is_not_a_report_says_so(text):
    with pytest.raises(gongkai.NotAReportError, match="not a government information-disclosure annual report"):
        gongkai.parse_text(text)


# --- JSON ----------------------------------------------------------------------------------------


def test_json_round_trips_and_its_schema_covers_it():
    jsonschema = pytest.importorskip("jsonschema")
    import json

    schema = gongkai.Report.model_json_schema()
    assert {"schema_version", "values"} <= set(schema["properties"])
    for path in report_files([CORPUS]):
        report = gongkai.parse(path)
        text = report.model_dump_json()
        payload = json.loads(text)
        assert payload["schema_version"] == 1 and payload["values"] == report.values()
        jsonschema.validate(payload, schema)
        assert gongkai.Report.model_validate_json(text) == report


def test_json_of_another_version_is_refused():
    payload = gongkai.parse(SEEDS[0]).model_dump()
    payload["schema_version"] = 99
    with pytest.raises(ValueError, match="schema_version 99"):
        gongkai.Report.model_validate(payload)


# --- typos -----------------------------------------------------------------------------------------


def test_a_key_or_kind_that_does_not_exist_is_an_error_a_missing_one_is_none():
    report = gongkai.parse(SEEDS[4])
    assert report.value("review.total") is None  # a real key the report lacks
    assert report.table("review") is None
    with pytest.raises(gongkai.UnknownKeyError, match="did you mean applications.new.total"):
        report.value("applications.new.totl")
    with pytest.raises(KeyError):
        report.value("applications.new")
    with pytest.raises(gongkai.UnknownKeyError, match="did you mean review"):
        report.table("reviews")
    assert gongkai.parse(SEEDS[3]).value("legacy.proactive.total") is not None


# --- agencies, panel, repetition ------------------------------------------------------------------


def _agency_examples():
    from gongkai.harmonise import agency_rules

    return agency_rules().examples


@pytest.mark.parametrize("printed,key", _agency_examples(), ids=[a for a, _ in _agency_examples()])
def test_agency_key(printed, key):
    assert gongkai.agency_key(printed) == key


def test_group_by_agency_joins_a_name_with_and_without_its_place():
    r23, r24 = gongkai.parse(shared("pdf/huaian-hongze-2023.pdf")), gongkai.parse(shared("pdf/huaian-hongze-2024.pdf"))
    assert (r23.meta.agency, r24.meta.agency) == ("洪泽区人民政府", "淮安市洪泽区人民政府")
    groups = gongkai.group_by_agency([r24, r23, gongkai.parse(SEEDS[0])])
    assert [r.meta.year for r in groups["洪泽区"]] == [2023, 2024]


def test_repetition_locates_the_passages_in_both_reports():
    from gongkai.reconcile.series import _trigrams, narrative_sentences, repetition

    r13, r14 = gongkai.parse(shared("pingtan/2012-qu.txt")), gongkai.parse(shared("pingtan/2013-qu.txt"))
    before, after = narrative_sentences(r13), narrative_sentences(r14)
    found = repetition(before, after)
    assert 0.8 < found.share <= 1 and len(found.pairs) == 28
    norm = {s.span: s.norm for s in before + after}
    for earlier, later in found.pairs:  # each pair: the same sentence but for its numbers, or nearly
        a, b = _trigrams(norm[earlier]), _trigrams(norm[later])
        assert len(a & b) / len(a | b) >= 0.8
    finding = [f for f in gongkai.reconcile_series([r13, r14]) if f.code == "series_repeated_text"]
    assert finding[0].severity == "info" and finding[0].message.startswith("叙述内容88%与2012年度报告")
    assert len(finding[0].spans) == 28


def test_repetition_is_a_column_of_the_wide_frame():
    wide = gongkai.frame([shared("pingtan/2012-qu.txt"), shared("pingtan/2013-qu.txt"), SEEDS[0]])
    assert pd.isna(wide.repetition.iloc[0]) and wide.repetition.iloc[1] == pytest.approx(0.884, abs=0.001)
    assert pd.isna(wide.repetition.iloc[2])  # no report of the year before in the batch


def test_panel_reads_one_measure_from_each_generation():
    panel = gongkai.panel([SEEDS[0], SEEDS[1], shared("pingtan/2014-guanweihui.txt")])
    assert list(panel.template) == ["2021", "2019", "pre2019"]
    assert list(panel["applications_received:key"]) == ["applications.new.total"] * 2 + ["legacy.applications.received"]
    assert list(panel.applications_received) == [0, 0, 1]
    assert list(panel.proactive_total) == [206, 22, 2543]


def test_a_blank_operand_leaves_a_measure_null():
    panel = gongkai.panel([SEEDS[4]])  # table 4 not printed
    assert pd.isna(panel.review_total.iloc[0]) and pd.isna(panel["review_total:key"].iloc[0])


def test_generated_pages_are_current():
    from conftest import ROOT
    from gongkai.harmonise import markdown as panel_markdown

    assert (ROOT / "docs" / "data.md").read_text(encoding="utf-8") == markdown(), (
        "docs/data.md is stale: python -m gongkai.frames > docs/data.md")
    assert (ROOT / "docs" / "panel.md").read_text(encoding="utf-8") == panel_markdown(), (
        "docs/panel.md is stale: python -m gongkai.harmonise > docs/panel.md")
