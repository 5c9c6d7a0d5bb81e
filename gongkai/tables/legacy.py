"""Pre-2019 统计表: rows found by label, keyed ``legacy.<row>``, from every text layout.

Two layouts of the same tables arrive (FORMATS §7):

- one cell per line (DOCX text dumps, seed 003): a tab starts each cell, blank lines separate
  rows, a label may continue on a line of its own;
- one line for the whole table (web pages): ``label unit values`` in a row, with spaces between
  the cells, or with none at all (``主动公开信息数条4251516``, ``…网站公开条41815092.政府公报…``).

The unit word (条, 件 …) ends every label, so it is the separator. Digits glued together are
decoded like the crawler-text tables (``_runtogether``): a 历年累计 is never below the year's
count (P9), a 其中 row never exceeds its parent (P7/P8), sub-items of a partitioned parent add up
to it (P1-P6); where those leave more than one reading, the report's own sentence stating the
same count (``主动公开政府信息425条``) may choose; otherwise the cells stay None with
``cell_ambiguous``. Labels without an alias keep their printed label with key None.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .digits import Values, _Capped, _Search, _tokens, _values, splits_of
from ..models import Cell, Finding, Span, Table
from ..read import Document
from ..rules import compiled, finding
from ..template import LegacyGeneration, legacy
from ..template import LegacyLayout as Layout


def legacy_rules() -> LegacyGeneration:
    return legacy()


@dataclass
class _Row:
    """One printed row: its label, and per value column the (start, end) of its text, or None."""

    label: tuple[int, int]
    unit: str
    values: list[tuple[int, int] | None]
    glued: tuple[int, int] | None = None  # digits of several cells run together
    key: str | None = None
    parent: int | None = None  # index of the row a 其中/numbered row belongs to


# --- finding the table and its rows -------------------------------------------------------


def _find_table(folded: str) -> tuple[Layout, regex.Match[str], int] | None:
    """The first statistics-table header; the table runs from there to its end marker."""
    rules = legacy_rules()
    hits = [(m.start(), layout, m) for layout in rules.layouts if (m := compiled(layout.header).search(folded))]
    if not hits:
        return None
    _, layout, m = min(hits, key=lambda h: h[0])
    end = compiled(rules.end).search(folded, m.end())
    return layout, m, end.start() if end else len(folded)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` narrowed to the non-space characters inside it."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _line_rows(folded: str, start: int, end: int, ncols: int) -> list[_Row]:
    """One cell per line: tab-led cells, blank lines between rows, label lines continued."""
    rows: list[_Row] = []
    cells: list[tuple[int, int]] = []
    pos = start
    for line in folded[start:end].split("\n") + [""]:
        line_start, pos = pos, pos + len(line) + 1
        if line.startswith("\t"):
            cells.append(_strip(folded, line_start + 1, line_start + len(line)))
        elif line.strip() and cells:  # a label broken onto a line of its own
            cells[-1] = (cells[-1][0], _strip(folded, line_start, line_start + len(line))[1])
        elif not line.strip() and cells:
            rows.append(_line_row(folded, cells, ncols))
            cells = []
    return [r for r in rows if r is not None]


def _line_row(folded: str, cells: list[tuple[int, int]], ncols: int) -> _Row | None:
    if len(cells) < 2 or cells[0][0] == cells[0][1]:
        return None
    values = [c if c[0] < c[1] else None for c in cells[2 : 2 + ncols]]
    values += [None] * (ncols - len(values))
    return _Row(label=cells[0], unit=folded[cells[1][0] : cells[1][1]], values=values)


def _inline_rows(folded: str, start: int, end: int, ncols: int) -> list[_Row]:
    """The whole table on one line: label, unit, values; glued digits kept for decoding."""
    rules = legacy_rules()
    units = "|".join(regex.escape(u) for u in rules.units)
    row = regex.compile(rf"(?P<label>(?:{rules.label_start})?[^\s\d][^\n]{{0,80}}?)\s*(?P<unit>{units})(?=[ \t]*\d)(?P<values>(?:[ \t]*\d+(?:\.\d+)?)*)")
    rows: list[_Row] = []
    pos = start
    expected_item = 1
    while (m := row.search(folded, pos, end)) is not None:
        label = _strip(folded, *m.span("label"))
        v_start, v_end = m.span("values")
        number = compiled(rules.item_number).match(folded, label[0])
        expected_item = int(number["n"]) + 1 if number else 1
        v_end = _cut_next_item(folded, v_start, v_end, end, expected_item)
        rows.append(_inline_row(folded, label, m["unit"], v_start, v_end, ncols))
        pos = v_end
    return rows


def _cut_next_item(folded: str, v_start: int, v_end: int, end: int, expected: int) -> int:
    """Where the values stop when the next label's item number (``2.``) is glued onto them."""
    v_end = _strip(folded, v_start, v_end)[1]
    if v_end >= end or folded[v_end] not in ".、" or v_end == v_start:
        return v_end
    number = str(expected)
    cut = len(number) if folded[v_start:v_end].endswith(number) and v_end - len(number) > v_start else 1
    return v_end - cut


