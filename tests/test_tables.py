"""Tables 2–4 of the 2019/2021 templates: layouts, cell values, spans, truncated and missing tables.

Every cell of the real reports is compared with gold in tests/test_corpus.py; this file checks
the reading rules themselves on small tables written here, and the span contract on the whole
corpus.
"""

import pytest

import gongkai
from conftest import SEEDS, shared_files
from gongkai.tables import parse_value

APPLICANT_HEADER = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "自然人", "商业企业",
                    "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
ROWS = [
    ("一、本年新收政府信息公开申请数量", ["1,234", "2", "0", "0", "0", "１", "1,237"]),
    ("二、上年结转政府信息公开申请数量", ["0", "0", "0", "0", "0", "0", "0"]),
    ("（一）予以公开", ["5", "/", "—", "0", "0", "0", "5"]),
]
TITLE = "某市某局2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n\n"


def _markdown() -> str:
    lines = ["| " + " | ".join(APPLICANT_HEADER) + " |", "|" + "---|" * len(APPLICANT_HEADER)]
    lines += ["| " + " | ".join([label, *values]) + " |" for label, values in ROWS]
    return TITLE + "\n".join(lines) + "\n\n四、政府信息公开行政复议、行政诉讼情况\n"


def _whitespace() -> str:
    lines = ["    ".join(APPLICANT_HEADER)] + ["    ".join([label, *values]) for label, values in ROWS]
    return TITLE + "\n".join(lines) + "\n\n四、政府信息公开行政复议、行政诉讼情况\n"


EXPECTED = {
    "applications.new.natural": 1234, "applications.new.other_org": 1, "applications.new.total": 1237,
    "applications.carried_over.total": 0,
    "applications.granted.natural": 5, "applications.granted.commercial": None,
    "applications.granted.research": None, "applications.granted.total": 5,
}


@pytest.mark.parametrize("layout", [_markdown, _whitespace], ids=["markdown", "whitespace"])
def test_plain_text_tables_give_printed_values(layout):
    report = gongkai.parse_text(layout())
    values = report.values()
    assert {k: values[k] for k in EXPECTED} == EXPECTED
    cells = {c.key: c for c in report.table("applications").cells}
    assert cells["applications.new.natural"].raw == "1,234"
    assert cells["applications.new.other_org"].raw == "１"  # full width kept as printed
    assert cells["applications.granted.research"].raw == "—"
    for cell in cells.values():
        assert report.text[cell.span.start : cell.span.end] == cell.raw


@pytest.mark.parametrize("raw,value", [
    ("0", 0), ("1,020", 1020), ("１２", 12), ("0.5", 0.5), ("12.5万元", 12.5), ("+3", 3), ("-2", -2), ("减1", -1),
    ("/", None), ("—", None), ("——", None), ("无", None), ("-", None), ("", None),
])
def test_cell_values(raw, value):
    from gongkai.read import fold

    assert parse_value(fold(raw)) == (value, True)


def test_unreadable_cell_is_none_with_a_finding():
    assert parse_value("约5") == (None, False)



def _tab_grid(*rows: str) -> str:
    """Table 3 as a reader's tab grid, each row padded with an empty last field."""
    lines = ["\t".join(APPLICANT_HEADER) + "\t"] + [row + "\t" for row in rows]
    return TITLE + "\n".join(lines) + "\n\n四、政府信息公开行政复议、行政诉讼情况\n"


