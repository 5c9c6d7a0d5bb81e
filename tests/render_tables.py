"""Print a report's gold tables in the text layouts reports arrive in (the layout bench).

Every layout is a function from a table (rows of printed cells) to text. The tables are built
from a gold file's values with the labels and headers of its template generation
(rules/table_*.toml), so each gold table of the corpus can be printed in every layout and read
back: tests/test_layout_bench.py. A layout met in the wild is added here, once, for every table.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from gongkai.template import TableRules, generation

RESULT_WORDS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
APPLICANTS_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
SECTION_HEADINGS = {"proactive": "二、主动公开政府信息情况", "applications": "三、收到和处理政府信息公开申请情况",
                    "review": "四、政府信息公开行政复议、行政诉讼情况"}


def printed(value) -> str:
    return "" if value is None else str(value)


@dataclass
class Printed:
    """One table as printed: header rows, then labelled rows; ``groups`` cut table 3 into its
    row groups (一/二, （一）–（七）…) and table 4 into its three sub-tables."""

    kind: str
    header: list[list[str]]
    rows: list[list[str]]
    groups: list[tuple[int, int, str]]  # (first row, end, title) of each row group / sub-table


def _proactive(table: TableRules, gold: dict) -> Printed:
    rows: list[list[str]] = []
    previous: tuple | None = None
    for rule in table.rows:
        keys = table.cell_keys(rule.key)
        if not all(k in gold for k in keys):
            continue
        headers = tuple(p for _, p in table.columns_of(rule.key))
        if headers != previous:  # each group of items prints its own header row
            rows.append(["信息内容", *headers])
            previous = headers
        rows.append([rule.label, *(printed(gold[k]) for k in keys)])
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return Printed("proactive", [], rows, [(0, len(rows), "")])


GROUP_TITLES = {"denied": "（三）不予公开", "unable": "（四）无法提供", "not_processed": "（五）不予处理",
                "other": "（六）其他处理"}


def _applications(table: TableRules, gold: dict) -> Printed:
    """Table 3; its groups are the rows sharing a key prefix (denied.*, unable.* …) or one row."""
    rows, groups, prefixes = [], [], []
    for rule in table.rows:
        keys = table.cell_keys(rule.key)
        if not all(k in gold for k in keys):
            continue
        prefix = rule.key.split(".")[0]
        if not prefixes or prefix != prefixes[-1] or prefix not in GROUP_TITLES:
            groups.append((len(rows), len(rows), GROUP_TITLES.get(prefix, rule.label)))
            prefixes.append(prefix)
        rows.append([rule.label, *(printed(gold[k]) for k in keys)])
        groups[-1] = (groups[-1][0], len(rows), groups[-1][2])
    header = [[APPLICANTS_NOTE, *(p for _, p in table.columns)]]
    return Printed("applications", header, rows, groups)


def _review(table: TableRules, gold: dict) -> Printed:
    if not all(k in gold for k, _ in table.columns):
        return Printed("review", [], [], [])
    values = [printed(gold[k]) for k, _ in table.columns]
    header = [["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9,
              RESULT_WORDS + ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
              [""] * 5 + RESULT_WORDS + RESULT_WORDS]
    names = ["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]
    return Printed("review", header, [values], [(5 * i, 5 * i + 5, name) for i, name in enumerate(names)])


def tables_of(gold: dict) -> list[Printed]:
    rules = generation(gold["meta"]["template"])
    values = gold["values"]
    out = [_proactive(rules.table("proactive"), values), _applications(rules.table("applications"), values),
           _review(rules.table("review"), values)]
    return [t for t in out if t.rows]


# --- layouts: a table → its text -----------------------------------------------------------------


def tabs(t: Printed) -> str:
    return "\n".join("\t".join(r) for r in t.header + t.rows)


def spaces(t: Printed) -> str:
    return "\n".join("  ".join(c for c in r if c) for r in t.header + t.rows)


def _md(rows: list[list[str]], header: list[str] | None) -> str:
    width = max(len(r) for r in rows + ([header] if header else []))
    fill = lambda r: r + [""] * (width - len(r))  # noqa: E731
    head = header if header is not None else [""] * width
    lines = ["| " + " | ".join(fill(head)) + " |", "|" + "---|" * width]
    return "\n".join(lines + ["| " + " | ".join(fill(r)) + " |" for r in rows])


def markdown(t: Printed) -> str:
    rows = t.header + t.rows
    return _md(rows[1:], rows[0])


def cell_per_line(t: Printed) -> str:
    return "\n".join(c for r in t.header + t.rows for c in r if c)


def docx_dump(t: Printed) -> str:
    return "\n\n".join("\n".join("\t" + c for c in r if c) for r in t.header + t.rows)


def trailing_pipes(t: Printed) -> str:
    """One cell per line, each followed by a pipe, a blank line between rows (some converters)."""
    return "\n\n".join("\n".join(f"{c} |" for c in r) for r in t.header + t.rows)


def markdown_split(t: Printed) -> str:
    """OCR-to-markdown: table 3 as one table per row group, each under a ### heading with generic
    column headers (类别 | 数据1 … | 总计); table 4 as three sub-tables with their own result
    headers; table 2 unchanged."""
    if t.kind == "applications":
        generic = ["类别", *(f"数据{i + 1}" for i in range(len(t.rows[0]) - 2)), "总计"]
        parts = [t.header[0][0]]
        for a, b, title in t.groups:
            parts.append(f"### {title}\n" + _md(t.rows[a:b], generic))
        return "\n\n".join(parts)
    if t.kind == "review":
        return "\n\n".join(f"### {title}\n" + _md([t.rows[0][a:b]], RESULT_WORDS) for a, b, title in t.groups)
    return markdown(t)


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_LABEL = re.compile(r"^(?P<n>[一二三四五六七八九十]+、|（[一二三四五六七]）|\d+\.)(?P<text>.+)$")


def _ocr_label(label: str, rng: random.Random) -> str:
    """One character of the label's text misread or lost, the row's number kept."""
    m = _LABEL.match(label)
    if not m or len(m["text"]) < 6:
        return label
    text = m["text"]
    i = rng.randrange(1, len(text) - 1)
    damaged = text[:i] + ("" if rng.random() < 0.5 else "口") + text[i + 1 :]
    return m["n"] + damaged


def _ocr_number(cell: str, rng: random.Random) -> str:
    if len(cell) >= 2 and cell.isdigit() and rng.random() < 0.5:
        i = rng.randrange(1, len(cell))
        cell = cell[:i] + " " + cell[i:]
    return cell.translate(_FULL_WIDTH) if rng.random() < 0.5 else cell


def ocr_markdown(t: Printed, seed: int = 7) -> str:
    """OCR output in pipe tables: damaged labels, full-width digits, spaces inside numbers."""
    rng = random.Random(seed)
    rows = [[_ocr_label(r[0], rng), *(_ocr_number(c, rng) for c in r[1:])] for r in t.rows]
    return markdown(Printed(t.kind, t.header, rows, t.groups))


LAYOUTS = [tabs, spaces, markdown, cell_per_line, docx_dump, trailing_pipes, markdown_split, ocr_markdown]


def render(gold: dict, layout) -> str:
    """A whole small report around the gold tables, printed in ``layout``."""
    meta = gold["meta"]
    head = f"某机关{meta['year']}年政府信息公开工作年度报告\n一、总体情况\n本年度工作平稳推进。\n"
    parts = [head]
    for t in tables_of(gold):
        parts.append(SECTION_HEADINGS[t.kind] + "\n" + layout(t) + "\n")
    return "".join(parts) + "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n"
