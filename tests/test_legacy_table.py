"""Pre-2019 统计表: seed 003 (one cell per line) and the six 平潭 reports (one line, some glued).

Every legacy cell is compared with the hand-checked gold; spans are checked against the text;
synthetic tables check glued digits that the identities decide, and those they cannot.
"""

import json

import pytest

import gongkai

from conftest import CORPUS, SEEDS, shared
from gongkai.tables.legacy import legacy_tables
from gongkai.template import legacy as legacy_rules
from gongkai.read import read, read_text

PINGTAN = ["2011-qu", "2011-xian", "2012-qu", "2013-qu", "2014-guanweihui", "2015-qu"]


def _gold(gold_id):
    return json.loads((CORPUS / "gold" / f"{gold_id}.json").read_text(encoding="utf-8"))["values"]


def _legacy(doc):
    tables, findings = legacy_tables(doc)
    assert len(tables) == 1 and tables[0].kind == "legacy" and tables[0].template == "pre2019"
    return tables[0], findings


def _check_spans(doc, table):
    for cell in table.cells:
        if cell.span is None:
            assert cell.raw == "" and cell.value is None
        else:
            assert doc.text[cell.span.start : cell.span.end] == cell.raw


def test_seed_003_every_row_matches_gold():
    doc = read(next(s for s in SEEDS if s.name.startswith("003_")))
    table, findings = _legacy(doc)
    _check_spans(doc, table)
    got = {c.key: c.value for c in table.cells if c.key}
    assert got == _gold("003_2e38a9d647a6e6ff")
    assert got["legacy.proactive.total"] == 92 and got["legacy.applications.received"] is None
    assert not findings


def test_seed_003_repeated_labels_take_their_group():
    doc = read(next(s for s in SEEDS if s.name.startswith("003_")))
    table, _ = _legacy(doc)
    keys = [c.key for c in table.cells if c.row.endswith("维持具体行政行为数")]
    assert keys == ["legacy.review.upheld", "legacy.complaints.upheld"]


# 2015-qu prints 主动公开 and 网站公开 as 294981916: four splits keep 历年累计 ≥ the year, and no
# identity chooses (the narrative's 2949条 may not: issue 10), so those cells stay None. 2013-qu
# prints 政府公报公开 条 0, one number for two columns: the gold has it under the year, but the text
# cannot say which column lost its cell (issue 12).
UNDECIDED = {"2015-qu": ("legacy.proactive.total", "legacy.proactive.channel.website"),
             "2013-qu": ("legacy.proactive.channel.gazette",)}


@pytest.mark.parametrize("name", PINGTAN)
def test_pingtan_every_cell_matches_gold(name):
    doc = read(shared(f"pingtan/{name}.txt"))
    table, findings = _legacy(doc)
    _check_spans(doc, table)
    got = {c.key: c.value for c in table.cells if c.key}
    gold = _gold(f"pingtan-{name}")
    undecided = {k + suffix for k in UNDECIDED.get(name, ()) for suffix in ("", ".cumulative")}
    assert all(got[k] is None for k in undecided) and all(any(gold[k + s] is not None for s in ("", ".cumulative"))
                                                         for k in UNDECIDED.get(name, ()))
    assert {k: v for k, v in got.items() if k not in undecided} == {k: v for k, v in gold.items() if k not in undecided}
    assert [f.code for f in findings] == ["cell_ambiguous"] * len(UNDECIDED.get(name, ()))


def test_glued_digits_use_the_unit_as_separator_and_the_parent_row():
    # 2011-xian: 4251516 is 425|1516 (its own text says 425条), 41815092. is 418|1509 then "2."
    doc = read(shared("pingtan/2011-xian.txt"))
    table, _ = _legacy(doc)
    website = [c for c in table.cells if c.key and c.key.startswith("legacy.proactive.channel.website")]
    assert [(c.raw, c.value) for c in website] == [("418", 418), ("1509", 1509)]
    assert [c.row for c in table.cells if c.key == "legacy.proactive.channel.gazette"] == ["2.政府公报公开"]


def test_unmapped_rows_keep_their_label():
    doc = read(shared("pingtan/2014-guanweihui.txt"))
    table, _ = _legacy(doc)
    unmapped = [c for c in table.cells if c.key is None]
    assert [c.row for c in unmapped] == ["接受行政诉讼、举报数"] * 2
    assert [c.value for c in unmapped] == [0, 0]