def _applicants(report, row):
    return [report.value(f"applications.{row}.{c}") for c in
            ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")]


def test_an_empty_tab_field_is_a_blank_cell_never_dropped():
    """本年新收\t\t1\t0\t0\t0\t0\t1\t: the empty field may be a blank 自然人 (the padding at the
    end dropped) or padding itself (the row then ends on a blank 总计); the numbers never move
    one column left unsaid: every cell whose place the two readings disagree on is None, and named."""
    report = gongkai.parse_text(_tab_grid("一、本年新收政府信息公开申请数量\t\t1\t0\t0\t0\t0\t1",
                                          "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0"))
    assert _applicants(report, "new") == [None] * 7
    named = {k for f in report.findings if f.code == "cell_ambiguous" for k in f.keys}
    assert {"applications.new.natural", "applications.new.commercial", "applications.new.total"} <= named
    assert _applicants(report, "carried_over") == [0] * 7


def test_a_label_spanning_two_fields_still_reads_its_row():
    """An empty field after the label with no padding to take instead: a colspan, dropped."""
    report = gongkai.parse_text(TITLE + "\t".join(APPLICANT_HEADER) + "\n"
                                "一、本年新收政府信息公开申请数量\t\t1\t0\t0\t0\t0\t2\t3\n"
                                "\n四、政府信息公开行政复议、行政诉讼情况\n")
    assert _applicants(report, "new") == [1, 0, 0, 0, 0, 2, 3]
    assert "cell_ambiguous" not in report.codes()


TABLE2_TABS = ("某县某局2021年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
               "第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
               "规章\t0\t0\t0\n行政规范性文件\t0\t5\t5\n"
               "第二十条第（六）项\n信息内容\t本年处理决定数量\n行政处罚\t7\n行政强制\t88283\n"
               "三、收到和处理政府信息公开申请情况\n")


@pytest.mark.parametrize("old,new,row", [
    ("行政强制\t88283", "行政强制\t88283\t88283", "enforcement"),
    ("行政规范性文件\t0\t5\t5", "行政规范性文件\t0\t0\t5\t5", "normative_documents"),
], ids=["two-numbers-for-one-cell", "four-numbers-for-three-cells"])
def test_more_numbers_than_cells_apart_by_tabs_are_flagged_never_glued(old, new, row):
    assert gongkai.parse_text(TABLE2_TABS).values()["proactive.enforcement.decisions"] == 88283
    report = gongkai.parse_text(TABLE2_TABS.replace(old, new))
    values = report.values()
    row_values = [v for k, v in values.items() if k.startswith(f"proactive.{row}.")]
    assert row_values and all(v is None for v in row_values)  # the row is there, its cells None
    unread = {k for f in report.findings if f.code == "table_row_unread" for k in f.keys}
    assert any(k.startswith(f"proactive.{row}.") for k in unread)
    assert values["proactive.penalties.decisions"] == 7  # the other rows are read


TABLE2_INLINE = ("某省某厅2021年度政府信息公开工作报告　　二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数"
                 "本年废止件数现行有效件数规章000行政规范性文件100第二十条第（五）项信息内容本年处理决定数量行政许可273"
                 "第二十条第（六）项信息内容本年处理决定数量行政处罚54行政强制0第二十条第（八）项信息内容本年收费金额"
                 "（单位：万元）行政事业性收费739.0766　　三、收到和处理政府信息公开申请情况\n")


def test_two_amounts_run_together_are_unreadable_never_a_number_never_printed():
    """Crawler text, cells run together: 739.0766739.0766 holds two decimal points, so it is two
    amounts (or a misprint), never 739.0766739 — the cell is None, and named."""
    assert gongkai.parse_text(TABLE2_INLINE).values()["proactive.fees.amount"] == 739.0766
    report = gongkai.parse_text(TABLE2_INLINE.replace("739.0766", "739.0766739.0766"))
    assert report.values()["proactive.fees.amount"] is None
    assert "proactive.fees.amount" in {k for f in report.findings if f.code == "cell_unreadable" for k in f.keys}
    assert report.values()["proactive.licensing.decisions"] == 273

TABLE2_2019 = """某县某局2019年政府信息公开工作年度报告
二、主动公开政府信息情况
| 第二十条第（一）项 | | | |
| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
| 规章 | 0 | 0 | 0 |
| 规范性文件 | 2 | 2 | 15 |
| 第二十条第（五）项 | | | |
| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
| 行政许可 | 12 | -2 | 300 |
| 其他对外管理服务事项 | 3 | 减1 | 0 |
| 第二十条第（六）项 | | | |
| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
| 行政处罚 | 5 | +3 | 1,020 |
| 行政强制 | 1 | 0 | 6 |
| 第二十条第（八）项 | | | |
| 信息内容 | 上一年项目数量 | 本年增/减 | |
| 行政事业性收费 | 2 | / | |
| 第二十条第（九）项 | | | |
| 信息内容 | 采购项目数量 | 采购总金额 | |
| 政府集中采购 | 4 | 12.5万元 | |
三、收到和处理政府信息公开申请情况
"""


def test_2019_table2_signed_changes_and_procurement():
    report = gongkai.parse_text(TABLE2_2019)
    assert report.meta.template == "2019"
    values = {c.key: c.value for c in report.table("proactive").cells}
    assert values == {
        "proactive.regulations.made": 0, "proactive.regulations.published": 0, "proactive.regulations.total_published": 0,
        "proactive.normative_documents.made": 2, "proactive.normative_documents.published": 2,
        "proactive.normative_documents.total_published": 15,
        "proactive.licensing.previous": 12, "proactive.licensing.change": -2, "proactive.licensing.decisions": 300,
        "proactive.other_services.previous": 3, "proactive.other_services.change": -1,
        "proactive.other_services.decisions": 0,
        "proactive.penalties.previous": 5, "proactive.penalties.change": 3, "proactive.penalties.decisions": 1020,
        "proactive.enforcement.previous": 1, "proactive.enforcement.change": 0, "proactive.enforcement.decisions": 6,
        "proactive.fees.previous": 2, "proactive.fees.change": None,
        "proactive.procurement.items": 4, "proactive.procurement.amount": 12.5,
    }


def _seed(prefix):
    return gongkai.parse(next(s for s in SEEDS if s.name.startswith(prefix)))


def test_truncated_table_keeps_its_rows_and_never_zero_fills():
    report = _seed("004_")  # a PDF whose table 3 stops after 6.属于四类过程性信息, table 4 absent
    values = report.values()
    assert values["applications.denied.process.total"] == 0
    assert "applications.denied.enforcement_file.total" not in values
    assert "applications.closed.total" not in values
    assert not any(k.startswith(("review.", "litigation.")) for k in values)
    truncated = next(f for f in report.findings if f.code == "table_truncated")
    assert "applications.closed.total" in truncated.keys and "applications.carried_forward.natural" in truncated.keys
    assert len(truncated.keys) == 15 * 7
    assert "6.属于四类过程性信息" in truncated.message
    missing = next(f for f in report.findings if f.code == "table_missing")
    assert "表四" in missing.message


def test_a_custom_table_is_kept_unmapped():
    report = _seed("000_")  # a 近三年 history table beside the standard ones
    unmapped = [t for t in report.tables if t.kind == "unmapped"]
    assert unmapped and all(c.key is None for t in unmapped for c in t.cells)
    assert all(report.text[c.span.start : c.span.end] == c.raw for t in unmapped for c in t.cells)


def test_the_2019_layout_in_a_docx_dump():
    report = _seed("001_")  # 2019 tables in a 2023 report; header 自/然/人 broken one character per line
    assert report.meta.template == "2019"
    assert {t.kind for t in report.tables} >= {"proactive", "applications", "review"}
    values = report.values()
    assert "applications.other.total.total" in values and "applications.other.other.total" not in values


def test_run_together_row_with_two_readings_stays_none():
    report = gongkai.parse(_shared("hebei/hebei-gxt-2021.txt"))
    values = report.values()
    keys = [f"proactive.normative_documents.{c}" for c in ("issued", "repealed", "in_force")]
    assert [values[k] for k in keys] == [None, None, None]
    ambiguous = [f for f in report.findings if f.code == "cell_ambiguous" and set(keys) & set(f.keys)]
    assert ambiguous and all(f.spans for f in ambiguous)


def _shared(relative):
    from conftest import shared

    return shared(relative)


def _reports():
    for path in [*SEEDS, *shared_files()]:
        if path.suffix in (".txt", ".pdf", ".html"):
            yield path


@pytest.mark.parametrize("path", list(_reports()), ids=lambda p: p.name)
def test_every_cell_span_is_its_raw_surface(path):
    report = gongkai.parse(path)
    cells = [c for t in report.tables for c in t.cells]
    for cell in cells:
        if cell.span is None:
            assert cell.raw.strip() == "" and cell.value is None
        else:
            assert report.text[cell.span.start : cell.span.end] == cell.raw, cell.key
    if path.suffix == ".pdf":
        assert cells and all(c.page for c in cells if c.span is not None)
