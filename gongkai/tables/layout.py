"""Table text → rows of cells, whatever the layout; every cell a span into ``doc.text``.

- DOCX text dumps: one cell per line, a tab before each cell, a blank line between rows, a cell
  continued on lines of its own (``结果\\n纠正``, ``自\\n\\n然\\n\\n人``);
- web text with one cell per line and runs of empty lines between cells and (longer) rows;
- lines of cells: the readers' tab-separated grids, PDF text (cells split by spaces), markdown
  pipe tables and whitespace-aligned plain tables;
- pre-2019 statistics tables (``stat_rows``): label, unit word, values — a cell per line, or the
  whole table on one line with the cells' digits possibly run together.

What the rows mean (labels, keys) is decided in ``keyed`` and ``legacy``; digits run together
are decoded in ``digits``. This module only cuts text. A new layout goes here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import regex

from ..read import Document
from ..rules import compiled

_TAB_CELL = regex.compile(r"\t")
_WHITE_CELL = regex.compile(r"[ \u3000]+")


@dataclass(frozen=True)
class Tok:
    """One cell: its span in the text (stripped); empty cells have start == end."""

    start: int
    end: int

    def raw(self, doc: Document) -> str:
        return doc.text[self.start : self.end]

    def folded(self, doc: Document) -> str:
        return doc.folded[self.start : self.end]


@dataclass
class Row:
    cells: list[Tok]
    start: int
    end: int
    key: str | None = None
    label: str = ""
    values: list[Tok] = field(default_factory=list)
    kind: str = "other"  # keyed / values / other
    consumed: bool = False


def _strip_tok(doc: Document, start: int, end: int) -> Tok:
    text = doc.folded
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Tok(start, end)


def lines_of(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for line in doc.text[start:end].split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _is_docx_dump(doc: Document, lines: list[tuple[int, int]]) -> bool:
    """One cell per tab-led line (DOCX text dumps) rather than a row per line."""
    single = multi = 0
    for a, b in lines:
        line = doc.text[a:b]
        if line.startswith("\t"):
            if "\t" in line[1:]:
                multi += 1
            else:
                single += 1
        elif "\t" in line:
            multi += 1
    return single >= 4 and single > 2 * multi


def _docx_rows(doc: Document, lines: list[tuple[int, int]]) -> list[Row]:
    """Rows of a DOCX dump: a tab starts a cell, a blank line then a tab starts a row; a line
    without a tab after at most one blank line continues the cell (a header broken over lines)."""
    rows: list[Row] = []
    cells: list[tuple[int, int]] = []
    blanks = 0
    new_row = True

    def close() -> None:
        if cells:
            toks = [_strip_tok(doc, a, b) for a, b in cells]
            rows.append(Row(toks, cells[0][0], cells[-1][1]))
        cells.clear()

    for a, b in lines:
        line = doc.text[a:b]
        if not line.strip(" \u3000"):
            if line.startswith("\t") and blanks == 0:
                if new_row:
                    close()
                    new_row = False
                cells.append((a + 1, b))  # an empty cell
                continue
            blanks += 1
            if not line:
                new_row = True
            continue
        if line.startswith("\t"):
            if blanks and new_row:
                close()
            new_row = False
            blanks = 0
            cells.append((a + 1, b))
        elif cells and blanks <= 1:
            cells[-1] = (cells[-1][0], b)  # continuation of the cell
            blanks = 0
            new_row = False
        else:
            close()
            blanks = 0
            new_row = True
    close()
    return rows


def split_line(doc: Document, a: int, b: int) -> list[Tok]:
    """Cells of one line: markdown pipes, else tabs, else runs of spaces."""
    line = doc.folded[a:b]
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        lead = a + line.index("|")
        tail = a + line.rindex("|")
        bounds = [lead] + [lead + 1 + m.start() for m in regex.finditer(r"\|", doc.folded[lead + 1 : tail])] + [tail]
        return [_strip_tok(doc, x + 1, y) for x, y in zip(bounds, bounds[1:])]
    splitter = _TAB_CELL if "\t" in line else _WHITE_CELL
    toks, pos = [], a
    for m in splitter.finditer(line):
        toks.append(_strip_tok(doc, pos, a + m.start()))
        pos = a + m.end()
    toks.append(_strip_tok(doc, pos, b))
    if splitter is _WHITE_CELL:
        toks = [t for t in toks if t.end > t.start]
    elif toks and toks[0].start == toks[0].end and not line.startswith("\t"):
        toks = toks[1:]
    return toks


def _line_rows(doc: Document, lines: list[tuple[int, int]], skip: regex.Pattern[str]) -> list[Row]:
    rows = []
    for a, b in lines:
        line = doc.folded[a:b]
        if not line.strip() or skip.match(line):
            continue
        rows.append(Row(split_line(doc, a, b), a, b))
    return rows


def _gaps(doc: Document, lines: list[tuple[int, int]]) -> list[tuple[int, tuple[int, int]]]:
    """Non-empty lines with the number of empty lines before each."""
    out, empty = [], 0
    for a, b in lines:
        if doc.folded[a:b].strip():
            out.append((empty, (a, b)))
            empty = 0
        else:
            empty += 1
    return out


def _gap_sizes(gapped: list[tuple[int, tuple[int, int]]]) -> tuple[int, int] | None:
    """Web text with a cell per line: (cell gap, row gap) in empty lines, when the region has
    two distinct separations (cells two empty lines apart, rows four, say)."""
    counts: dict[int, int] = {}
    for gap, _ in gapped[1:]:
        counts[gap] = counts.get(gap, 0) + 1
    common = sorted(g for g, c in counts.items() if g > 0 and c >= 3)
    if len(gapped) < 10 or len(common) < 2 or counts.get(0, 0) > len(gapped) // 3:
        return None
    return common[0], common[1]


def _gap_rows(doc: Document, gapped: list[tuple[int, tuple[int, int]]], cell_gap: int, row_gap: int) -> list[Row]:
    """Rows of cell-per-line text: a longer run of empty lines ends a row; the empty lines a
    blank cell leaves (one per cell, plus its separator) become empty cells of the row before."""
    rows: list[Row] = []
    cells: list[tuple[int, int]] = []

    def close() -> None:
        if cells:
            rows.append(Row([_strip_tok(doc, a, b) for a, b in cells], cells[0][0], cells[-1][1]))
        cells.clear()

    for gap, (a, b) in gapped:
        if cells and gap == 0:
            cells[-1] = (cells[-1][0], b)  # a cell continued on the next line (商业\n企业)
            continue
        blanks_in_row, row_break = gap, False
        if gap >= row_gap and (gap - row_gap) % (cell_gap + 1) == 0:
            blanks_in_row, row_break = gap - row_gap, True
        empties = max(0, (blanks_in_row - cell_gap) // (cell_gap + 1)) if not row_break else blanks_in_row // (cell_gap + 1)
        at = cells[-1][1] if cells else a
        cells.extend([(at, at)] * empties)
        if row_break:
            close()
        cells.append((a, b))
    close()
    return rows


def rows_of(doc: Document, start: int, end: int, skip: regex.Pattern[str]) -> list[Row]:
    """The region's rows of cells, whatever the layout (DOCX dump, cell per line, lines of cells);
    ``skip`` matches lines that are no row (page footers, a markdown rule line)."""
    lines = [_without_edge_pipe(doc, a, b) for a, b in lines_of(doc, start, end)]
    if _is_docx_dump(doc, lines):
        return _docx_rows(doc, lines)
    gapped = _gaps(doc, lines)
    sizes = _gap_sizes(gapped)
    if sizes is not None:
        return _gap_rows(doc, gapped, *sizes)
    if _is_blocks(doc, gapped):
        return _block_rows(doc, gapped)
    return _line_rows(doc, lines, skip)


_EDGE_PIPE = regex.compile(r"^\s*\|(?=[^|]*$)|(?<=^[^|]*)\|\s*$")


def _without_edge_pipe(doc: Document, a: int, b: int) -> tuple[int, int]:
    """A line holding one cell closed (or opened) by a lone pipe, as some converters print a
    cell per line (``41 |``): the line without it. Markdown rows (inner pipes) are left whole."""
    line = doc.folded[a:b]
    if line.count("|") != 1 or line.strip() == "|":  # a lone pipe is a blank cell: kept as a line
        return a, b
    m = _EDGE_PIPE.search(line)
    if m is None:
        return a, b
    return (a + m.end(), b) if m.start() == 0 and line.lstrip().startswith("|") else (a, a + m.start())


def _is_blocks(doc: Document, gapped: list[tuple[int, tuple[int, int]]]) -> bool:
    """A cell per line, rows as blocks of lines between single blank lines: most lines hold one
    cell, and most blocks several lines."""
    if len(gapped) < 10:
        return False
    single = sum(1 for _, (a, b) in gapped if len(split_line(doc, a, b)) == 1)
    blocks = [0]
    for gap, _ in gapped:
        if gap and blocks[-1]:
            blocks.append(0)
        blocks[-1] += 1
    return single >= 0.8 * len(gapped) and len(blocks) >= 3 and sorted(blocks)[len(blocks) // 2] >= 3


def _block_rows(doc: Document, gapped: list[tuple[int, tuple[int, int]]]) -> list[Row]:
    rows: list[Row] = []
    for gap, (a, b) in gapped:
        tok = _strip_tok(doc, a, b)
        if doc.folded[tok.start : tok.end] == "|":
            tok = Tok(tok.start, tok.start)  # a blank cell
        if gap or not rows:
            rows.append(Row([tok], tok.start, tok.end))
        else:
            rows[-1].cells.append(tok)
            rows[-1].end = tok.end
    return rows

# --- pre-2019 statistics tables: label, unit, values -------------------------------------------


@dataclass
class StatRow:
    """One printed row: its label, and per value column the (start, end) of its text, or None
    (a blank cell: an empty field of a grid, or no text at all).

    ``values`` places the cells only when the row prints one per column (a blank mark such as
    ``—`` or ``/``, or an empty tab field, counts as a cell). Otherwise ``values`` is all None
    and ``printed`` keeps what the row does print, in order: fewer cells than columns (a cell
    lost from text that prints nothing for a blank: which one, the layout cannot tell) or more
    (a duplicated or stray number). ``glued`` is the digits of several cells run together."""

    label: tuple[int, int]
    unit: str
    values: list[tuple[int, int] | None]
    glued: tuple[int, int] | None = None  # digits of several cells run together
    printed: list[tuple[int, int]] | None = None  # the row's cells when they are not one per column


@dataclass(frozen=True)
class StatWords:
    """What separates a statistics row's parts: its unit words, the item numbers (2.) that may
    start a label glued onto the previous row's digits, and the mark of a blank cell printed
    between values (—, /)."""

    units: tuple[str, ...]
    label_start: str
    item_number: str
    mark: str = r"[/／\-—–－]+"


def _value_item(words: StatWords) -> str:
    return rf"(?:\d+(?:\.\d+)?|(?:{words.mark}))"


@cache
def _value_token(words: StatWords) -> regex.Pattern[str]:
    return regex.compile(_value_item(words))


def stat_cells(text: str, words: StatWords) -> int:
    """How many cells (numbers and blank marks) a row's value text prints."""
    return len(_value_token(words).findall(text))