def test_a_missing_cell_in_spaced_text_is_blank_not_zero():
    """2013-qu: 2、政府公报公开 条 0 — one number for 本年 / 历年累计; 0 fits either column."""
    doc = read(shared("pingtan/2013-qu.txt"))
    table, findings = _legacy(doc)
    for key in ("legacy.proactive.channel.gazette", "legacy.proactive.channel.gazette.cumulative"):
        cell = table.cell(key)
        assert cell.value is None and cell.raw == "" and cell.span is None
    [ambiguous] = findings
    assert ambiguous.code == "cell_ambiguous" and "0|— / —|0" in ambiguous.message
    assert ambiguous.keys == ("legacy.proactive.channel.gazette", "legacy.proactive.channel.gazette.cumulative")


HEADER = "政府信息公开情况统计表 指标名称计量单位2016年度历年累计"


def test_glued_digits_nothing_decides_stay_ambiguous():
    doc = read_text(HEADER + "主动公开文件数条2949819")
    table, findings = _legacy(doc)
    assert table.cell("legacy.proactive.total").value is None
    assert [f.code for f in findings] == ["cell_ambiguous"]
    assert "294|9819" in findings[0].message and "29|49819" in findings[0].message


def test_glued_digits_decided_by_a_partition():
    # received 1|12 = in-person + online; online 01 is 0|1, so in-person must be 1|11 (not 11|1)
    doc = read_text(HEADER + "受理依申请公开信息总数条112其中：1、当面申请数条1112、网上申请数条01")
    table, findings = _legacy(doc)
    assert [table.cell(f"legacy.applications.received.in_person{s}").value for s in ("", ".cumulative")] == [1, 11]
    assert table.cell("legacy.applications.received.online").value == 0
    assert not findings


def test_cumulative_below_the_year_is_broken():
    doc = read_text(HEADER + "行政复议数件90")
    table, findings = _legacy(doc)
    assert table.cell("legacy.review.total").value is None
    assert "identities_broken" in [f.code for f in findings]


def test_no_statistics_table_gives_nothing():
    assert legacy_tables(read_text("一、概述 本年度主动公开信息425条。")) == ([], [])


def test_rules_load_and_every_alias_key_is_unique_per_group():
    rules = legacy_rules()
    seen = set()
    for alias in rules.aliases:
        assert (alias.key, alias.within) not in seen
        seen.add((alias.key, alias.within))


# --- issue 11: statistics tables of other provinces, found by their rows -----------------------

ROWS = ("主动公开政府信息数 条 425\n其中：主动公开规范性文件数 条 12\n受理政府信息公开申请数 件 8\n"
        "其中：1.当面申请数 件 3\n2.网上申请数 件 5\n")
EXPECTED = {"legacy.proactive.total": 425, "legacy.proactive.normative_documents_published": 12,
            "legacy.applications.received": 8, "legacy.applications.received.in_person": 3,
            "legacy.applications.received.online": 5}
HEAD = "某县2012年政府信息公开工作年度报告\n一、概述\n本年度工作平稳推进。\n"


def _legacy_values(text):
    r = gongkai.parse_text(text)
    return {k: v for k, v in r.values().items() if k.startswith("legacy.")}


@pytest.mark.parametrize("header", ["附表：政府信息公开情况统计表\n项 目 单 位 数 量\n", "二、统计数据\n",
                                    "政府信息公开工作统计表\n类别 计量单位 本年数\n"],
                         ids=["other-header", "no-header", "another-header"])
def test_a_table_is_found_by_its_rows_whatever_its_header(header):
    assert _legacy_values(HEAD + header + ROWS) == EXPECTED


def test_units_and_item_numbers_glued_to_the_values():
    """件81.当面… is 8 then item 1.; 件32.网上… is 3 then item 2. (web text without spaces)."""
    text = HEAD + "统计指标 单位 统计数 " + ROWS.replace(" ", "").replace("\n", "") + "\n"
    assert _legacy_values(text) == EXPECTED


def test_two_statistics_rows_in_the_narrative_are_no_table():
    text = HEAD + "二、主动公开情况\n主动公开政府信息数 条 425\n受理政府信息公开申请数 件 8\n三、其他\n无。\n"
    assert _legacy_values(text) == {}


# --- issue 12: rows that do not print one cell per column -------------------------------------
# A blank mark (—, /) or an empty grid field is a cell and holds its column. One number for two
# columns (the text dropped an empty cell) is read only where the identities leave one place
# for it (cell_missing names the row), else both cells stay None with cell_ambiguous; more
# numbers than columns are never read by position (table_row_unread). Every finding names the
# row's keys. Each class in web text with spaces, glued to the unit, a tab grid and a DOCX dump.

