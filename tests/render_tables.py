"""Print a report's gold tables in the text layouts reports arrive in (the layout bench).

Every layout is a function from a table (rows of printed cells) to text. The tables are built
from a gold file's values with the labels and headers of its template generation
(rules/table_*.toml), so each gold table of the corpus can be printed in every layout and read
back: tests/test_layout_bench.py. A layout met in the wild is added here, once, for every table.
The pre-2019 统计表 has its own layouts (``STAT_LAYOUTS``, at the end): its rows are label, unit
and one or two value cells, printed as the readers and crawlers give them.
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


# --- the pre-2019 统计表 -----------------------------------------------------------------------
# No national format printed its labels, so the bench prints the wording of the two kinds the
# corpus has (FORMATS §7.1, §7.2): the national 统计指标 | 单位 | 统计数 table as 曲阜 2018 printed it
# (seed 003), and Fujian's 指标名称 | 计量单位 | YYYY年度 | 历年累计 as 平潭 did. Every row gets a unit
# (a group row printed without one cannot be found in text that runs the table on one line).

NATIONAL = [  # key (after legacy.), label, unit — in printed order
    ("proactive", "一、主动公开情况", "条"),
    ("proactive.total", "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条"),
    ("proactive.normative_documents_published", "其中：主动公开规范性文件数", "条"),
    ("proactive.normative_documents_issued", "制发规范性文件总数", "件"),
    ("proactive.channel", "（二）通过不同渠道和方式公开政府信息的情况", "条"),
    ("proactive.channel.gazette", "1.政府公报公开政府信息数", "条"),
    ("proactive.channel.website", "2.政府网站公开政府信息数", "条"),
    ("proactive.channel.weibo", "3.政务微博公开政府信息数", "条"),
    ("proactive.channel.wechat", "4.政务微信公开政府信息数", "条"),
    ("proactive.channel.other", "5.其他方式公开政府信息数", "条"),
    ("response", "二、回应解读情况", "次"),
    ("response.hotspots", "（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）", "次"),
    ("response.channel", "（二）通过不同渠道和方式回应解读的情况", "次"),
    ("response.press_conferences", "1.参加或举办新闻发布会总次数", "次"),
    ("response.press_conferences_by_heads", "其中：主要负责同志参加新闻发布会次数", "次"),
    ("response.online_interviews", "2.政府网站在线访谈次数", "次"),
    ("response.online_interviews_by_heads", "其中：主要负责同志参加政府网站在线访谈次数", "次"),
    ("response.interpretations", "3.政策解读稿件发布数", "篇"),
    ("response.weibo_wechat", "4.微博微信回应事件数", "次"),
    ("response.other", "5.其他方式回应事件数", "次"),
    ("applications", "三、依申请公开情况", "件"),
    ("applications.received", "（一）收到申请数", "件"),
    ("applications.received.in_person", "1.当面申请数", "件"),
    ("applications.received.fax", "2.传真申请数", "件"),
    ("applications.received.online", "3.网络申请数", "件"),
    ("applications.received.letter", "4.信函申请数", "件"),
    ("applications.received.other", "5.其他形式", "件"),
    ("applications.closed", "（二）申请办结数", "件"),
    ("applications.closed.on_time", "1.按时办结数", "件"),
    ("applications.closed.extended", "2.延期办结数", "件"),
    ("applications.answered", "（三）申请答复数", "件"),
    ("applications.answered.already_public", "1.属于已主动公开范围数", "件"),
    ("applications.answered.granted", "2.同意公开答复数", "件"),
    ("applications.answered.partial", "3.同意部分公开答复数", "件"),
    ("applications.answered.denied", "4.不同意公开答复数", "件"),
    ("applications.answered.denied.state_secret", "其中：涉及国家秘密", "件"),
    ("applications.answered.denied.commercial_secret", "涉及商业秘密", "件"),
    ("applications.answered.denied.privacy", "涉及个人隐私", "件"),
    ("applications.answered.denied.security", "危及国家安全、公共安全、经济安全和社会稳定", "件"),
    ("applications.answered.denied.not_gov_info", "不是《条例》所指政府信息", "件"),
    ("applications.answered.denied.other_legal", "法律法规规定的其他情形", "件"),
    ("applications.answered.not_this_agency", "5.不属于本行政机关公开数", "件"),
    ("applications.answered.not_exist", "6.申请信息不存在数", "件"),
    ("applications.answered.told_to_amend", "7.告知作出更改补充数", "件"),
    ("applications.answered.other_channel", "8.告知通过其他途径办理数", "件"),
    ("review.total", "四、行政复议数量", "件"),
    ("review.upheld", "（一）维持具体行政行为数", "件"),
    ("review.corrected", "（二）被依法纠错数", "件"),
    ("review.other", "（三）其他情形数", "件"),
    ("litigation.total", "五、行政诉讼数量", "件"),
    ("litigation.upheld", "（一）维持具体行政行为或者驳回原告诉讼请求数", "件"),
    ("litigation.corrected", "（二）被依法纠错数", "件"),
    ("litigation.other", "（三）其他情形数", "件"),
    ("complaints", "六、被举报投诉数量", "件"),
    ("complaints.upheld", "（一）维持具体行政行为数", "件"),
    ("complaints.corrected", "（二）被纠错数", "件"),
    ("complaints.other", "（三）其他情形数", "件"),
    ("archives", "七、向图书馆、档案馆等查阅场所报送信息数", "条"),
    ("archives.paper", "（一）纸质文件数", "条"),
    ("archives.electronic", "（二）电子文件数", "条"),
    ("reading_points", "八、设置政府信息查阅点数", "个"),
    ("reading_points.departments", "（一）市政府各部门、单位", "个"),
    ("reading_points.towns", "（二）各镇人民政府、街道办事处", "个"),
    ("reading_visitors", "九、查阅点接待人数", "人"),
    ("reading_visitors.departments", "（一）市政府各部门、单位", "人"),
    ("reading_visitors.towns", "（二）各镇人民政府、街道办事处", "人"),
    ("org", "十、机构建设和保障经费情况", "个"),
    ("org.units", "（一）政府信息公开工作专门机构数", "个"),
    ("org.reading_points", "（二）设置政府信息公开查阅点数", "个"),
    ("org.staff", "（三）从事政府信息公开工作人员数", "人"),
    ("org.staff.full_time", "1.专职人员数（不包括政府公报及政府网站工作人员数）", "人"),
    ("org.staff.part_time", "2.兼职人员数", "人"),
    ("org.budget", "（四）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）", "万元"),
]

FUJIAN = [  # key, label without its item number (None: a parent row), unit; children numbered in order
    ("proactive.total", "主动公开信息数", "条", None),
    ("proactive.channel.website", "政府网站公开数", "条", "proactive.total"),
    ("proactive.channel.gazette", "政府公报公开数", "条", "proactive.total"),
    ("applications.received", "受理依申请公开信息总数", "条", None),
    ("applications.received.in_person", "当面申请数", "条", "applications.received"),
    ("applications.received.fax", "传真申请数", "条", "applications.received"),
    ("applications.received.email", "电子邮件申请数", "条", "applications.received"),
    ("applications.received.online", "网上申请数", "条", "applications.received"),
    ("applications.received.letter", "信函申请数", "条", "applications.received"),
    ("applications.received.letter_fax", "信函、传真申请数", "条", "applications.received"),
    ("applications.received.other", "其它形式申请数", "条", "applications.received"),
    ("applications.answered", "对申请的答复总数", "条", None),
    ("applications.answered.granted", "同意公开答复数", "条", "applications.answered"),
    ("applications.answered.partial", "同意部分公开答复数", "条", "applications.answered"),
    ("applications.answered.denied", "不予公开答复数", "条", "applications.answered"),
    ("applications.answered.other", "其他类型答复数", "条", "applications.answered"),
    ("fees", "政府信息公开收费减免金额", "元", None),
    ("review.total", "行政复议数", "件", None),
    ("litigation.total", "行政诉讼数", "件", None),
]


@dataclass
class Statistics:
    """The pre-2019 table as printed: its header cells, then per row label, unit and value cells."""

    header: list[str]
    rows: list[tuple[str, str, list[str]]]

    @property
    def columns(self) -> int:
        return len(self.header) - 2


def statistics_of(gold: dict) -> Statistics:
    """The gold's pre-2019 table in the wording of its kind: Fujian when it has 历年累计."""
    values = {k.removeprefix("legacy."): v for k, v in gold["values"].items() if k.startswith("legacy.")}
    if not any(k.endswith(".cumulative") for k in values):
        return Statistics(["统计指标", "单位", "统计数"],
                          [(label, unit, [printed(values[key])]) for key, label, unit in NATIONAL if key in values])
    rows, numbers = [], {}
    for key, label, unit, parent in FUJIAN:
        if key not in values:
            continue
        if parent is not None:
            numbers[parent] = numbers.get(parent, 0) + 1
            label = ("其中：" if numbers[parent] == 1 else "") + f"{numbers[parent]}、{label}"
        rows.append((label, unit, [printed(values[key]), printed(values[key + ".cumulative"])]))
    return Statistics(["指标名称", "计量单位", f"{gold['meta']['year']}年度", "历年累计"], rows)