def _inline_row(folded: str, label: tuple[int, int], unit: str, v_start: int, v_end: int, ncols: int) -> _Row:
    tokens = [(v_start + s, v_start + e) for s, e in _tokens(folded[v_start:v_end])]
    spaced = any(c.isspace() for c in folded[v_start - 1 : v_end])  # a space after the unit too
    if len(tokens) == 1 and ncols > 1 and not spaced and tokens[0][1] - tokens[0][0] >= ncols:
        return _Row(label=label, unit=unit, values=[None] * ncols, glued=tokens[0])
    values: list[tuple[int, int] | None] = list(tokens[:ncols])
    return _Row(label=label, unit=unit, values=values + [None] * (ncols - len(values)))


# --- keys and structure -------------------------------------------------------------------


def _name(folded: str, span: tuple[int, int]) -> str:
    """The label as matched against aliases: no spaces, no numbering."""
    compact = regex.sub(r"\s+", "", folded[span[0] : span[1]])
    return compiled(legacy_rules().numbering).sub("", compact, count=1)


def _assign_keys(folded: str, rows: list[_Row]) -> None:
    """Each row's key by alias (the enclosing group decides between repeated labels), and the
    row a 其中 / numbered row belongs to."""
    rules = legacy_rules()
    group: str | None = None
    top: int | None = None
    for i, row in enumerate(rows):
        name = _name(folded, row.label)
        alias = next((a for a in rules.aliases
                      if (a.within is None or a.within == group) and compiled(a.label).search(name)), None)
        row.key = alias.key if alias else None
        if alias and alias.group:
            group = alias.key
        compact = regex.sub(r"\s+", "", folded[row.label[0] : row.label[1]])
        if compiled(rules.child).match(compact) and top is not None:
            row.parent = top
        else:
            top = i


# --- values -------------------------------------------------------------------------------


def _number(raw: str) -> int | float | None:
    text = raw.replace(",", "").replace(" ", "")
    if regex.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if regex.fullmatch(r"[+-]?\d+\.\d+", text):
        return float(text)
    return None


def _fixed(folded: str, row: _Row) -> Values:
    return tuple(_number(folded[s:e]) if s is not None else None for s, e in
                 (v if v is not None else (None, None) for v in row.values))


def _decode_glued(doc: Document, rows: list[_Row], layout: Layout, findings: list[Finding]) -> dict[int, list[Values]]:
    """Readings of every glued row that satisfy the identities; rows left with one are set."""
    folded = doc.folded
    cumulative = ".cumulative" in layout.columns
    options: dict[str, list[Values]] = {}
    offsets: dict[tuple[int, Values], tuple[tuple[int, int], ...]] = {}
    for i, row in enumerate(rows):
        if row.glued is None:
            options[str(i)] = [_fixed(folded, row)]
            continue
        s, e = row.glued
        found: list[Values] = []
        try:
            for cut in splits_of(folded[s:e], len(layout.columns)):
                values = _values(folded[s:e], cut)
                if not cumulative or values[1] >= values[0]:
                    found.append(values)
                    offsets[(i, values)] = tuple((s + a, s + b) for a, b in cut)
        except _Capped:
            found = []
        if found:
            options[str(i)] = found
        else:  # no reading keeps 历年累计 >= the year: the report (or the crawl) is wrong here
            findings.append(finding("identities_broken", spans=(Span(start=s, end=e),),
                                    keys=_keys(row, layout), digits=doc.text[s:e], reason="P9"))
    search = _Search(options, _equations(rows, len(layout.columns)))
    search.run()
    if search.solutions and not search.capped:
        readings = {int(r): sorted(v) for r, v in search.seen.items()}
    else:  # the identities cannot all hold (or too many readings): keep only what each row decides
        code = "split_capped" if search.capped else "identities_broken"
        fields = {"limit": 64} if search.capped else {"reason": "P1-P9"}
        glued = [r.glued for r in rows if r.glued]
        findings.append(finding(code, spans=tuple(Span(start=s, end=e) for s, e in glued),
                                digits="; ".join(doc.text[s:e] for s, e in glued), **fields))
        readings = {int(r): sorted(set(v)) for r, v in options.items()}
    for i, row in enumerate(rows):
        if row.glued is None or i not in readings:
            continue
        if len(readings[i]) == 1:
            row.values = list(offsets[(i, readings[i][0])])
        else:
            findings.append(finding("cell_ambiguous", keys=_keys(row, layout), spans=(Span(start=row.glued[0], end=row.glued[1]),),
                                    digits=doc.text[row.glued[0] : row.glued[1]],
                                    candidates=" / ".join("|".join(map(str, v)) for v in readings[i])))
    return readings