FUJIAN = "指标名称 计量单位 2014年度 历年累计 "
WEBSITE = ("legacy.proactive.channel.website", "legacy.proactive.channel.website.cumulative")


def _fujian(rows, layout):
    """A Fujian table (本年 / 历年累计) of ``rows`` (label, unit, value cells as printed) in ``layout``."""
    if layout == "spaces":
        return read_text(FUJIAN + " ".join(" ".join([label, unit, *cells]) for label, unit, cells in rows))
    if layout == "glued":  # crawler text: no space anywhere, a blank mark or a lone number after the unit
        return read_text(FUJIAN.replace(" ", "") + "".join(label + unit + " ".join(cells) for label, unit, cells in rows))
    if layout == "tabs":
        return read_text(FUJIAN.strip().replace(" ", "\t") + "\n" +
                         "".join("\t".join([label, unit, *cells]) + "\n" for label, unit, cells in rows))
    assert layout == "docx"
    head = "".join(f"\t{w}\n" for w in FUJIAN.split()) + "\n"
    return read_text(head + "".join("".join(f"\t{c}\n" for c in (label, unit, *cells)) + "\n"
                                    for label, unit, cells in rows))


def _table_rows(website):
    return [("主动公开文件数", "条", ["2543", "78967"]), ("其中：1、政府网站公开数", "条", website),
            ("2、政府公报公开数", "条", ["0", "0"]), ("行政复议数", "件", ["3", "7"]), ("行政诉讼数", "件", ["0", "1"])]


def _read_back(doc):
    table, findings = _legacy(doc)
    _check_spans(doc, table)
    return {c.key: c.value for c in table.cells if c.key}, findings


UNTOUCHED = {"legacy.proactive.total": 2543, "legacy.proactive.total.cumulative": 78967,
             "legacy.proactive.channel.gazette": 0, "legacy.proactive.channel.gazette.cumulative": 0,
             "legacy.review.total": 3, "legacy.review.total.cumulative": 7,
             "legacy.litigation.total": 0, "legacy.litigation.total.cumulative": 1}


@pytest.mark.parametrize("layout", ["spaces", "glued", "tabs", "docx"])
def test_one_number_for_two_columns_that_fits_either_is_left_none(layout):
    got, findings = _read_back(_fujian(_table_rows(["2543"]), layout))
    assert [got[k] for k in WEBSITE] == [None, None]
    assert {k: got[k] for k in UNTOUCHED} == UNTOUCHED  # no number moves to another row
    assert [(f.code, f.keys) for f in findings] == [("cell_ambiguous", WEBSITE)]
    # glued to the unit, 条2543 may also be two cells run together: 2|543, 25|43 (not 254|3: P9)
    assert ("2|543 / 25|43" if layout == "glued" else "2543|— / —|2543") in findings[0].message


@pytest.mark.parametrize("layout", ["spaces", "tabs", "docx"])
def test_one_number_the_identities_place_is_read_and_named(layout):
    """78967 cannot be the year: a 其中 row never exceeds its parent's 2543 (P8)."""
    got, findings = _read_back(_fujian(_table_rows(["78967"]), layout))
    assert [got[k] for k in WEBSITE] == [None, 78967]
    assert {k: got[k] for k in UNTOUCHED} == UNTOUCHED
    assert [(f.code, f.keys) for f in findings] == [("cell_missing", WEBSITE)]


@pytest.mark.parametrize("layout", ["spaces", "glued", "tabs", "docx"])
def test_a_lone_zero_in_a_small_row_is_ambiguous(layout):
    """件0 (glued: a single digit cannot be two cells run together) fits either column."""
    rows = _table_rows(["2543", "78967"])
    rows[3] = ("行政复议数", "件", ["0"])
    got, findings = _read_back(_fujian(rows, layout))
    assert [got["legacy.review.total"], got["legacy.review.total.cumulative"]] == [None, None]
    assert [(f.code, f.keys) for f in findings] == [("cell_ambiguous", ("legacy.review.total",
                                                                        "legacy.review.total.cumulative"))]


@pytest.mark.parametrize("layout", ["spaces", "tabs", "docx"])
@pytest.mark.parametrize("cells", [["2543", "2543", "78967"], ["2543", "78967", "78967"], ["25", "43", "78967"]],
                         ids=["year-twice", "cumulative-twice", "a-space-inside"])
