"""Pre-2019 统计表: rows (from ``layout.stat_rows``) keyed ``legacy.<row>`` by their labels.

Each row's label is matched against the aliases of rules/table_pre2019.toml (a repeated label
takes the group it is printed under); a row introduced by 其中 or an item number belongs to the
row above. Digits a crawler glued together are decoded like the crawler-text tables
(``digits``): a 历年累计 is never below the year's count (P9), a 其中 row never exceeds its
parent (P8), and the sub-items of a parent whose `hard` partition the template declares add up
to it (P1–P6). Where those leave more than one reading the cells stay None with
``cell_ambiguous``: the report's own narrative never chooses, or the narrative check would
compare a number with itself. Labels without an alias keep their printed label with key None.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import regex

from ..models import Cell, Finding, Span, Table
from ..read import Document
from ..rules import compiled, finding
from ..template import LegacyAlias, LegacyGeneration, legacy
from ..template import LegacyLayout as Layout
from .digits import Values, _Capped, _Search, _values, splits_of
from .layout import StatRow, StatWords, rows_rejoined, stat_cells, stat_row_pattern, stat_rows


def legacy_rules() -> LegacyGeneration:
    return legacy()


@dataclass
class _Row(StatRow):
    key: str | None = None
    parent: int | None = None  # index of the row a 其中/numbered row belongs to


# --- finding the table ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    layout: Layout
    start: int  # where the table (its header, else its first row) starts
    rows: int  # where its rows start
    end: int
    year: str | None


MIN_ROWS = 3  # rows in a run, each labelled as a statistics row, that make a table with no header


def _find_table(folded: str) -> _Found | None:
    """The first statistics-table header, the table running to its end marker; without a header
    any province's table is found by its rows: a run of ``label unit value`` rows whose labels
    are statistics rows (主动公开政府信息数 条 425 …)."""
    rules = legacy_rules()
    hits = [(m.start(), layout, m) for layout in rules.layouts if (m := compiled(layout.header).search(folded))]
    if hits:
        _, layout, m = min(hits, key=lambda h: h[0])
        end = compiled(rules.end).search(folded, m.end())
        return _Found(layout, m.start(), m.end(), end.start() if end else len(folded), m.groupdict().get("year"))
    return _by_row_labels(folded)


def _by_row_labels(folded: str) -> _Found | None:
    rules = legacy_rules()
    run: list[regex.Match[str]] = []
    known = 0
    for m in stat_row_pattern(_words()).finditer(folded):
        if run and folded[run[-1].end() : m.start()].strip():  # other text between: the run ended
            if known >= MIN_ROWS:
                break
            run, known = [], 0
        is_known = _alias(_name(folded, _strip_span(folded, m.span("label"))), None) is not None
        if run or is_known:  # a run starts at a statistics row; unknown rows inside it are kept
            run.append(m)
            known += is_known
    if known < MIN_ROWS:
        return None
    cells = stat_cells(run[0]["values"], _words())
    layout = next((lay for lay in rules.layouts if len(lay.columns) == cells), rules.layouts[0])
    return _Found(layout, run[0].start(), run[0].start(), run[-1].end(), None)


def _words() -> StatWords:
    rules = legacy_rules()
    return StatWords(rules.units, rules.label_start, rules.item_number, rules.mark)


def _strip_span(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- keys and structure -------------------------------------------------------------------


def _name(folded: str, span: tuple[int, int]) -> str:
    """The label as matched against aliases: no spaces, no numbering."""
    compact = regex.sub(r"\s+", "", folded[span[0] : span[1]])
    return compiled(legacy_rules().numbering).sub("", compact, count=1)


def _alias(name: str, group: str | None) -> LegacyAlias | None:
    """The first alias whose label matches (and whose ``within`` names the enclosing group)."""
    return next((a for a in legacy_rules().aliases
                 if (a.within is None or a.within == group) and compiled(a.label).search(name)), None)


def _any_alias(name: str) -> bool:
    return any(compiled(a.label).search(name) for a in legacy_rules().aliases)


def _starts_row(folded: str, span: tuple[int, int]) -> bool:
    """The text starts a statistics row: an item number (一、 （二） 3. 其中：) or a label."""
    text = regex.sub(r"\s+", "", folded[span[0] : span[1]])
    if (m := compiled(legacy_rules().numbering).match(text)) and m.end() > 0:
        return True
    return any(compiled(a.label).match(text) for a in legacy_rules().aliases)


def _unswallowed(folded: str, rows: list[_Row], ncols: int) -> list[_Row]:
    """Rows whose label took in rows printed before it with no value (a blank cell prints nothing
    in crawler text: ``（一）收到申请数件（二）申请办结数件3``): the label is cut after each unit word
    where the text before is a statistics row's label and the text after starts one (an item
    number, or a label from its first character), and the rows taken in are blank."""
    unit = compiled("|".join(regex.escape(u) for u in legacy_rules().units))
    out: list[_Row] = []
    for row in rows:
        start, end = row.label
        for m in unit.finditer(folded, row.label[0], end):
            a, b = m.span()
            head, rest = _strip_span(folded, (start, a)), _strip_span(folded, (b, end))
            if head[0] < head[1] and rest[0] < rest[1] and _any_alias(_name(folded, head)) and _starts_row(
                    folded, rest):
                out.append(_Row(label=head, unit=folded[a:b], values=[None] * ncols))
                start = rest[0]
        row.label = (start, end)
        out.append(row)
    return out


def _assign_keys(folded: str, rows: list[_Row]) -> None:
    """Each row's key by alias (the enclosing group decides between repeated labels), and the
    row a 其中 / numbered row belongs to."""
    rules = legacy_rules()
    group: str | None = None
    top: int | None = None
    for i, row in enumerate(rows):
        alias = _alias(_name(folded, row.label), group)
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
    """A cell's number; None for a blank mark, a word, or two numbers apart by a space (92 92 is
    not read as 9292: that a space fell inside one number nothing in the row confirms)."""
    text = raw.replace(",", "").strip()
    if regex.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if regex.fullmatch(r"[+-]?\d+\.\d+", text):
        return float(text)
    return None


def _fixed(folded: str, row: _Row) -> Values:
    return tuple(_number(folded[s:e]) if s is not None else None for s, e in
                 (v if v is not None else (None, None) for v in row.values))


def _placements(row: _Row, ncols: int) -> list[tuple[tuple[int, int] | None, ...]]:
    """Every way a row's printed cells, fewer than its columns, can stand in them, in order."""
    printed = row.printed or []
    return [tuple(printed[places.index(c)] if c in places else None for c in range(ncols))
            for places in combinations(range(ncols), len(printed))]


