"""Rows of cells → keyed cells of the standard tables (2019, 2021, and any generation declared
in rules/table_*.toml), by their printed labels.

Positions are used only inside a row whose label is known (DESIGN "Pitfalls"). A label with no
numbers on its line gets them from the lines after it (a cell per line) or beside it (PDF); a
row whose cells ran together is decoded by ``digits.split_blobs`` with the table's identities.
What the text looks like is ``layout``'s business; this module only knows labels and keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import regex

from ..models import Cell, Finding, Number, Section, Span, Table
from ..read import Document
from ..rules import compiled, finding
from ..template import RowRule, TableRules, cell_rules
from .digits import Cells, has_reading, row_confirmable, split_blobs
from .layout import Row, Tok, lines_of, rows_of, split_line

_SPACE = regex.compile(r"\s+")
_NUMBER_CELL = regex.compile(r"\d+(?:\.\d+)?")


# --- rules ------------------------------------------------------------------------------------


# --- reading one cell -------------------------------------------------------------------------


def parse_value(raw: str) -> tuple[Number | None, bool]:
    """A printed cell → (value, readable). Blank marks and empty cells are (None, True)."""
    rules = cell_rules()
    text = _SPACE.sub("", raw)
    if not text or compiled(rules.blank).match(text):
        return None, True
    m = compiled(rules.number).match(text.replace("，", ","))
    if not m:
        return None, False
    digits = m["num"].replace(",", "")
    value: Number = float(digits) if "." in digits else int(digits)
    if m["sign"] in rules.negative:
        value = -value
    return value, True


@cache
def _skipped_lines() -> regex.Pattern[str]:
    """Lines inside a table that are no row: page footers, a markdown rule line."""
    rules = cell_rules()
    return regex.compile(f"(?:{rules.footer})|(?:{rules.rule_line})")


def _value_like(folded: str) -> bool:
    """A cell that holds a number or a blank mark (or nothing) rather than label text."""
    return parse_value(folded)[1]


# --- labels -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Match:
    key: str
    start: int  # offset in doc.text
    end: int
    group: bool


def _squeezed(doc: Document, toks: list[Tok]) -> tuple[str, list[int]]:
    """Folded text of cells with all whitespace removed, and each character's offset."""
    chars, origin = [], []
    for tok in toks:
        for i in range(tok.start, tok.end):
            ch = doc.folded[i]
            if not ch.isspace():
                chars.append(ch)
                origin.append(i)
    return "".join(chars), origin


def _matches(text: str, origin: list[int], rows: tuple[RowRule, ...]) -> list[_Match]:
    """Every row label found in ``text``, in order, overlaps resolved to the earliest."""
    found = []
    for rule in rows:
        for m in compiled(rule.pattern).finditer(text):
            if m.end() > m.start():
                found.append(_Match(rule.key, origin[m.start()], origin[m.end() - 1] + 1, rule.group))
    found.sort(key=lambda m: (m.start, -m.end))
    out: list[_Match] = []
    for hit in found:
        if out and hit.key == out[-1].key and hit.start >= out[-1].end:
            out[-1] = _Match(hit.key, out[-1].start, hit.end, hit.group)  # two parts of one label
        elif not out or hit.start >= out[-1].end:
            out.append(hit)
    return out


_PARENS = str.maketrans("()", "\uff08\uff09")


def _numbered(label: str) -> tuple[str, str] | None:
    """(number, rest) of a label: 1.属于国家秘密 → ('1.', '属于国家秘密'); (一) and （一） alike."""
    m = compiled(cell_rules().numbering).match(label)
    if m is None:
        return None
    return m.group().translate(_PARENS).replace("．", ".").replace("、", "."), label[m.end() :]