def _keys(row: _Row, layout: Layout) -> tuple[str, ...]:
    return tuple(f"legacy.{row.key}{c}" for c in layout.columns) if row.key else ()


def _equations(rows: list[_Row], ncols: int) -> list[tuple[tuple[str, int, int], ...]]:
    """Children never exceed their parent; sub-items of a partitioned parent add up to it."""
    partitions = {p.parent for p in legacy_rules().partitions if p.hard}
    out = []
    for i, row in enumerate(rows):
        if row.parent is None:
            continue
        for c in range(ncols):
            out.append(((str(row.parent), c, 1), (str(i), c, -1), (f"slack{i}", c, -1)))
    for p, parent in enumerate(rows):
        children = [str(i) for i, r in enumerate(rows) if r.parent == p]
        if parent.key in partitions and children:
            for c in range(ncols):
                out.append(((str(p), c, 1), *((ch, c, -1) for ch in children)))
    return out


# --- cells --------------------------------------------------------------------------------


def _cells(doc: Document, rows: list[_Row], layout: Layout, year: str | None) -> tuple[Cell, ...]:
    """Every cell of every row; a blank cell is None with an empty surface and no span."""
    out: list[Cell] = []
    for row in rows:
        label = doc.text[row.label[0] : row.label[1]]
        for suffix, where in zip(layout.columns, row.values):
            out.append(Cell(
                key=f"legacy.{row.key}{suffix}" if row.key else None,
                value=_number(doc.folded[where[0] : where[1]]) if where else None,
                raw=doc.text[where[0] : where[1]] if where else "",
                span=Span(start=where[0], end=where[1]) if where else None,
                row=label,
                column=suffix.lstrip(".") or (year or ""),
            ))
    return tuple(out)


def _unreadable(doc: Document, rows: list[_Row]) -> list[Finding]:
    """Cells with something printed that is neither a number nor a blank mark."""
    blank = compiled(legacy_rules().blank)
    out = []
    for row in rows:
        for where in row.values:
            if where is None:
                continue
            folded = doc.folded[where[0] : where[1]]
            if _number(folded) is None and not blank.match(folded.strip()):
                out.append(finding("cell_unreadable", spans=(Span(start=where[0], end=where[1]),),
                                   raw=doc.text[where[0] : where[1]]))
    return out


def legacy_tables(doc: Document) -> tuple[list[Table], list[Finding]]:
    """The pre-2019 统计表 of the report (none when it has no such table), and findings."""
    found = _find_table(doc.folded)
    if found is None:
        return [], []
    layout, header, end = found
    year = header.groupdict().get("year")
    ncols = len(layout.columns)
    start = header.end()
    if "\n\t" in doc.folded[start:end]:
        rows = _line_rows(doc.folded, start, end, ncols)
    else:
        rows = _inline_rows(doc.folded, start, end, ncols)
    _assign_keys(doc.folded, rows)
    findings: list[Finding] = []
    if any(r.glued for r in rows):
        _decode_glued(doc, rows, layout, findings)
    findings.extend(_unreadable(doc, rows))
    table = Table(kind="legacy", template="pre2019", span=Span(start=header.start(), end=end),
                  cells=_cells(doc, rows, layout, year))
    return [table], findings