def _decode(doc: Document, rows: list[_Row], layout: Layout, findings: list[Finding]) -> None:
    """Rows not printed one cell per column, read where the identities leave one reading:

    - digits of several cells glued together: every split that keeps 历年累计 >= the year;
    - fewer cells than columns with nothing printed for a blank (web text joins a table's cells
      with spaces and drops the empty ones): every placement of the printed cells in order;
    - more cells than columns: not read by position (``table_row_unread``).

    A row left with one reading is set; a short row so placed is still named (``cell_missing``),
    its other cell printed nowhere; a row with several readings stays None (``cell_ambiguous``).
    """
    folded = doc.folded
    ncols = len(layout.columns)
    cumulative = ".cumulative" in layout.columns
    options: dict[str, list[Values]] = {}
    offsets: dict[tuple[int, Values], tuple[tuple[int, int] | None, ...]] = {}
    for i, row in enumerate(rows):
        if row.printed is not None and len(row.printed) > ncols:
            s, e = row.printed[0][0], row.printed[-1][1]
            findings.append(finding("table_row_unread", keys=_keys(row, layout),
                                    spans=tuple(Span(start=a, end=b) for a, b in row.printed),
                                    table="", label=doc.text[row.label[0] : row.label[1]], expected=ncols,
                                    found=len(row.printed)))
            options[str(i)] = [_fixed(folded, row)]
            continue
        if row.printed is not None:
            found: list[Values] = []
            for where in _placements(row, ncols):
                values = tuple(_number(folded[w[0] : w[1]]) if w else None for w in where)
                found.append(values)
                offsets[(i, values)] = where
            options[str(i)] = found
            continue
        if row.glued is None:
            options[str(i)] = [_fixed(folded, row)]
            continue
        s, e = row.glued
        found = []
        try:
            for cut in splits_of(folded[s:e], ncols):
                values = _values(folded[s:e], cut)
                year, total = values[0], values[-1]  # a split has no blank cell
                if not cumulative or (year is not None and total is not None and total >= year):
                    found.append(values)
                    offsets[(i, values)] = tuple((s + a, s + b) for a, b in cut)
        except _Capped:
            found = []
        if found:
            options[str(i)] = found
        else:  # no reading keeps 历年累计 >= the year: the report (or the crawl) is wrong here
            findings.append(finding("identities_broken", spans=(Span(start=s, end=e),),
                                    keys=_keys(row, layout), digits=doc.text[s:e], reason="P9"))
    search = _Search(options, _equations(rows, ncols))
    search.run()
    if search.solutions and not search.capped:
        readings = {int(r): sorted(v, key=_order) for r, v in search.seen.items()}
    else:  # the identities cannot all hold (or too many readings): keep only what each row decides
        code = "split_capped" if search.capped else "identities_broken"
        fields = {"limit": 64} if search.capped else {"reason": "P1-P9"}
        spans = [_extent(r) for r in rows if r.glued or r.printed and len(r.printed) < ncols]
        findings.append(finding(code, spans=tuple(Span(start=s, end=e) for s, e in spans),
                                keys=tuple(k for r in rows if r.glued or r.printed and len(r.printed) < ncols
                                           for k in _keys(r, layout)),
                                digits="; ".join(doc.text[s:e] for s, e in spans), **fields))
        readings = {int(r): sorted(set(v), key=_order) for r, v in options.items()}
    for i, row in enumerate(rows):
        short = row.printed is not None and len(row.printed) < ncols
        if not (row.glued or short) or i not in readings:
            continue
        s, e = _extent(row)
        if len(readings[i]) == 1:
            row.values = list(offsets[(i, readings[i][0])])
            if short:
                findings.append(finding("cell_missing", keys=_keys(row, layout), spans=(Span(start=s, end=e),),
                                        label=doc.text[row.label[0] : row.label[1]], expected=ncols,
                                        printed=doc.text[s:e], reading=_shown(readings[i][0])))
        else:
            findings.append(finding("cell_ambiguous", keys=_keys(row, layout), spans=(Span(start=s, end=e),),
                                    digits=doc.text[s:e], candidates=" / ".join(_shown(v) for v in readings[i])))