def _fuzzy_match(text: str, origin: list[int], rows: tuple[RowRule, ...]) -> list[_Match]:
    """A label no pattern finds (OCR lost or misread a character): the row whose printed number
    it carries and whose template label is within one edit of its text."""
    printed = _numbered(text)
    if printed is None:
        return []
    number, rest = printed
    hits = []
    for rule in rows:
        official = _numbered(rule.label)
        if official is None or official[0] != number or len(official[1]) < cell_rules().fuzzy_min:
            continue
        m = regex.match(f"(?:{regex.escape(official[1])}){{e<=1}}", rest, flags=regex.BESTMATCH)
        if m is not None:
            hits.append(_Match(rule.key, origin[0], origin[len(text) - 1] + 1, rule.group))
    return hits if len(hits) == 1 else []  # two rows within one edit: no guess


def _label_cells(doc: Document, row: Row) -> int:
    """Index of the last cell that is label text (not a number or blank mark); -1 if none."""
    last = -1
    for i, tok in enumerate(row.cells):
        if tok.end > tok.start and not _value_like(tok.folded(doc)):
            last = i
    return last


def _classify(doc: Document, row: Row, table: TableRules) -> None:
    """Find the row's label (the last match: a leaf beats its group label) and its values."""
    rules = cell_rules()
    last = _label_cells(doc, row)
    row.values = row.cells[last + 1 :]
    label_toks = [t for t in row.cells[: last + 1] if t.end > t.start]
    text, origin = _squeezed(doc, label_toks)
    has_values = any(t.end > t.start for t in row.values)
    if text and len(text) <= rules.max_label and not compiled(rules.not_label).search(text):
        found = _matches(text, origin, table.rows) or _fuzzy_match(text, origin, table.rows)
        if found:
            best = found[-1]
            row.key = best.key
            first = next(t for t in label_toks if t.end > best.start)
            row.label = _SPACE.sub("", doc.text[first.start : label_toks[-1].end])
            row.kind = "keyed"
            return
    row.kind = "values" if has_values else "other"


def _stream_values(rows: list[Row], table: TableRules) -> None:
    """Web text with one cell per line: a label with no numbers takes the single-number lines
    that follow it, up to the next label. Taken only when they are exactly its cells; otherwise
    they are still its cells (read as unread, never handed to a neighbouring label)."""
    for i, row in enumerate(rows):
        if row.kind != "keyed" or not row.key or any(t.end > t.start for t in row.values):
            continue
        following = []
        for later in rows[i + 1 :]:
            if later.kind != "values" or later.consumed or len(later.cells) != 1:
                break
            following.append(later)
        n = len(table.columns_of(row.key))
        if len(following) == n or len(following) >= 2:
            for later in following:
                later.consumed = True
            row.values = [later.cells[0] for later in following]


def _pair_by_order(doc: Document, rows: list[Row], table: TableRules, reading: _Reading) -> None:
    """Labels and their numbers on different lines (PDF text, converters that pull labels out of
    their rows). Rows printed with label and numbers together are anchors; the value lines
    between two anchors belong, in printed order, to the template rows between them (or to the
    labels printed between them) — taken only when there are exactly as many of each, so a lost
    or doubled line never shifts a number into the next row; otherwise a finding names the rows."""
    keyed = [r for r in rows if r.kind == "keyed" and r.key]
    anchors = {r.key for r in keyed if r.key and _has_values(r)}
    printed = table.printed_rows({r.key for r in keyed if r.key})
    position = {k: i for i, k in enumerate(printed)}
    segment: list[Row] = []
    labels: list[Row] = []
    previous: str | None = None
    for row in [*rows, None]:
        if row is not None and row.kind == "values" and not row.consumed:
            segment.append(row)
        elif row is not None and row.kind == "keyed" and row.key and not _has_values(row):
            labels.append(row)
        elif row is None or (row.kind == "keyed" and row.key in position):
            following = row.key if row is not None else None
            _pair_segment(doc, table, segment, labels, previous, following, printed, position, anchors, reading)
            segment, labels, previous = [], [], following


def _has_values(row: Row) -> bool:
    return any(t.end > t.start for t in row.values)


