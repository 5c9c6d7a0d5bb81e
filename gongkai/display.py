"""display: a Report for people who would rather look than read — notebook views, the check page,
the corpus index.

Everything here is HTML built from the models, with one stylesheet inline: no script, no font,
no image, nothing fetched, so a page opens the same from a disk, a mail or an archive. The
words around the report's own text come from rules/display.toml.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from .models import Cell, Fact, Finding, Report, Span, Table
from .rules import _one_line, display_rules

_CONTEXT = 60  # characters of a line shown on each side of a span
_LEVEL = "·"  # joins the levels of a printed column label (行政诉讼·复议后起诉·总计)

_STYLE = """
.gk{font-family:system-ui,"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;
 font-size:14px;line-height:1.5;color:#1f2328}
.gk h1{font-size:22px;margin:0 0 8px}.gk h2{font-size:18px;margin:24px 0 8px;border-bottom:1px solid #d0d7de}
.gk h3{font-size:15px;margin:16px 0 6px}
.gk dl.gk-meta{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:0}
.gk dl.gk-meta dt{color:#59636e}.gk dl.gk-meta dd{margin:0}
.gk table{border-collapse:collapse;font-variant-numeric:tabular-nums}
.gk table th,.gk table td{border:1px solid #d0d7de;padding:2px 6px;vertical-align:middle}
.gk table th{background:#f6f8fa;font-weight:normal;text-align:center}
.gk table th.gk-row{text-align:left;max-width:26em}
.gk table td{text-align:right;min-width:2.2em}
.gk table td.gk-left{text-align:left}
.gk td.gk-blank{background:#fff}
.gk td.gk-broken{background:#ffd7d5;outline:3px solid #d1242f;outline-offset:-3px;font-weight:bold}
.gk td.gk-broken a{color:#d1242f;font-size:11px;text-decoration:none}
.gk .gk-sev{display:inline-block;border-radius:3px;padding:0 5px;font-size:12px;color:#fff}
.gk .gk-sev-error{background:#d1242f}.gk .gk-sev-warning{background:#9a6700}.gk .gk-sev-info{background:#6e7781}
.gk code{font-size:12px;background:#f6f8fa;padding:0 3px;border-radius:3px}
.gk ol.gk-findings>li{margin:6px 0}
.gk .gk-quote{color:#59636e;margin:2px 0 2px 8px;font-size:13px}
.gk .gk-quote mark,.gk mark.gk-hit{background:#ffd7d5;color:#1f2328;outline:2px solid #d1242f}
.gk mark.gk-fact{background:#c8f5d2;color:#1f2328;border-bottom:2px solid #1a7f37}
.gk mark.gk-fact.gk-hit{background:#ffd7d5}
.gk span.gk-cellspan{background:#ddf4ff}
.gk sup.gk-label{color:#1a7f37;font-size:10px;margin:0 2px;white-space:nowrap}
.gk .gk-text{white-space:pre-wrap;border:1px solid #d0d7de;padding:12px;max-width:60em;background:#fff}
.gk .gk-page{display:block;color:#8c959f;font-size:11px;border-top:1px dashed #d0d7de;margin:8px 0}
.gk .gk-legend span{margin-right:12px}
.gk .gk-muted{color:#59636e}
"""


@cache
def _labels() -> dict[str, str]:
    return display_rules().labels


def _label(name: str, **fields: Any) -> str:
    return escape(_labels()[name].format(**fields))


def _wrap(body: str) -> str:
    """A notebook fragment: the stylesheet and the body in one scoped block."""
    return f'<div class="gk"><style>{_STYLE}</style>{body}</div>'


def failing_keys(report: Report) -> set[str]:
    """Keys named by an error or a warning: the cells and facts a checker looks at first."""
    return {k for f in report.findings if f.severity != "info" for k in f.keys}


def _findings_of_keys(report: Report) -> dict[str, list[int]]:
    """Key → the numbers of the (error or warning) findings that name it."""
    out: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(report.findings):
        if f.severity != "info":
            for key in dict.fromkeys(f.keys):
                out[key].append(i)
    return out


def _page(page: int | None) -> str:
    return f' <span class="gk-muted">{_label("page", page=page)}</span>' if page is not None else ""


def _severity(f: Finding) -> str:
    return f'<span class="gk-sev gk-sev-{f.severity}">{f.severity}</span>'


def _quote(text: str, span: Span) -> str:
    """The sentence around ``span`` with the span marked, lines joined (a PDF breaks sentences
    into lines), cut to some context on each side."""
    ends = display_rules().sentence_end
    low = max(0, span.start - _CONTEXT)
    before = text[low : span.start]
    cut = max([before.rfind(c) for c in ends] + [before.rfind("\n\n")])
    before = before[cut + 1 :] if cut >= 0 else ("…" if low else "") + before
    after = text[span.end : span.end + _CONTEXT]
    stops = [i for i in [after.find(c) for c in ends] + [after.find("\n\n")] if i >= 0]
    after = after[: min(stops) + 1] if stops else after + ("…" if span.end + _CONTEXT < len(text) else "")
    one_line = [escape(_one_line(part)) for part in (before, span.of(text), after)]
    return f"{one_line[0]}<mark>{one_line[1]}</mark>{one_line[2]}"


def _where(report: Report, f: Finding, number: int | None = None) -> list[str]:
    """Each place a finding points at: a table cell by its printed labels, else its source line.
    With the finding's ``number`` (on the check page) each place links to the text and the grid."""
    out = []
    for j, span in enumerate(f.spans):
        cell = report.cell_at(span)
        page = _page(report.page_of(span.start))
        if cell is not None:
            labels = " × ".join(escape(x) for x in (cell.row, cell.column) if x)
            place = f'{labels} <code>{escape(cell.key or "")}</code> = <mark>{escape(cell.raw)}</mark>{page}'
        else:
            place = _quote(report.text, span) + page
        if number is not None:
            place += f' <a href="#f{number}-{j}">{_label("in_text")}</a>'
            if cell is not None and cell.key:
                place += f' <a href="#{_cell_id(cell.key)}">{_label("in_table")}</a>'
        out.append(place)
    return out


# --- notebook views -----------------------------------------------------------------------------


def finding_html(f: Finding, report: Report | None) -> str:
    """A finding: severity, code, the message with its arithmetic, and where it points."""
    head = f"{_severity(f)} <code>{escape(f.code)}</code> {escape(f.message)}{_page(f.page)}"
    if report is None:
        places = [f"<code>{escape(k)}</code>" for k in f.keys]
    else:
        places = _where(report, f)
    quotes = "".join(f'<div class="gk-quote">{p}</div>' for p in places)
    return _wrap(f"<div>{head}</div>{quotes}")


def fact_html(fact: Fact, report: Report | None) -> str:
    """A fact: its value and key, and the sentence it was read from with the match marked."""
    value = f"{'~' if fact.approximate else ''}{fact.value}{fact.unit}"
    subject = f" ({escape(fact.subject)})" if fact.subject else ""
    head = (f"<b>{escape(value)}</b> <code>{escape(fact.key)}</code>{subject} "
            f'<span class="gk-muted">{escape(fact.rule_id)}</span>{_page(fact.page)}')
    source = _quote(report.text, fact.span) if report is not None else f"<mark>{escape(fact.surface)}</mark>"
    return _wrap(f'<div>{head}</div><div class="gk-quote">{source}</div>')


def table_html(table: Table, report: Report | None) -> str:
    """A table as a grid: printed row and column labels, blank cells blank, the cells a finding
    names marked, each cell's key on hover."""
    marked = _findings_of_keys(report) if report is not None else {}
    title = f"<h3>{escape(table.title or table.kind)} <code>{escape(table.kind)}</code></h3>"
    return _wrap(title + _grid(table, marked, anchors=False))


def report_html(report: Report) -> str:
    """A report at a glance: who, which year, sections, key measures, and the findings."""
    body = [_header(report), _sections(report), _measures(report), _findings(report, anchors=False)]
    return _wrap("".join(body))


def _header(report: Report) -> str:
    m = report.meta
    period = f"{m.period_start or ''} – {m.period_end or ''}" if m.period_start or m.period_end else ""
    rows = [("agency", m.agency), ("year", m.year), ("template", m.template), ("period", period),
            ("source", report.source)]
    items = "".join(f"<dt>{_label(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in rows if v)
    return f'<h2>{escape(m.agency or report.source or "")} {m.year or ""}</h2><dl class="gk-meta">{items}</dl>'


def _sections(report: Report) -> str:
    recovered = _label("recovered")
    items = "".join(f"<li>{escape(s.number)}{escape(s.title)}{recovered if s.recovered else ''}"
                    f"{_page(report.page_of(s.span.start))}</li>" for s in report.sections)
    return f"<h3>{_label('sections')}</h3><ol style='list-style:none;padding-left:0'>{items}</ol>"


@cache
def _field_labels() -> dict[str, str]:
    from .fields import catalogue

    labels: dict[str, str] = {}
    for field in catalogue():
        labels.setdefault(field.key, field.label)
    return labels


def _measures(report: Report) -> str:
    values = report.values()
    pages = {c.key: c.page for t in report.tables for c in t.cells if c.key}
    pages.update({f.key: f.page for f in report.facts if f.key not in pages})
    rows = "".join(
        f'<tr><th class="gk-row">{escape(_field_labels().get(key, key))}</th><td class="gk-left"><code>{escape(key)}</code></td>'
        f"<td>{'' if values[key] is None else values[key]}</td><td class=\"gk-left\">{_page(pages.get(key))}</td></tr>"
        for key in display_rules().measures if key in values
    )
    return f"<h3>{_label('measures')}</h3><table>{rows}</table>" if rows else ""


def _findings(report: Report, anchors: bool) -> str:
    if not report.findings:
        return f"<h3>{_label('no_findings')}</h3>"
    items = []
    for i, f in enumerate(report.findings):
        quotes = "".join(f'<div class="gk-quote">{p}</div>' for p in _where(report, f, i if anchors else None))
        items.append(f'<li id="finding-{i}" class="gk-finding gk-{f.severity}">{_severity(f)} '
                     f"<code>{escape(f.code)}</code> {escape(f.message)}{_page(f.page)}{quotes}</li>")
    return f'<h3 id="findings">{_label("findings")} ({len(items)})</h3><ol class="gk-findings">{"".join(items)}</ol>'


# --- grids --------------------------------------------------------------------------------------


def _cell_id(key: str) -> str:
    return f"cell-{key}"


def _header_rows(columns: list[str]) -> str:
    """Column labels as header rows: a level shared by neighbours (行政诉讼·…) spans them."""
    parts = [c.split(_LEVEL) for c in columns]
    depth = max((len(p) for p in parts), default=1)
    rows = []
    for level in range(depth):
        cells = [f'<th rowspan="{depth}"></th>'] if level == 0 else []
        i = 0
        while i < len(parts):
            p = parts[i]
            if len(p) <= level:
                i += 1
                continue
            span = 1
            while i + span < len(parts) and parts[i + span][: level + 1] == p[: level + 1] and len(p) > level + 1:
                span += 1
            rowspan = depth - level if len(p) == level + 1 else 1
            cells.append(f'<th colspan="{span}" rowspan="{rowspan}">{escape(p[level])}</th>')
            i += span
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return "".join(rows)


def _grid(table: Table, marked: dict[str, list[int]], anchors: bool) -> str:
    rows = list(dict.fromkeys(c.row for c in table.cells))
    columns = list(dict.fromkeys(c.column for c in table.cells))
    at: dict[tuple[str, str], Cell] = {}
    for c in table.cells:
        at.setdefault((c.row, c.column), c)
    body = []
    for row in rows:
        tds = "".join(_td(at.get((row, col)), marked, anchors) for col in columns)
        body.append(f'<tr><th class="gk-row">{escape(row)}</th>{tds}</tr>')
    return f'<table class="gk-grid" data-table="{escape(table.kind)}">{_header_rows(columns)}{"".join(body)}</table>'


def _td(cell: Cell | None, marked: dict[str, list[int]], anchors: bool) -> str:
    if cell is None:
        return '<td class="gk-blank"></td>'
    classes = ["gk-cell"] + (["gk-blank"] if cell.value is None else [])
    hint = cell.key or "unmapped"
    if cell.page is not None:
        hint += f" · p.{cell.page}"
    attrs = f' title="{escape(hint)}"'
    if cell.key:
        attrs += f' data-key="{escape(cell.key)}"'
    if anchors and cell.key:
        attrs += f' id="{escape(_cell_id(cell.key))}"'
    refs = ""
    if cell.key in marked:
        classes.append("gk-broken")
        refs = "".join(f' <a href="#finding-{i}">[{i + 1}]</a>' if anchors else f" [{i + 1}]" for i in marked[cell.key])
    return f'<td class="{" ".join(classes)}"{attrs}>{escape(cell.raw)}{refs}</td>'


# --- the check page -----------------------------------------------------------------------------


def report_page(report: Report) -> str:
    """The whole check page of one report (``Report.to_html``)."""
    title = f"{report.meta.agency or report.source or ''} {report.meta.year or ''}".strip()
    body = [
        f"<h1>{escape(title)}</h1>",
        _header(report).split("</h2>", 1)[1],
        _measures(report),
        _findings(report, anchors=True),
        _tables(report),
        _text(report),
    ]
    return _document(f"{_labels()['title']} · {title}", "".join(body))


def _document(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<style>body{{margin:24px}}{_STYLE}</style></head><body class="gk">{body}</body></html>\n')


def _tables(report: Report) -> str:
    marked = _findings_of_keys(report)
    parts = [f'<h2 id="tables">{_label("tables")}</h2>']
    for table in report.tables:
        parts.append(f"<h3>{escape(table.title or table.kind)} <code>{escape(table.kind)}</code></h3>")
        parts.append(_grid(table, marked, anchors=True))
        keys = {c.key for c in table.cells if c.key}
        failed = [(i, f) for i, f in enumerate(report.findings) if f.severity != "info" and keys & set(f.keys)]
        if failed:
            items = "".join(f'<li><a href="#finding-{i}">[{i + 1}]</a> {_severity(f)} <code>{escape(f.code)}</code> '
                            f'<span class="gk-arith">{escape(f.message)}</span></li>' for i, f in failed)
            parts.append(f'<div class="gk-identities">{_label("identities")}<ul>{items}</ul></div>')
    return "".join(parts)


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    classes: str
    title: str = ""
    anchor: str = ""
    label: str = ""


def _marks(report: Report) -> list[_Mark]:
    failing = failing_keys(report)
    marks = []
    for f in report.facts:
        label = f.key + (f":{f.subject}" if f.subject else "")
        hit = " gk-hit" if f.key in failing else ""
        marks.append(_Mark(f.span.start, f.span.end, f"gk-fact{hit}", f"{label} = {f.value}{f.unit}", label=label))
    for t in report.tables:
        for c in t.cells:
            if c.span is not None and c.span.end > c.span.start:
                hit = " gk-hit" if c.key in failing else ""
                marks.append(_Mark(c.span.start, c.span.end, f"gk-cellspan{hit}", c.key or "unmapped"))
    for i, finding in enumerate(report.findings):
        hit = "gk-hit" if finding.severity != "info" else ""
        marks += [_Mark(s.start, s.end, hit, finding.code, anchor=f"f{i}-{j}") for j, s in enumerate(finding.spans)]
    return marks


def _text(report: Report) -> str:
    """The report's text with every fact highlighted and labelled, every cell and every place a
    finding points at marked, and the PDF page breaks shown."""
    text, marks = report.text, _marks(report)
    pages = {start: n for n, start in enumerate(report.page_starts, 1)}
    points = sorted({0, len(text), *pages, *(m.start for m in marks), *(m.end for m in marks)})
    out = []
    for a, b in zip(points, points[1:] + [len(text)]):
        out += [f'<sup class="gk-label">{escape(m.label)}</sup>' for m in marks if m.end == a and m.label]
        if a in pages:
            out.append(f'<span class="gk-page" id="page-{pages[a]}">{_label("page", page=pages[a])}</span>')
        out += [f'<a id="{m.anchor}"></a>' for m in marks if m.start == a and m.anchor]
        if a >= b:
            continue
        active = [m for m in marks if m.start <= a < m.end]
        segment = escape(text[a:b])
        for m in active:
            if m.classes:
                tag = "mark" if "gk-fact" in m.classes or "gk-hit" in m.classes else "span"
                segment = f'<{tag} class="{m.classes}" title="{escape(m.title)}">{segment}</{tag}>'
        out.append(segment)
    legend = (f'<div class="gk-legend">{_label("legend")}: <mark class="gk-fact">{_label("legend_fact")}</mark> '
              f'<span class="gk-cellspan">{_label("legend_cell")}</span> <mark class="gk-hit">{_label("legend_failing")}</mark></div>')
    return f'<h2 id="text">{_label("text")}</h2>{legend}<div class="gk-text">{"".join(out)}</div>'


# --- a corpus -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    path: str
    page: str | None  # file name of the report's page
    agency: str | None = None
    year: int | None = None
    errors: int = 0
    warnings: int = 0
    codes: tuple[str, ...] = ()
    failure: str | None = None


def _page_name(index: int, path: str) -> str:
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in Path(path).stem)
    return f"{index:04d}-{stem}.html"


def _write_one(job: tuple[int, str, str]) -> _Entry:
    """Parse one file and write its page (in a worker process); a failure is an entry too."""
    from . import parse
    from .errors import GongkaiError

    index, path, out_dir = job
    try:
        report = parse(path)
    except GongkaiError as exc:
        return _Entry(path, None, failure=f"{type(exc).__name__}: {exc}")
    name = _page_name(index, path)
    (Path(out_dir) / name).write_text(report_page(report), encoding="utf-8")
    return _Entry(path, name, report.meta.agency, report.meta.year,
                  sum(f.severity == "error" for f in report.findings),
                  sum(f.severity == "warning" for f in report.findings), tuple(report.codes()))


def write_corpus(files: Iterable[str], out_dir: str | os.PathLike[str], workers: int | None = None) -> Path:
    """One check page per report under ``out_dir`` and an ``index.html`` of the findings by agency
    and year; returns the index. Reports are parsed in a process pool, one at a time each."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    jobs = [(i, path, str(out)) for i, path in enumerate(files)]
    entries = list(_map(jobs, workers))
    index = out / "index.html"
    index.write_text(_index(entries), encoding="utf-8")
    return index


def _map(jobs: list[tuple[int, str, str]], workers: int | None) -> Iterator[_Entry]:
    if workers == 1 or len(jobs) < 2:
        yield from map(_write_one, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_write_one, jobs, chunksize=4)


def _counts(entry: _Entry) -> str:
    found = []
    if entry.errors:
        found.append(f'<span class="gk-sev gk-sev-error">{entry.errors}</span>')
    if entry.warnings:
        found.append(f'<span class="gk-sev gk-sev-warning">{entry.warnings}</span>')
    text = " ".join(found) or "✓"
    return f'<a href="{escape(entry.page or "")}" title="{escape(", ".join(entry.codes))}">{text}</a>'


def _index(entries: list[_Entry]) -> str:
    read = [e for e in entries if e.page is not None]
    years = sorted({e.year for e in read if e.year is not None})
    by_agency: dict[str, dict[int | None, list[_Entry]]] = defaultdict(lambda: defaultdict(list))
    for e in read:
        by_agency[e.agency or e.path][e.year].append(e)
    head = "".join(f"<th>{y}</th>" for y in years)
    rows = []
    for agency in sorted(by_agency):
        cells = "".join("<td>" + " ".join(_counts(e) for e in by_agency[agency].get(y, [])) + "</td>" for y in years)
        rows.append(f'<tr><th class="gk-row">{escape(agency)}</th>{cells}</tr>')
    matrix = f'<table class="gk-matrix"><tr><th></th>{head}</tr>{"".join(rows)}</table>'
    listing = "".join(
        f'<tr><td style="text-align:left"><a href="{escape(e.page or "")}">{escape(e.path)}</a></td>'
        f'<td style="text-align:left">{escape(e.agency or "")}</td><td>{e.year or ""}</td><td>{e.errors}</td>'
        f'<td>{e.warnings}</td><td style="text-align:left">{escape(", ".join(e.codes))}</td></tr>' for e in read
    )
    failed = "".join(f"<li>{escape(e.path)}: {escape(e.failure or '')}</li>" for e in entries if e.page is None)
    body = [f"<h1>{_label('index_title')}</h1>",
            f'<h2 id="by-agency-year">{_label("by_agency_year")}</h2>{matrix}',
            f'<h2 id="reports">{_label("reports")} ({len(read)})</h2><table class="gk-reports"><tr><th>{_label("source")}</th>'
            f'<th>{_label("agency")}</th><th>{_label("year")}</th><th>{_label("errors")}</th><th>{_label("warnings")}</th>'
            f'<th>{_label("findings")}</th></tr>{listing}</table>']
    if failed:
        body.append(f'<h2 id="unreadable">{_label("unreadable")}</h2><ul>{failed}</ul>')
    return _document(_labels()["index_title"], "".join(body))