def _stat_lines(t: Statistics) -> list[list[str]]:
    return [t.header, *([label, unit, *cells] for label, unit, cells in t.rows)]


def stat_tabs(t: Statistics) -> str:
    """The readers' grid of an HTML or PDF table: a row per line, fields apart by tabs."""
    return "\n".join("\t".join(r) for r in _stat_lines(t))


def stat_spaces(t: Statistics) -> str:
    """Plain text, a row per line, cells apart by two spaces; a blank cell prints nothing."""
    return "\n".join("  ".join(c for c in r if c) for r in _stat_lines(t))


def stat_one_line(t: Statistics) -> str:
    """Crawler text of a web page (平潭 2011, 2012): the whole table on one line, cells apart by one
    space; a blank cell prints nothing."""
    return " ".join(c for r in _stat_lines(t) for c in r if c)


def stat_run_together(t: Statistics) -> str:
    """Crawler text without spaces (平潭 2011 县, 2015): every cell of the table run together."""
    return "".join(c for r in _stat_lines(t) for c in r)


def stat_unit_glued(t: Statistics) -> str:
    """A row per line, the unit run into the first value (件11 0), the values apart by a space."""
    return "\n".join([" ".join(t.header)] + [f"{label} {unit}{' '.join(c for c in cells if c)}"
                                             for label, unit, cells in t.rows])