def test_three_numbers_for_two_columns_are_not_read(layout, cells):
    got, findings = _read_back(_fujian(_table_rows(cells), layout))
    assert [got[k] for k in WEBSITE] == [None, None]
    assert {k: got[k] for k in UNTOUCHED} == UNTOUCHED
    assert [(f.code, f.keys) for f in findings] == [("table_row_unread", WEBSITE)]
    assert "读到3个" in findings[0].message


@pytest.mark.parametrize("layout", ["spaces", "glued", "tabs", "docx"])
@pytest.mark.parametrize("mark", ["—", "/", "－"])
def test_a_blank_mark_holds_its_column(layout, mark):
    rows = _table_rows(["2543", "78967"])
    rows[0] = ("主动公开文件数", "条", [mark, "78967"])
    rows[3] = ("行政复议数", "件", ["3", mark])
    got, findings = _read_back(_fujian(rows, layout))
    expected = {**UNTOUCHED, "legacy.proactive.total": None, "legacy.review.total.cumulative": None}
    assert {k: got[k] for k in expected} == expected
    assert [got[k] for k in WEBSITE] == [2543, 78967]  # the next row keeps its numbers
    assert not findings


@pytest.mark.parametrize("blank", ["/", "", "—"], ids=["slash", "empty-field", "dash"])
def test_a_tab_grid_row_with_a_blank_year_keeps_its_cumulative(blank):
    """HTML tables come as tab grids: 行政诉讼数\\t件\\t/\\t0 (or an empty field) is blank | 0."""
    text = ("七、统计表\n\n指标名称\t计量单位\t2015年度\t历年累计\n主动公开文件数\t条\t2949\t81916\n"
            f"行政复议数\t件\t0\t0\n行政诉讼数\t件\t{blank}\t0\n")
    got, findings = _read_back(read_text(text))
    assert got["legacy.litigation.total"] is None and got["legacy.litigation.total.cumulative"] == 0
    assert got["legacy.review.total.cumulative"] == 0
    assert not findings


NATIONAL_DOCX = ("2018年度政府信息公开工作情况统计表\n\n\t统\u3000计\u3000指\u3000标\n\t单位\n\t统计数\n\n"
                 "\t（一）主动公开政府信息数\n\t条\n\t{cell}\n\n\t（一）收到申请数\n\t件\n\t3\n\n")


@pytest.mark.parametrize("cell", ["92\t92", "\u3000\u300092\u3000\u300092", "92 件"], ids=["tab", "spaces", "a-word"])
def test_a_one_column_cell_with_two_numbers_is_named(cell):
    got, findings = _read_back(read_text(NATIONAL_DOCX.format(cell=cell)))
    assert got["legacy.proactive.total"] is None and got["legacy.applications.received"] == 3
    assert [(f.code, f.keys) for f in findings] == [("cell_unreadable", ("legacy.proactive.total",))]


@pytest.mark.parametrize("values", ["92 92", "92 —"])
def test_a_one_column_text_row_with_two_cells_is_not_read(values):
    text = f"统计指标 单位 统计数 主动公开政府信息数 条 {values} 收到申请数 件 3 申请办结数 件 3"
    got, findings = _read_back(read_text(text))
    assert got["legacy.proactive.total"] is None and got["legacy.applications.received"] == 3
    assert [(f.code, f.keys) for f in findings] == [("table_row_unread", ("legacy.proactive.total",))]


@pytest.mark.parametrize("blank", ["", "—"], ids=["empty-line", "dash"])
def test_a_table_printed_one_cell_per_line_is_read_row_by_row(blank):
    """Web text that puts every cell of the 统计表 on a line of its own (label, unit, each value;
    a blank cell an empty line or a dash) reads as the same rows as the table."""
    text = ("2016年度政府信息公开情况统计表\n指标名称\n计量单位\n2016年度\n历年累计\n"
            "主动公开信息数\n条\n310\n2950\n其中：1、网站公开\n条\n300\n2900\n2、政府公报公开\n条\n"
            f"{blank}\n40\n受理依申请公开信息总数\n条\n4\n36\n行政复议数\n件\n0\n1\n注：本表截至12月31日。\n")
    got, findings = _read_back(read_text(text))
    assert got["legacy.proactive.total"] == 310 and got["legacy.proactive.total.cumulative"] == 2950
    assert got["legacy.proactive.channel.website"] == 300
    assert got["legacy.proactive.channel.gazette"] is None and got["legacy.proactive.channel.gazette.cumulative"] == 40
    assert got["legacy.review.total"] == 0 and got["legacy.review.total.cumulative"] == 1
    assert not [f for f in findings if f.code in ("cell_ambiguous", "table_row_unread", "cell_unreadable")]