def _pair_segment(doc: Document, table: TableRules, orphans: list[Row], labels: list[Row], previous: str | None,
                  following: str | None, printed: list[str], position: dict[str, int], anchors: set[str],
                  reading: _Reading) -> None:
    """Give a run of unlabelled value lines to the rows missing between two anchors. Every line
    that prints a row's numbers takes part — one of a row's length, or of several numbers (a row
    that lost or doubled a cell) — and each must have its row's number of cells: a line of six
    or eight numbers among rows of seven makes the order unconfirmed, never skipped (skipping it
    would hand the next line to its row). A lone number or a line of blank marks that fits no
    row (a page number, an item number, a header's dashes) is left to ``_unplaced``."""
    full = [r for r in orphans if _fits_a_row(r, table, printed) or _numbers(doc, r) >= 2]
    if not full:
        return
    lo = position[previous] + 1 if previous in position else 0
    hi = position[following] if following in position else len(printed)
    between = [k for k in printed[lo:hi] if k not in anchors] if lo <= hi else []
    named = sorted({r.key for r in labels if r.key and r.key not in anchors}, key=lambda k: position.get(k, 0))
    for keys in (between, named):
        if len(keys) == len(full) and all(_fits(r.values, table, k) for r, k in zip(full, keys)):
            for r, k in zip(full, keys):
                r.consumed = True
                label = next((x.label for x in labels if x.key == k), _template_label(table, k))
                reading.paired.append((k, label, r.values))
            return
    missing = between or named
    reading.findings.append(finding(
        "table_rows_unpaired", keys=tuple(key for k in missing for key in table.cell_keys(k)),
        spans=tuple(Span(start=r.start, end=r.end) for r in full), table=table.number, lines=len(full),
        rows="、".join(_template_label(table, k) for k in missing) or "-"))


def _fits_a_row(row: Row, table: TableRules, printed: list[str]) -> bool:
    return any(_fits(row.values, table, k) for k in printed)


def _fits(values: list[Tok], table: TableRules, key: str) -> bool:
    """The values are the cells of row ``key``, one per column (``_fit``)."""
    n = len(table.columns_of(key))
    return len(_fit(values, n)) == n


def _numbers(doc: Document, row: Row) -> int:
    return sum(1 for t in row.values if parse_value(t.folded(doc))[0] is not None)


def _template_label(table: TableRules, key: str) -> str:
    rule = table.row(key)
    return rule.label if rule is not None else key


# --- cells of a keyed row -------------------------------------------------------------------