def _extent(row: _Row) -> tuple[int, int]:
    """Where the row's values are printed."""
    if row.glued is not None:
        return row.glued
    printed = row.printed or [w for w in row.values if w is not None]
    return printed[0][0], printed[-1][1]


def _order(values: Values) -> tuple:
    return tuple((v is None, v or 0) for v in values)


def _shown(values: Values) -> str:
    return "|".join("—" if v is None else str(v) for v in values)


def _keys(row: _Row, layout: Layout) -> tuple[str, ...]:
    return tuple(f"legacy.{row.key}{c}" for c in layout.columns) if row.key else ()


def _equations(rows: list[_Row], ncols: int) -> list[tuple[tuple[str, int, int], ...]]:
    """Children never exceed their parent; sub-items of a partitioned parent add up to it."""
    partitions = {p.parent for p in legacy_rules().partitions if p.hard}
    out: list[tuple[tuple[str, int, int], ...]] = []
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


def _unreadable(doc: Document, rows: list[_Row], layout: Layout) -> list[Finding]:
    """Cells with something printed that is neither a number nor a blank mark (two numbers in
    one cell, a word): None, and named."""
    blank = compiled(legacy_rules().blank)
    out = []
    for row in rows:
        for suffix, where in zip(layout.columns, row.values):
            if where is None:
                continue
            folded = doc.folded[where[0] : where[1]]
            if _number(folded) is None and not blank.match(folded.strip()):
                out.append(finding("cell_unreadable", spans=(Span(start=where[0], end=where[1]),),
                                   keys=(f"legacy.{row.key}{suffix}",) if row.key else (),
                                   raw=doc.text[where[0] : where[1]]))
    return out


def legacy_tables(doc: Document) -> tuple[list[Table], list[Finding]]:
    """The pre-2019 统计表 of the report (none when it has no such table), and findings."""
    folded = rows_rejoined(doc.folded, _words(), max(len(lay.columns) for lay in legacy_rules().layouts))
    found = _find_table(folded)
    if found is None:
        return [], []
    layout, end, year = found.layout, found.end, found.year
    rows = [_Row(**vars(r)) for r in stat_rows(folded, found.rows, end, len(layout.columns), _words())]
    rows = _unswallowed(folded, rows, len(layout.columns))
    _assign_keys(folded, rows)
    findings: list[Finding] = []
    if any(r.glued or r.printed is not None for r in rows):
        _decode(doc, rows, layout, findings)
    findings.extend(_unreadable(doc, rows, layout))
    table = Table(kind="legacy", template="pre2019", span=Span(start=found.start, end=end),
                  cells=_cells(doc, rows, layout, year))
    return [table], findings