@cache
def stat_row_pattern(words: StatWords, blank_rows: bool = False) -> regex.Pattern[str]:
    """One ``label unit values`` row; the unit word ends the label, the values may be glued; a
    blank mark between values is a value too. With ``blank_rows`` (reading a table already
    found, never finding one) a row may have no value at all: its unit word then ends its line
    or stands apart by a space from the next label (a blank cell prints nothing)."""
    units = "|".join(regex.escape(u) for u in words.units)
    item = _value_item(words)
    ends = rf"(?=[ \t]*{item}|[ \t]*(?:\n|$)|[ \t]+\S)" if blank_rows else rf"(?=[ \t]*{item})"
    longest = 1000 if blank_rows else 80  # blank rows run together: legacy._unswallowed cuts them apart
    return regex.compile(rf"(?P<label>(?:{words.label_start})?[^\s\d][^\n]{{0,{longest}}}?)\s*(?P<unit>{units})"
                         rf"{ends}(?P<values>(?:[ \t]*{item})*)")


def rows_rejoined(folded: str, words: StatWords, most: int) -> str:
    """``folded`` with a statistics table printed one cell per line (web text: label, unit and
    each value on lines of their own, a blank cell an empty line) put back a row per line: the
    line breaks inside a row become tabs, so the text keeps its length and every offset. A row is
    a label line, a line that is only its unit word, and up to ``most`` lines of a value, a blank
    mark or nothing. Tab-led cell lines (DOCX dumps) are left as they are: ``stat_rows`` reads them.
    """
    unit_line, value = _cell_lines(words)
    if not unit_line.search(folded):
        return folded  # no line that is only a unit word: nothing printed a cell per line
    units = set(words.units)
    lines = folded.split("\n")
    joined = list(folded)
    at = 0
    starts = []
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    for i in range(1, len(lines)):
        label = lines[i - 1].strip()
        if (lines[i].strip() not in units or not label or label in units or label.isdigit()
                or lines[i].startswith("\t")):  # a tab-led cell: a DOCX dump, read as it is
            continue
        joined[starts[i] - 1] = "\t"
        for j in range(i + 1, min(i + 1 + most, len(lines))):
            if not value.fullmatch(lines[j]) or (not lines[j].strip() and _rest_blank(lines, j)):
                break
            joined[starts[j] - 1] = "\t"
    return "".join(joined)