@dataclass
class _Reading:
    """What a table region gave: keyed value cells, run-together blobs, leftovers, findings."""

    cells: dict[str, list[Cell]] = field(default_factory=dict)  # row key → its cells
    blobs: dict[str, tuple[Tok, str]] = field(default_factory=dict)  # row key → blob, label
    unmapped: list[Cell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    paired: list[tuple[str, str, list[Tok]]] = field(default_factory=list)  # key, label, values on other lines
    aligned: dict[str, list[Cells]] = field(default_factory=dict)  # row key → its blob's readings, when given
    region: tuple[int, int] | None = None


def _fit(values: list[Tok], n: int) -> list[Tok]:
    """Drop empty cells a grid adds around a row's n cells (colspans first, then padding)."""
    values = list(values)
    while len(values) > n and values[0].end == values[0].start:
        values.pop(0)
    while len(values) > n and values[-1].end == values[-1].start:
        values.pop()
    return values


def _alignments(values: list[Tok], n: int) -> list[list[Tok]]:
    """Every way to drop empty cells from the ends of a row to leave its n cells: a grid's empty
    field beside the numbers may be a colspan or padding (dropped) or a blank cell (kept). Two
    ways that seat the numbers differently are two readings of the row (``\t\t0\t…\t0\t``:
    a blank 自然人, or a blank 总计), left to the identities; ``_fit`` takes the first."""
    lead = next((i for i, t in enumerate(values) if t.end > t.start), len(values))
    trail = next((i for i, t in enumerate(reversed(values)) if t.end > t.start), len(values))
    extra = len(values) - n
    out: list[list[Tok]] = []
    for k in range(min(lead, extra), -1, -1):  # leading cells dropped, most first (as _fit)
        if extra - k <= trail:
            aligned = values[k : len(values) - (extra - k)]
            if [t.end > t.start for t in aligned] not in ([t.end > t.start for t in a] for a in out):
                out.append(aligned)
    return out


def _is_blob(doc: Document, values: list[Tok], n: int, join: bool = True) -> bool:
    """Only numbers, but not one per column: cells run together (``801000081``), a number split
    by a stray space, or blank cells lost from the text. ``digits`` weighs the readings; a row
    that has none (more numbers than cells, apart by tabs) is no blob but a row unread."""
    filled = [t for t in values if t.end > t.start]
    return (bool(filled) and len(values) != n and all(_NUMBER_CELL.fullmatch(t.folded(doc)) for t in filled)
            and has_reading(doc.folded[filled[0].start : filled[-1].end], n, join))


def _cell(doc: Document, tok: Tok, key: str | None, row: str, column: str, reading: _Reading) -> Cell:
    raw = tok.raw(doc)
    value, readable = parse_value(tok.folded(doc))
    span = Span(start=tok.start, end=tok.end) if tok.end > tok.start else None
    if not readable:
        reading.findings.append(finding("cell_unreadable", keys=(key,) if key else (), spans=(span,) if span else (), raw=raw))
    return Cell(key=key, value=value, raw=raw, span=span, row=row, column=column, page=doc.page_of(tok.start))


def _full_key(kind: str, row: str, column: str) -> str:
    return f"{kind}.{row}.{column}"


def _read_row(doc: Document, kind: str, table: TableRules, key: str, label: str, values: list[Tok], reading: _Reading) -> None:
    if key in reading.cells or key in reading.blobs:
        return  # the first printing of a row wins (a label broken over two lines matches twice)
    columns = table.columns_of(key)
    n = len(columns)
    fitted = _fit(values, n)
    aligned = _alignments(values, n) if len(values) > n else []
    filled = [t for t in values if t.end > t.start]
    if len(aligned) > 1 and all(_NUMBER_CELL.fullmatch(t.folded(doc)) for t in filled):
        blob = Tok(filled[0].start, filled[-1].end)  # the empty field's place is open: the identities choose
        reading.blobs[key] = (blob, label)
        reading.aligned[key] = [tuple(None if t.end == t.start else (t.start - blob.start, t.end - blob.start)
                                      for t in a) for a in aligned]
    elif len(fitted) == n:
        reading.cells[key] = [_cell(doc, t, _full_key(kind, key, c), label, printed, reading)
                              for t, (c, printed) in zip(fitted, columns)]
    elif _is_blob(doc, fitted, n, row_confirmable(table, key)):
        filled = [t for t in fitted if t.end > t.start]
        reading.blobs[key] = (Tok(filled[0].start, filled[-1].end), label)
    elif any(t.end > t.start for t in fitted):
        reading.findings.append(finding(
            "table_row_unread", keys=tuple(_full_key(kind, key, c) for c, _ in columns),
            spans=tuple(Span(start=t.start, end=t.end) for t in fitted if t.end > t.start),
            table=table.number, label=label, expected=n, found=len(fitted)))
        reading.unmapped.extend(_cell(doc, t, None, label, "", reading) for t in fitted if t.end > t.start)
        filled = [t for t in fitted if t.end > t.start]
        if len(fitted) > n and all(_NUMBER_CELL.fullmatch(t.folded(doc)) for t in filled):
            # more numbers than cells, apart by cell boundaries: the row is there, its cells are
            # None (pointing at its numbers), never a shorter row read by position
            run = Tok(filled[0].start, filled[-1].end)
            reading.cells[key] = [Cell(key=_full_key(kind, key, c), value=None, raw=run.raw(doc),
                                       span=Span(start=run.start, end=run.end), row=label, column=printed,
                                       page=doc.page_of(run.start)) for c, printed in columns]


def _read_rows(doc: Document, kind: str, table: TableRules, rows: list[Row], reading: _Reading) -> None:
    for row in rows:
        _classify(doc, row, table)
    _stream_values(rows, table)
    _pair_by_order(doc, rows, table, reading)
    if _row_identity(table) is not None:
        _drop_subtotal_column(doc, table, rows, reading)
    for row in rows:
        if row.kind == "keyed" and row.key:
            if any(t.end > t.start for t in row.values) or _fits(row.values, table, row.key):
                _read_row(doc, kind, table, row.key, row.label, row.values, reading)
        elif row.kind == "values" and not row.consumed:
            _unplaced(doc, table, row, reading)
    for key, label, values in reading.paired:
        _read_row(doc, kind, table, key, label, values, reading)


def _unplaced(doc: Document, table: TableRules, row: Row, reading: _Reading) -> None:
    """A line of numbers inside the table that no row took: kept unmapped, and named in a
    finding — a number of the report is never dropped silently."""
    label = _SPACE.sub("", " ".join(t.raw(doc) for t in row.cells if not _value_like(t.folded(doc))))
    cells = [_cell(doc, t, None, label, "", reading) for t in row.values if t.end > t.start]
    reading.unmapped.extend(cells)
    numbers = [c for c in cells if c.value is not None]
    if numbers:
        reading.findings.append(finding("table_numbers_unplaced", spans=tuple(c.span for c in numbers if c.span),
                                        table=table.number, numbers=" ".join(c.raw for c in numbers)))


def _drop_subtotal_column(doc: Document, table: TableRules, rows: list[Row], reading: _Reading) -> None:
    """R3.9: table 3 printed with one column more than the template (a 小计 of the 法人或其他组织
    columns, say). The extra column is the one whose removal leaves every such row balanced (six
    applicant columns = 总计) while it holds the sum of neighbouring columns; only when exactly
    one column does so is it set aside (kept unmapped, with a finding), never guessed."""
    n = len(table.columns)
    wide = [(row, _fit(row.values, n + 1)) for row in rows if row.kind == "keyed" and row.key]
    wide = [(row, values) for row, values in wide if len(values) == n + 1]
    numbers = [[parse_value(t.folded(doc))[0] for t in values] for _, values in wide]
    if len(wide) < 3 or any(v is None for vs in numbers for v in vs):
        return
    fits = [j for j in range(n) if all(_is_subtotal(vs, j, table) for vs in numbers)]
    readings = {tuple(tuple(vs[:j] + vs[j + 1 :]) for vs in numbers) for j in fits}
    if len(readings) != 1:  # no column, or several giving different cells (all-zero rows agree)
        return
    j = fits[0]
    for row, values in wide:
        reading.unmapped.append(_cell(doc, values[j], None, row.label, "", reading))
        row.values = values[:j] + values[j + 1 :]
    reading.findings.append(finding("table_extra_column", spans=tuple(Span(start=v[j].start, end=v[j].end)
                                    for _, v in wide if v[j].end > v[j].start), table=table.number, position=j + 1))


def _row_identity(table: TableRules) -> tuple[list[int], list[int]] | None:
    """Column positions of the table's hard identity inside a row (six applicants = 总计)."""
    index = {c: i for i, (c, _) in enumerate(table.columns)}
    for ident in table.identities:
        if ident.each == "row" and ident.hard and not ident.rows:
            return [index[c] for c in ident.left], [index[c] for c in ident.right]
    return None


def _is_subtotal(values: list, j: int, table: TableRules) -> bool:
    """Without column j the row balances, and column j is the sum of a run of columns next to it."""
    identity = _row_identity(table)
    assert identity is not None
    rest = values[:j] + values[j + 1 :]
    left, right = identity
    if sum(rest[i] for i in left) != sum(rest[i] for i in right):
        return False
    before = [sum(values[i:j]) for i in range(j - 1)]  # runs of two or more ending just before j
    after = [sum(values[j + 1 : k]) for k in range(j + 3, len(values))]
    return values[j] in before + after


# --- crawler text: the table on one line -------------------------------------------------------

_CELL_SEPARATOR = regex.compile(r"[|\t]")
_VALUE_RUN = regex.compile(r"(?:\d[\d,]*(?:\.\d+)?|[/—–\-])+")
_MORE_DECIMALS = regex.compile(r"(?:\.\d+)+")  # a value run that stops inside a number of two points


def _inline_lines(doc: Document, rows: list[Row], table: TableRules) -> list[Row]:
    """Rows whose text holds three or more row labels and no cell separator: a table printed on
    one line. (A header row of labels — an OCR'd 本年新收件数 | 上年结转件数 | … — is no table.)"""
    out = []
    for row in rows:
        if _CELL_SEPARATOR.search(doc.text, row.start, row.end):
            continue
        text, origin = _squeezed(doc, [Tok(row.start, row.end)])
        if len({m.key for m in _matches(text, origin, table.rows)}) >= 3:
            out.append(row)
    return out


def _read_inline(doc: Document, kind: str, table: TableRules, row: Row, reading: _Reading) -> None:
    """Each label's values are the run of digits after it, up to the next label (whose item
    number, as in ``00000002.其他``, is not part of the run); no run at all is a blank cell."""
    text, origin = _squeezed(doc, [Tok(row.start, row.end)])
    found = _matches(text, origin, table.rows)
    at = {o: i for i, o in enumerate(origin)}
    previous_end = None
    for i, m in enumerate(found):
        a = at[m.end - 1] + 1
        b = at[found[i + 1].start] if i + 1 < len(found) else len(text)
        run = _VALUE_RUN.search(text, a, b)
        r_start, r_end = (run.start(), run.end()) if run else (b, b)
        if (more := _MORE_DECIMALS.match(text, r_end, b)) is not None:
            r_end = more.end()  # amounts run together (739.0766739.0766): the whole stretch, unreadable
        if r_end < len(text) and text[r_end] in ".、" and not text[r_end + 1 : r_end + 2].isdigit():
            r_end -= 1  # the next label's item number (2.其他…)
        label_from = m.start if previous_end is None else previous_end
        if r_end > r_start:
            start, end = origin[r_start], origin[r_end - 1] + 1
            toks = split_line(doc, start, end)
        else:
            start = end = m.end
            toks = [Tok(m.end, m.end)] * len(table.columns_of(m.key))
        label = _SPACE.sub("", doc.text[label_from : max(start, m.end)])
        previous_end = end
        _read_row(doc, kind, table, m.key, label, toks, reading)


# --- locating a table -------------------------------------------------------------------------


def _region(doc: Document, sections: tuple[Section, ...], kind: str, table: TableRules) -> tuple[int, int] | None:
    """From the table's first cue inside its section to the section end; without the section,
    from the first cue in the text to the next section."""
    section = next((s for s in sections if s.kind == kind), None)
    if section is not None:
        m = compiled(table.start).search(doc.folded, section.span.start, section.span.end)
        return (m.start(), section.span.end) if m else None
    single = table.shape == "single_row"
    cue = table.header_end if single else table.start
    m = compiled(cue or table.start).search(doc.folded)
    if m is None:
        return None
    later = [s.span.start for s in sections if s.span.start > m.start()]
    begin = m.start()
    if single:  # back to the group header before the first header word
        head = compiled(table.start).search(doc.folded, max(0, begin - 200), begin)
        begin = head.start() if head else begin
    return begin, min(later, default=len(doc.text))


# --- table 4: one row of 15 numbers ------------------------------------------------------------


def _review_values(doc: Document, rows: list[Row], n: int) -> list[Tok] | None:
    """The row of n numbers after the headers (possibly spread over consecutive lines); else,
    the table printed as sub-tables in their printed order (行政复议, then each 行政诉讼 group,
    each under its own header), when their value rows hold exactly n cells between them."""
    pending: list[Tok] = []
    parts: list[Tok] = []
    for row in rows:
        last = _label_cells(doc, row)
        values = _fit(row.cells[last + 1 :], n)
        filled = [t for t in values if t.end > t.start]
        if last >= 0:
            if len(values) == n and filled:
                return values
            pending = []
            continue
        if not filled:
            continue
        pending.extend(values)
        parts.extend(values)
        if len(_fit(pending, n)) == n:
            return _fit(pending, n)
    return parts if len(parts) == n else None


def _review_blob(doc: Document, table: TableRules, start: int, end: int) -> Tok | None:
    """Crawler text: the digits after the last header word."""
    last = None
    for m in compiled(table.header_end or "$^").finditer(doc.folded, start, end):
        last = m
    if last is None:
        return None
    run = _VALUE_RUN.search(doc.folded, last.end(), end)
    if run is None or doc.folded[last.end() : run.start()].strip():
        return None
    return Tok(run.start(), run.end())


def _read_review(doc: Document, table: TableRules, region: tuple[int, int], reading: _Reading) -> None:
    columns = table.columns
    n = len(columns)
    values = _review_values(doc, rows_of(doc, *region, _skipped_lines()), n)
    if values is None:
        blob = _review_blob(doc, table, *region)
        if blob is not None:
            toks = split_line(doc, blob.start, blob.end)
            values = toks if len(toks) == n else None
            if values is None and _is_blob(doc, toks, n):
                reading.blobs["row"] = (blob, "")
                return
    if values is None:
        return
    reading.cells["row"] = [_cell(doc, t, key, "", printed, reading) for t, (key, printed) in zip(values, columns)]


# --- run-together rows ----------------------------------------------------------------------


def _split_blobs(doc: Document, table: TableRules, reading: _Reading) -> None:
    """Decode run-together rows with the table's identities (``_runtogether``); a row it cannot
    decide keeps None cells (the finding saying why comes from the splitter)."""
    if not reading.blobs:
        return
    blobs = {row: tok.folded(doc) for row, (tok, _) in reading.blobs.items()}
    known = {row: tuple(c.value for c in cells) for row, cells in reading.cells.items()}
    result = split_blobs(blobs, table, known, reading.aligned)
    for row, (tok, label) in reading.blobs.items():
        keys = list(zip(table.cell_keys(row), (printed for _, printed in (table.columns if table.shape == "single_row"
                                                                          else table.columns_of(row)))))
        cells = result.splits.get(row)
        open_columns = result.undecided.get(row, frozenset())
        span = Span(start=tok.start, end=tok.end)
        out = []
        decided = cells is not None and len(cells) == len(keys)
        for c, (key, printed) in enumerate(keys):
            piece = cells[c] if cells is not None and decided else None
            if not decided or c in open_columns:  # not decided: None, pointing at the whole run
                out.append(Cell(key=key, value=None, raw=tok.raw(doc), span=span, row=label, column=printed,
                                page=doc.page_of(tok.start)))
            elif piece is None:  # a blank cell the text lost
                out.append(Cell(key=key, value=None, raw="", span=None, row=label, column=printed,
                                page=doc.page_of(tok.start)))
            else:
                out.append(_cell(doc, Tok(tok.start + piece[0], tok.start + piece[1]), key, label, printed, reading))
        reading.cells[row] = out
    reading.findings.extend(_with_spans(f, reading) for f in result.findings)


def _with_spans(f: Finding, reading: _Reading) -> Finding:
    """A split finding names keys; add the spans of the blobs those keys came from."""
    if f.spans:
        return f
    spans = {c.span for cells in reading.cells.values() for c in cells if c.key in f.keys and c.span is not None}
    return f.model_copy(update={"spans": tuple(sorted(spans, key=lambda s: s.start))})


# --- one standard table -----------------------------------------------------------------------


def _completeness(table: TableRules, reading: _Reading, span: Span) -> list[Finding]:
    """Rows the table lacks: after the last one printed → truncated; elsewhere → missing."""
    if table.shape == "single_row":
        return []
    found = set(reading.cells)
    order = [r.key for r in table.rows]
    missing = [r for r in table.rows if r.key in table.printed_rows(found) and r.key not in found]
    if not missing:
        return []
    last_found = max((order.index(k) for k in found if k in order), default=-1)
    tail = [r for r in missing if order.index(r.key) > last_found]
    inner = [r for r in missing if order.index(r.key) < last_found]
    out = []
    number = table.number
    if tail:
        last = next((r.label for r in table.rows if r.key == order[last_found]), "") if last_found >= 0 else ""
        out.append(finding("table_truncated", keys=_cell_keys(table, tail), spans=(span,),
                           table=number, last=last, count=len(tail), rows="、".join(r.label for r in tail)))
    if inner:
        out.append(finding("table_rows_missing", keys=_cell_keys(table, inner), spans=(span,),
                           table=number, count=len(inner), rows="、".join(r.label for r in inner)))
    return out


def _cell_keys(table: TableRules, rows: list[RowRule]) -> tuple[str, ...]:
    """Every canonical key of the rows (applications.closed → applications.closed.natural, …)."""
    return tuple(k for r in rows for k in table.cell_keys(r.key))


def _drop_group_rows(table: TableRules, reading: _Reading) -> None:
    """A group label (（六）其他处理) read as a row of its own while its leaves are printed too."""
    for rule in table.rows:
        if not rule.group or rule.key not in reading.cells:
            continue
        prefix = rule.key.rsplit(".", 1)[0] + "."
        if any(k.startswith(prefix) and k != rule.key for k in reading.cells):
            del reading.cells[rule.key]


def read_table(doc: Document, sections: tuple[Section, ...], table: TableRules, template: str) -> tuple[Table | None, _Reading]:
    """One standard table of a template generation: its region, rows, keyed cells, decoded digits."""
    reading = _Reading()
    region = _region(doc, sections, table.kind, table)
    if region is None:
        return None, reading
    reading.region = region
    if table.shape == "single_row":
        _read_review(doc, table, region, reading)
    else:
        rows = rows_of(doc, *region, _skipped_lines())
        inline = _inline_lines(doc, rows, table)
        if inline:
            for row in inline:
                _read_inline(doc, table.kind, table, row, reading)
        else:
            _read_rows(doc, table.kind, table, rows, reading)
    _split_blobs(doc, table, reading)
    _drop_group_rows(table, reading)
    if not reading.cells:
        return None, reading
    order = {r.key: i for i, r in enumerate(table.rows)}
    cells = tuple(c for row in sorted(reading.cells, key=lambda k: order.get(k, 0)) for c in reading.cells[row])
    spans = [c.span for c in cells if c.span is not None]
    span = Span(start=min(s.start for s in spans), end=max(s.end for s in spans)) if spans else None
    out = Table(kind=table.kind, template=template, title=table.title, span=span, cells=cells)
    if span is not None:
        reading.findings.extend(_completeness(table, reading, span))
    return out, reading


# --- tables nobody defined: kept as printed ---------------------------------------------------


def unmapped_tables(doc: Document, taken: list[tuple[int, int]]) -> list[Table]:
    """Blocks of tab-separated or pipe cells outside the standard tables (a 近三年 history…)."""
    out = []
    block: list[tuple[int, int]] = []
    for a, b in lines_of(doc, 0, len(doc.text)) + [(len(doc.text), len(doc.text))]:
        line = doc.text[a:b]
        inside = any(x <= a < y for x, y in taken)
        cells = "\t" in line or line.strip().startswith("|")
        if not inside and (cells or (block and not line.strip() and b > a - 1 and a < len(doc.text))):
            block.append((a, b))
            continue
        table = _block_table(doc, block)
        if table is not None:
            out.append(table)
        block = []
    return out


def _block_table(doc: Document, block: list[tuple[int, int]]) -> Table | None:
    while block and not doc.text[block[-1][0] : block[-1][1]].strip():
        block.pop()
    if len(block) < 3:
        return None
    rows = rows_of(doc, block[0][0], block[-1][1], _skipped_lines())
    if len(rows) < 2:
        return None
    header = [t.raw(doc) for t in rows[0].cells]
    reading = _Reading()
    cells = []
    for row in rows[1:]:
        label = next((t.raw(doc) for t in row.cells if t.end > t.start and not _value_like(t.folded(doc))), "")
        for i, tok in enumerate(row.cells):
            if tok.end > tok.start and _value_like(tok.folded(doc)):
                column = _SPACE.sub("", header[i]) if i < len(header) else ""
                cells.append(_cell(doc, tok, None, _SPACE.sub("", label), column, reading))
    if not cells:
        return None
    span = Span(start=rows[0].start, end=rows[-1].end)
    title = _SPACE.sub("", doc.text[max(0, span.start - 200) : span.start].strip().split("\n")[-1])[:60]
    return Table(kind="unmapped", template=None, title=title, span=span, cells=tuple(cells))