def stat_cell_per_line(t: Statistics) -> str:
    """Web text of a table a cell per line: label, unit and each value on lines of their own, a
    blank cell an empty line."""
    return "\n".join(c for r in _stat_lines(t) for c in r)


def stat_markdown(t: Statistics) -> str:
    lines = _stat_lines(t)
    return _md(lines[1:], lines[0])


def stat_docx_dump(t: Statistics) -> str:
    """The DOCX reader's dump: a cell per tab-led line (an empty one for a blank), a blank line
    between rows (seed 003)."""
    return "\n\n".join("\n".join("\t" + c for c in r) for r in _stat_lines(t))


def stat_html(t: Statistics) -> str:
    """An HTML page's table (a .html file: the test reads it with gongkai's reader)."""
    cells = lambda r, tag: "".join(f"<{tag}>{c}</{tag}>" for c in r)  # noqa: E731
    rows = [f"<tr>{cells(t.header, 'th')}</tr>"] + [f"<tr>{cells([label, unit, *v], 'td')}</tr>"
                                                    for label, unit, v in t.rows]
    return "<table>" + "".join(rows) + "</table>"


STAT_LAYOUTS = [stat_tabs, stat_spaces, stat_one_line, stat_run_together, stat_unit_glued, stat_cell_per_line,
                stat_markdown, stat_docx_dump, stat_html]


def render_statistics(gold: dict, layout) -> str:
    """A small pre-2019 report around the gold's 统计表, printed in ``layout`` (HTML for stat_html)."""
    year = gold["meta"]["year"]
    head = f"某机关{year}年政府信息公开工作年度报告\n一、概述\n本年度工作平稳推进。\n"
    title = f"{year}年度政府信息公开情况统计表"
    tail = "\n注：本表数据截至12月31日。\n"
    if layout is stat_html:
        paragraphs = "".join(f"<p>{line}</p>" for line in (head.strip().split("\n") + [title]))
        return f"<html><body>{paragraphs}{stat_html(statistics_of(gold))}<p>{tail.strip()}</p></body></html>"
    return head + title + "\n" + layout(statistics_of(gold)) + tail