@cache
def _cell_lines(words: StatWords) -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """A line that is only a unit word (after a line break), and a line that is one value, a blank
    mark or nothing."""
    units = "|".join(regex.escape(u) for u in words.units)
    return (regex.compile(rf"\n(?!\t)[^\S\n]*(?:{units})[^\S\n]*(?:\n|$)"),
            regex.compile(rf"[ \t]*(?:{_value_item(words)})?[ \t]*"))


def _rest_blank(lines: list[str], j: int) -> bool:
    """An empty line that ends the text or stands before another empty one: a gap, not a cell."""
    return j + 1 >= len(lines) or not lines[j + 1].strip()


def stat_rows(folded: str, start: int, end: int, ncols: int, words: StatWords) -> list[StatRow]:
    """Rows of a pre-2019 statistics table: one cell per line (DOCX dumps: tab-led cells, blank
    lines between rows), a row per line with fields apart by tabs or pipes (HTML tables, markdown:
    an empty field is a blank cell), or the whole table on one line (web pages), the unit word (条, 件 …)
    ending every label, with spaces between the cells or none at all."""
    if "\n\t" in folded[start:end]:
        return _stat_line_rows(folded, start, end, ncols)
    if (tabbed := _stat_tab_rows(folded, start, end, ncols, words)) is not None:
        return tabbed
    return _stat_inline_rows(folded, start, end, ncols, words)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` narrowed to the non-space characters inside it."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _fitted(label: tuple[int, int], unit: str, cells: list[tuple[int, int] | None], ncols: int) -> StatRow:
    """A row from its value cells as printed (None: a visible blank). One per column: placed.
    Fewer (a cell lost from the text) or more: kept as ``printed``, unplaced. No value at all
    (a DOCX row of label and unit only): blank."""
    while len(cells) > ncols and cells[-1] is None:  # empty fields after the last column
        cells = cells[:-1]
    filled = [c for c in cells if c is not None]
    if len(cells) == ncols or not filled:
        return StatRow(label=label, unit=unit, values=cells + [None] * (ncols - len(cells)))
    return StatRow(label=label, unit=unit, values=[None] * ncols, printed=filled)


def _stat_line_rows(folded: str, start: int, end: int, ncols: int) -> list[StatRow]:
    """One cell per line: tab-led cells, blank lines between rows, label lines continued."""
    rows: list[StatRow | None] = []
    cells: list[tuple[int, int]] = []
    pos = start
    for line in folded[start:end].split("\n") + [""]:
        line_start, pos = pos, pos + len(line) + 1
        if line.startswith("\t"):
            cells.append(_strip(folded, line_start + 1, line_start + len(line)))
        elif line.strip() and cells:  # a label broken onto a line of its own
            cells[-1] = (cells[-1][0], _strip(folded, line_start, line_start + len(line))[1])
        elif not line.strip() and cells:
            rows.append(_stat_line_row(folded, cells, ncols))
            cells = []
    return [r for r in rows if r is not None]


def _stat_line_row(folded: str, cells: list[tuple[int, int]], ncols: int) -> StatRow | None:
    """A DOCX dump prints a blank cell as an empty line of its own: a row with fewer lines than
    columns has lost one, a row with more has a stray cell."""
    if len(cells) < 2 or cells[0][0] == cells[0][1]:
        return None
    values = [c if c[0] < c[1] else None for c in cells[2:]]
    return _fitted(cells[0], folded[cells[1][0] : cells[1][1]], values, ncols)


def _stat_tab_rows(folded: str, start: int, end: int, ncols: int, words: StatWords) -> list[StatRow] | None:
    """A row per line, its fields apart by tabs (the readers' grids of HTML and PDF tables) or
    pipes (markdown): label fields, the unit field, a field per value column (empty: a blank cell). A grid prints
    every cell of a row, empty ones too, so a row with fewer fields has lost one. None when the
    region is not such a grid (no line has a tab-separated unit field)."""
    units = set(words.units)
    rows: list[StatRow] = []
    pos = start
    for line in folded[start:end].split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        piped = line.strip().startswith("|") and line.strip().endswith("|") and len(line.strip()) > 1
        if "\t" not in line and not piped:
            continue
        if piped:  # a markdown row: the edge pipes go, the pipes between are the fields' borders
            line_start += line.index("|") + 1
            line = line[line.index("|") + 1 : line.rindex("|")]
        fields, at = [], line_start
        for text in line.split("|" if piped else "\t"):
            fields.append(_strip(folded, at, at + len(text)))
            at += len(text) + 1
        unit = next((i for i, (a, b) in enumerate(fields) if i > 0 and folded[a:b] in units), None)
        labels = [f for f in fields[:unit] if f[0] < f[1]] if unit is not None else []
        if unit is None or not labels:
            continue
        values = [f if f[0] < f[1] else None for f in fields[unit + 1 :]]
        rows.append(_fitted((labels[0][0], labels[-1][1]), folded[slice(*fields[unit])], values, ncols))
    return rows or None


def _stat_inline_rows(folded: str, start: int, end: int, ncols: int, words: StatWords) -> list[StatRow]:
    """The whole table on one line, or a row per line: label, unit, values; glued digits kept
    for decoding; a row printed with no value is blank."""
    row = stat_row_pattern(words, blank_rows=True)
    rows: list[StatRow] = []
    pos = start
    expected_item = 1
    while (m := row.search(folded, pos, end)) is not None:
        label = _strip(folded, *m.span("label"))
        v_start, v_end = m.span("values")
        number = compiled(words.item_number).match(folded, label[0])
        expected_item = int(number["n"]) + 1 if number else 1
        v_end = _cut_next_item(folded, v_start, v_end, end, expected_item)
        rows.append(_stat_inline_row(folded, label, m["unit"], v_start, v_end, ncols, words))
        pos = v_end
    return rows


def _cut_next_item(folded: str, v_start: int, v_end: int, end: int, expected: int) -> int:
    """Where the values stop when the next label's item number (``2.``) is glued onto them."""
    v_end = _strip(folded, v_start, v_end)[1]
    if v_end >= end or folded[v_end] not in ".、" or v_end == v_start or not folded[v_end - 1].isdigit():
        return v_end
    number = str(expected)
    cut = len(number) if folded[v_start:v_end].endswith(number) and v_end - len(number) > v_start else 1
    return v_end - cut


def _stat_inline_row(folded: str, label: tuple[int, int], unit: str, v_start: int, v_end: int, ncols: int,
                     words: StatWords) -> StatRow:
    tokens = [m.span() for m in _value_token(words).finditer(folded, v_start, v_end)]
    spaced = any(c.isspace() for c in folded[v_start - 1 : v_end])  # a space after the unit too
    if (len(tokens) == 1 and ncols > 1 and not spaced and tokens[0][1] - tokens[0][0] >= ncols
            and folded[tokens[0][0]].isdigit()):
        return StatRow(label=label, unit=unit, values=[None] * ncols, glued=tokens[0])
    return _fitted(label, unit, list(tokens), ncols)
