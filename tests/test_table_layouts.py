"""One real table, every text layout: the same cells must come back.

The numbers are those of 河北省教育厅 2022 (its hand-checked gold, corpus/gold/hebei-jyt-2022.json:
4-digit and decimal values, few zeros), printed with the official 2021 labels in each layout a
report arrives in: reader grids (tabs), PDF-like spaced rows, markdown, web text with one cell per
line, DOCX dumps (a tab before each cell, blank lines between rows), and real .docx/.html files.
"""

import json

import pytest

import gongkai
from conftest import CORPUS
from gongkai.template import generation as generation_rules

GOLD = json.loads((CORPUS / "gold" / "hebei-jyt-2022.json").read_text(encoding="utf-8"))["values"]
RULES = generation_rules("2021")
APPLICANT_HEADER = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def _printed(value) -> str:
    return "" if value is None else str(value)


def table_rows() -> list[tuple[str, list[list[str]]]]:
    """(section heading, rows of cells) for tables 2, 3 and 4, labels as the template prints them."""
    t2 = [["第二十条第（一）项", "", "", ""], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]]
    for item, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
        t2.append([label] + [_printed(GOLD[f"proactive.{item}.{c}"]) for c in ("issued", "repealed", "in_force")])
    t2 += [["第二十条第（五）项", "", "", ""], ["信息内容", "本年处理决定数量", "", ""],
           ["行政许可", _printed(GOLD["proactive.licensing.decisions"]), "", ""],
           ["第二十条第（六）项", "", "", ""], ["信息内容", "本年处理决定数量", "", ""],
           ["行政处罚", _printed(GOLD["proactive.penalties.decisions"]), "", ""],
           ["行政强制", _printed(GOLD["proactive.enforcement.decisions"]), "", ""],
           ["第二十条第（八）项", "", "", ""], ["信息内容", "本年收费金额（单位：万元）", "", ""],
           ["行政事业性收费", _printed(GOLD["proactive.fees.amount"]), "", ""]]
    t3 = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", *APPLICANT_HEADER]]
    for rule in RULES.table("applications").rows:
        if rule.group:
            continue
        cells = [_printed(GOLD[f"applications.{rule.key}.{c}"]) for c, _ in RULES.table("applications").columns]
        t3.append([rule.label, *cells])
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    t4 = [["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9,
          results + ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
          [""] * 5 + results + results,
          [_printed(GOLD[key]) for key, _ in RULES.table("review").columns]]
    return [("二、主动公开政府信息情况", t2), ("三、收到和处理政府信息公开申请情况", t3),
            ("四、政府信息公开行政复议、行政诉讼情况", t4)]


HEAD = "河北省某厅2022年政府信息公开工作年度报告\n一、总体情况\n全年收到政府信息公开申请44件。\n"
TAIL = "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n"


def _render(line_of) -> str:
    parts = [HEAD]
    for heading, rows in table_rows():
        parts.append(heading + "\n" + line_of(rows) + "\n")
    return "".join(parts) + TAIL


def tabs(rows):
    return "\n".join("\t".join(r) for r in rows)


def spaces(rows):
    return "\n".join("  ".join(c for c in r if c) for r in rows)


def markdown(rows):
    width = max(len(r) for r in rows)
    lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
    return "\n".join([lines[0], "|" + "---|" * width, *lines[1:]])


def cell_per_line(rows):
    return "\n".join(c for r in rows for c in r if c)


def docx_dump(rows):
    return "\n\n".join("\n".join("\t" + c for c in r if c) for r in rows)


LAYOUTS = [tabs, spaces, markdown, cell_per_line, docx_dump]


def _table_values(report) -> dict:
    return {k: v for k, v in report.values().items() if not k.startswith("narrative.")}


def _expected() -> dict:
    return {k: v for k, v in GOLD.items() if not k.startswith("applications.other.total")}


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda f: f.__name__)
def test_every_cell_in_every_layout(layout):
    report = gongkai.parse_text(_render(layout))
    assert _table_values(report) == _expected()
    for table in report.tables:
        for cell in table.cells:
            assert cell.span is None or report.text[cell.span.start : cell.span.end] == cell.raw
    assert not {"table_row_unread", "table_missing", "table_truncated"} & set(report.codes())


def test_a_lost_cell_is_never_filled_from_a_neighbour():
    """One cell per line loses a cell of 本年新收 (41 2 0 0 1 0 44 → 41 2 0 1 0 44): the cells
    every reading that satisfies the identities agrees on are read, the others stay None with
    cell_ambiguous — never shifted or padded (issue 11: decode even partly)."""
    full = _render(cell_per_line)
    text = full.replace("\n41\n2\n0\n0\n1\n0\n44\n", "\n41\n2\n0\n1\n0\n44\n", 1)
    assert text != full
    report = gongkai.parse_text(text)
    new = {c: report.value(f"applications.new.{c}") for c, _ in RULES.table("applications").columns}
    assert new == {"natural": 41, "commercial": 2, "research": None, "nonprofit": None, "legal": 1,
                   "other_org": 0, "total": 44}
    ambiguous = [f for f in report.findings if f.code == "cell_ambiguous"]
    assert [f.keys for f in ambiguous] == [("applications.new.research", "applications.new.nonprofit")]
    assert report.value("applications.carried_over.total") == GOLD["applications.carried_over.total"]


def test_docx_and_html_files(tmp_path):
    pytest.importorskip("docx")
    pytest.importorskip("selectolax")
    import docx

    document = docx.Document()
    page = ["<html><head><meta charset='utf-8'></head><body>"]
    for line in HEAD.strip().split("\n"):
        document.add_paragraph(line)
        page.append(f"<p>{line}</p>")
    for heading, rows in table_rows():
        document.add_paragraph(heading)
        page.append(f"<p>{heading}</p><table>")
        width = max(len(r) for r in rows)
        grid = document.add_table(rows=len(rows), cols=width)
        for i, row in enumerate(rows):
            page.append("<tr>" + "".join(f"<td>{c or '&nbsp;'}</td>" for c in row) + "</tr>")
            for j, cell in enumerate(row):
                grid.cell(i, j).text = cell
        page.append("</table>")
    for line in TAIL.strip().split("\n"):
        document.add_paragraph(line)
        page.append(f"<p>{line}</p>")
    document.save(tmp_path / "report.docx")
    (tmp_path / "report.html").write_text("".join(page) + "</body></html>", encoding="utf-8")
    for name in ("report.docx", "report.html"):
        assert _table_values(gongkai.parse(tmp_path / name)) == _expected(), name


def test_a_subtotal_column_is_set_aside():
    """R3.9: the same table with a 小计 of the five 法人或其他组织 columns before 总计."""
    def with_subtotal(rows):
        out = []
        for r in rows:
            if len(r) == 8 and all(c.isdigit() for c in r[1:]):
                r = r[:7] + [str(sum(int(c) for c in r[2:7]))] + r[7:]
            elif len(r) == 8:
                r = r[:7] + ["小计"] + r[7:]
            out.append(r)
        return tabs(out)

    text = _render(lambda rows: with_subtotal(rows) if len(rows[0]) == 8 else tabs(rows))
    report = gongkai.parse_text(text)
    assert _table_values(report) == _expected()
    extra = [f for f in report.findings if f.code == "table_extra_column"]
    assert len(extra) == 1 and "第7列" in extra[0].message


def test_an_extra_column_that_no_identity_singles_out_is_not_read_by_position():
    rows = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", *APPLICANT_HEADER, "备注"],
            ["一、本年新收政府信息公开申请数量", "3", "1", "0", "0", "0", "0", "4", "7"],
            ["二、上年结转政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1", "5"],
            ["（一）予以公开", "2", "1", "0", "0", "0", "0", "3", "9"]]
    report = gongkai.parse_text(HEAD + "三、收到和处理政府信息公开申请情况\n" + tabs(rows) + "\n" + TAIL)
    assert [v for k, v in report.values().items() if k.startswith("applications.")] == [None] * 21
    assert report.codes().count("table_row_unread") == 3  # eight numbers apart by tabs are never seven cells
