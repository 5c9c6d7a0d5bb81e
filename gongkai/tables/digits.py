"""Cells a crawler ran together (``801000081`` is 80|1|0|0|0|0|81), decoded by the table's identities.

Web crawlers strip the separators between table cells, so a row of seven numbers arrives as one
digit string. A string of L digits splits into n non-negative integers (no leading zeros except
"0" itself) in up to C(L-1, n-1) ways; the table's hard identities pick the reading. They are
declared with the template (rules/table_*.toml, through ``gongkai.template``), for instance:

- table 3, per row: the six applicant columns sum to 总计;
- table 3, per column: 一 + 二 = （七）总计 + 四, and （七）总计 = the sum of the result rows;
- table 4: in each group of five, 维持 + 纠正 + 其他 + 尚未审结 = 总计.

The search is in three steps: every split of each row that satisfies the row's own identity,
then a constraint search across rows for the column identities (bounded, with interval
pruning), then a verdict per row. A row is decided only when every reading that satisfies every
identity gives it the same numbers; otherwise its cells stay None and a ``cell_ambiguous``
finding lists the candidates — never a guess. A row whose own identity no split can satisfy is
an error in the report (or the crawl): it is left None with ``identities_broken``, and the other
rows are still solved around it. When the column identities cannot hold for any reading, that is
said too, naming the rows that may be at fault (those without which a reading would hold), and
only rows whose row identity alone decides them are kept.

Table 2 has no hard identity inside a row (its roll-forward needs last year's report), so a
run-together 规范性文件 row such as ``5225`` (5|2|25? 5|22|5? 52|2|5?) is decided only when a
single split exists at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import combinations, product

from .. import template
from ..models import Finding
from ..rules import finding
from ..template import TableRules

MAX_STEPS = 200_000  # enumeration steps per row: a 30-digit blob into 7 cells stops here
MAX_CANDIDATES = 500  # readings kept per row after its own identity
MAX_NODES = 200_000  # constraint-search nodes across rows
# Identity checks (each a pass over the table's equations) a search may make: the corpus's tables
# need at most 34; damaged text (noise in a run-together table) once took 1.4 million and 40 s.
MAX_CHECKS = 5_000
MAX_SOLUTIONS = 64  # whole-table readings collected before concluding "ambiguous"

_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")

Offsets = tuple[tuple[int, int], ...]
Cells = tuple[tuple[int, int] | None, ...]  # per column: the cell's offsets in the row's text, None if blank
Values = tuple[int | float | None, ...]  # a row's numbers; None for a blank cell
Known = Values
# A column identity: sum(coef * value[row][col]) == 0 over its terms.
Equation = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class SplitResult:
    """Per row: each column's cell (offsets in the row's text, None when blank); the columns the
    identities leave open; the candidate readings of rows not wholly decided; findings."""

    splits: dict[str, Cells] = field(default_factory=dict)
    undecided: dict[str, frozenset[int]] = field(default_factory=dict)
    ambiguous: dict[str, list[Values]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


class _Capped(Exception):
    """The enumeration budget ran out: the row has more readings than we are willing to try."""


# --- splitting one blob -------------------------------------------------------------------


def _tokens(blob: str) -> list[tuple[int, int]]:
    """Offsets of the number runs in ``blob``; anything else (spaces) is a cell boundary."""
    return [m.span() for m in _NUMBER.finditer(blob)]


def _parts(blob: str, start: int, end: int, k: int, budget: list[int]) -> Iterator[Offsets]:
    """Every way to cut ``blob[start:end]`` into ``k`` numbers without leading zeros."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _Capped
    piece = blob[start:end]
    if k == 1:
        if _well_formed(piece):
            yield ((start, end),)
        return
    if not piece.isdigit():  # a decimal or signed number is one cell; it is never split
        return
    for cut in range(start + 1, end - k + 2):
        if _well_formed(blob[start:cut]):
            for rest in _parts(blob, cut, end, k - 1, budget):
                yield ((start, cut), *rest)


def _well_formed(piece: str) -> bool:
    digits = piece.lstrip("+-")
    return bool(digits) and (digits == "0" or not digits.startswith("0") or digits.startswith("0."))


def _allocations(lengths: list[int], n: int) -> Iterator[tuple[int, ...]]:
    """How many cells each number run holds: at least one, at most its length, n in all."""
    most = n - len(lengths) + 1  # every other run needs at least one cell
    ranges = [range(1, min(length, most) + 1) for length in lengths]
    for counts in product(*ranges):
        if sum(counts) == n:
            yield counts


def splits_of(blob: str, n: int, steps: int = MAX_STEPS) -> Iterator[Offsets]:
    """Every reading of ``blob`` as ``n`` cells (offsets into ``blob``); _Capped past ``steps``."""
    tokens = _tokens(blob)
    if not tokens or len(tokens) > n:
        return
    budget = [steps]
    for counts in _allocations([e - s for s, e in tokens], n):
        per_token = [list(_parts(blob, s, e, k, budget)) for (s, e), k in zip(tokens, counts)]
        for combo in product(*per_token):
            yield tuple(cell for part in combo for cell in part)


_SPACE = re.compile(r"\s+")


def readings(text: str, n: int, steps: int = MAX_STEPS, join: bool = True) -> Iterator[Cells]:
    """Every way a row's printed numbers can be its ``n`` cells.

    One run of digits: cells run together (``801000081``). Several runs: either cells run
    together with a slip of a single space that may fall inside a number (``80 1000081``; never
    a tab, a pipe or a line break), or one number per cell with the blank cells lost from the
    text (``0 0 0 0 0 0`` for seven cells): both kinds of reading are offered, and the
    identities choose. Too few digits for the cells even run together: only the lost-blanks
    reading is left. More numbers than cells, apart by cell boundaries: no reading at all.
    ``join`` False: no number across a space either — for a row no identity can confirm (table 2:
    ``行政处罚 4119 4119`` is two numbers for one cell, never 41194119).
    """
    tokens = _tokens(text)
    if not tokens:
        return
    if _most_cells(text) >= n:
        if len(tokens) == 1:
            yield from splits_of(text, n, steps)
        elif join:
            yield from _squeezed_splits(text, n, steps)
    if 1 < n and len(tokens) < n and (len(tokens) > 1 or _most_cells(text) < n):
        if not all(_well_formed(text[s:e]) for s, e in tokens):
            return
        for places in combinations(range(n), len(tokens)):
            at = dict(zip(places, tokens))
            yield tuple(at.get(c) for c in range(n))


def _squeezed_splits(text: str, n: int, steps: int) -> Iterator[Cells]:
    """Splits of the digits with each stray space taken out, mapped back to ``text``. Only a
    single space between two digits may fall inside a number; a tab, a pipe, a line break or a
    wider gap is a cell boundary of the text (a reader's grid, markdown), and no number is ever
    joined across it (``88283\t88283`` is two numbers, never 8828388283)."""
    origin = [i for i, ch in enumerate(text) if not _stray(text, i)]
    squeezed = "".join(text[i] for i in origin)
    for offsets in splits_of(squeezed, n, steps):
        yield tuple((origin[s], origin[e - 1] + 1) for s, e in offsets)


def _stray(text: str, i: int) -> bool:
    """``text[i]`` is a single space between two digits."""
    return text[i] in " \u3000" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def has_reading(text: str, n: int, join: bool = True) -> bool:
    """The row's printed numbers can be its ``n`` cells in at least one way (``readings``)."""
    try:
        return next(iter(readings(text, n, join=join)), None) is not None
    except _Capped:
        return True


def _most_cells(blob: str) -> int:
    """How many cells ``blob`` could hold at most: one per digit (a decimal is one cell)."""
    return sum(e - s if blob[s:e].isdigit() else 1 for s, e in _tokens(blob))


def _value(piece: str) -> int | float:
    return float(piece) if "." in piece else int(piece)


def _values(blob: str, offsets: Cells) -> Values:
    return tuple(None if cell is None else _value(_SPACE.sub("", blob[cell[0] : cell[1]])) for cell in offsets)


# --- the identities of a table, as linear equations over (row, column) ------------------------

SLACK = "\0slack"  # a row nobody reads: any non-negative number, for an inequality


@dataclass(frozen=True)
class _Layout:
    cells: dict[str, int]  # row → number of cells
    keys: dict[str, tuple[str, ...]]  # row → canonical keys of its cells
    row_checks: dict[str, list[Equation]]  # identities inside one row (R3.3, R4.1–R4.3)
    equations: list[Equation]  # identities across rows (R3.1, R3.2), and their combinations
    reasons: dict[str, str]  # row → the rule ids of its own identities, for messages
    across: str  # the rule ids of the identities across rows


def _terms(eq: template.Equation, where: dict[str, tuple[str, int]], n: int) -> Equation:
    """Σ left − Σ right (± a slack for an inequality) as (row, column, coefficient) terms."""
    terms = [(*where[k], 1) for k in eq.left] + [(*where[k], -1) for k in eq.right]
    if eq.identity.relation != "==":
        terms.append((f"{SLACK}{n}", 0, 1 if eq.identity.relation == "<=" else -1))
    return tuple(terms)


def _eliminated(a: Equation, b: Equation) -> Equation | None:
    """a ± b with a shared cell cancelled (一+二=七+四 and 七=Σ results give 一+二=Σ results+四),
    so that one unreadable row still leaves an identity between the others."""
    shared = {(r, c) for r, c, _ in a} & {(r, c) for r, c, _ in b}
    if not shared:
        return None
    r0, c0 = next(iter(sorted(shared)))
    sign = -1 if dict(((r, c), k) for r, c, k in a)[(r0, c0)] == dict(((r, c), k) for r, c, k in b)[(r0, c0)] else 1
    total: dict[tuple[str, int], int] = {}
    for r, c, k in (*a, *((r, c, sign * k) for r, c, k in b)):
        total[(r, c)] = total.get((r, c), 0) + k
    return tuple((r, c, k) for (r, c), k in total.items() if k)


def _layout(table: TableRules, rows: list[str]) -> _Layout:
    """The cells and hard identities of the rows in play; rows the table prints but the text
    lacks stay in the identities as unknowns."""
    printed = table.printed_rows(set(rows))
    keys = {r: table.cell_keys(r) for r in dict.fromkeys([*printed, *rows])}
    where = {k: (r, i) for r, ks in keys.items() for i, k in enumerate(ks)}
    row_checks: dict[str, list[Equation]] = {r: [] for r in keys}
    reasons: dict[str, list[str]] = {r: [] for r in keys}
    across: list[tuple[str, Equation]] = []
    across_rules: list[str] = []
    for n, eq in enumerate(e for e in template.equations(table, set(rows)) if e.identity.hard):
        terms = _terms(eq, where, n)
        touched = {r for r, _, _ in terms}
        if len(touched) == 1:
            (row,) = touched
            row_checks[row].append(terms)
            reasons[row] += [eq.identity.rule] if eq.identity.rule not in reasons[row] else []
        else:
            across.append((eq.scope, terms))
            across_rules += [eq.identity.rule] if eq.identity.rule not in across_rules else []
    combined = [c for i, (s, a) in enumerate(across) for t, b in across[i + 1 :] if s == t
                if (c := _eliminated(a, b)) is not None]
    return _Layout(
        cells={r: len(ks) for r, ks in keys.items()}, keys=keys, row_checks=row_checks,
        equations=[t for _, t in across] + combined,
        reasons={r: _rule_range(v) for r, v in reasons.items()}, across="/".join(across_rules) or "-",
    )


def confirmable(layout: _Layout, row: str) -> bool:
    """Some hard identity holds a cell of ``row``: a reading of it can be confirmed."""
    return bool(layout.row_checks.get(row)) or any(r == row for eq in layout.equations for r, _, _ in eq)


@cache
def row_confirmable(table: TableRules, row: str) -> bool:
    """``confirmable`` for one row of ``table`` read on its own (before the table's other rows are
    known); cached: it instantiates every identity of the table, and depends on the rules alone."""
    return confirmable(_layout(table, [row]), row)


def _rule_range(rules: list[str]) -> str:
    """R3.3; R4.1-R4.3 for a run of rules; - for none."""
    return "-" if not rules else rules[0] if len(rules) == 1 else f"{rules[0]}-{rules[-1]}"


def _holds(checks: list[Equation], values: Values) -> bool:
    """Every identity of the row holds; one with a blank operand cannot be assessed, so it stands."""
    return all(any(values[c] is None for _, c, _ in terms) or sum(k * (values[c] or 0) for _, c, k in terms) == 0
               for terms in checks)


# --- the search across rows ---------------------------------------------------------------


def _candidates(blob: str, n: int, check: Callable[[Values], bool],
                given: list[Cells] | None = None, join: bool = True) -> dict[Values, Cells]:
    """The readings of one row that satisfy its own identity, keyed by their numbers; ``given``:
    the only readings the row's text allows (a grid row whose empty field is a blank cell or
    padding), instead of every reading of its numbers; ``join``: whether a number may be read
    across a stray space (only where an identity can confirm it)."""
    out: dict[Values, Cells] = {}
    for offsets in (readings(blob, n, join=join) if given is None else given):
        values = _values(blob, offsets)
        if check(values):
            out.setdefault(values, offsets)
            if len(out) > MAX_CANDIDATES:
                raise _Capped
    return out


def _column_range(options: list[Values], col: int) -> tuple[float, float] | None:
    """The least and greatest value a column can take, None when some reading leaves it blank."""
    column = [x for v in options if (x := v[col]) is not None]
    return (min(column), max(column)) if len(column) == len(options) else None


@dataclass
class _Search:
    """Backtracking over rows; an equation is tested as soon as its bounds can exclude it.

    A row missing from ``options`` and a None value are wildcards (any non-negative number), so
    an inequality ``a >= b`` is the equation ``a - b - slack = 0`` with a slack row nobody reads.
    """

    options: dict[str, list[Known]]  # readable rows only; others are wildcards
    equations: list[Equation]
    enough: int = MAX_SOLUTIONS  # readings collected before stopping (1: is there any?)
    budget: int = MAX_CHECKS  # identity checks before the search gives up (capped)
    nodes: int = 0
    capped: bool = False
    solutions: int = 0
    seen: dict[str, set[Known]] = field(default_factory=dict)

    def run(self) -> None:
        order = sorted(self.options, key=lambda r: len(self.options[r]))
        self.seen = {r: set() for r in order}
        self._ranges = {r: [_column_range(vs, c) for c in range(len(vs[0]))] for r, vs in self.options.items()}
        try:
            self._assign(order, 0, {})
        except _Capped:
            self.capped = True

    def _assign(self, order: list[str], i: int, chosen: dict[str, Values]) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES or self.solutions >= self.enough:
            raise _Capped
        if i == len(order):
            self.solutions += 1
            for r, v in chosen.items():
                self.seen[r].add(v)
            return
        row = order[i]
        for values in self.options[row]:
            chosen[row] = values
            if self._feasible(chosen):
                self._assign(order, i + 1, chosen)
            del chosen[row]

    def _feasible(self, chosen: dict[str, Values]) -> bool:
        self.budget -= 1
        if self.budget < 0:
            raise _Capped
        inf = float("inf")
        for terms in self.equations:
            lo = hi = 0.0
            for row, col, coef in terms:
                known = chosen[row][col] if row in chosen else None
                if known is not None:
                    lo += coef * known
                    hi += coef * known
                elif row not in chosen and (bounds := self._ranges.get(row, [None] * (col + 1))[col]) is not None:
                    a, b = bounds
                    lo, hi = (lo + coef * a, hi + coef * b) if coef > 0 else (lo + coef * b, hi + coef * a)
                elif coef > 0:  # a wildcard (unread row, blank cell, slack): any non-negative number
                    hi = inf
                else:
                    lo = -inf
            if lo > 0 or hi < 0:
                return False
        return True


def split_blobs(blobs: dict[str, str], table: TableRules, known: dict[str, Known] | None = None,
                given: dict[str, list[Cells]] | None = None) -> SplitResult:
    """Decode the run-together rows of ``table`` with its hard identities (rules/table_*.toml).

    ``blobs`` maps a row key (``new``, ``denied.state_secret``, ``fees`` …; ``row`` for a
    single-row table) to the row's digit text, without the next label's item number; ``known``
    holds the rows read cell by cell (None for a blank cell), which the identities may use;
    ``given``, per row, the only readings its text allows (offsets into its blob), when the
    cells are printed apart but their columns are open (an empty grid field at either end).
    Returns, per decided row, the (start, end) offsets of each cell inside its blob; per
    undecided row, the candidate readings; and the findings (their keys name the cells; the
    caller adds spans).
    """
    known = known or {}
    layout = _layout(table, [*blobs, *known])
    options: dict[str, dict[Values, Cells]] = {r: {v: ()} for r, v in known.items() if len(v) == layout.cells[r]}
    findings: list[Finding] = []
    for row, blob in blobs.items():
        try:
            found = _candidates(blob, layout.cells[row], partial(_holds, layout.row_checks[row]),
                                (given or {}).get(row), join=confirmable(layout, row))
        except _Capped:
            findings.append(finding("split_capped", keys=layout.keys[row], digits=blob, limit=MAX_CANDIDATES))
            continue
        if not found:
            findings.append(finding("identities_broken", keys=layout.keys[row], digits=blob,
                                    reason=layout.reasons[row]))
            continue
        options[row] = found
    return _verdict(blobs, layout, options, findings)


def _verdict(blobs, layout: _Layout, options: dict[str, dict[Values, Cells]], findings: list[Finding]) -> SplitResult:
    """Rows decided by every identity; the rest ambiguous, with the reason said."""
    search = _Search({r: list(o) for r, o in options.items()}, layout.equations)
    if options and layout.equations:  # rows tied by identities: search them together
        search.run()
    if not layout.equations:  # each row stands alone (table 2, table 4)
        readings = {r: set(o) for r, o in options.items()}
    elif search.capped:
        findings.append(finding("split_capped", keys=(), digits="; ".join(blobs[r] for r in options if r in blobs),
                                limit=MAX_SOLUTIONS))
        readings = {r: set(o) for r, o in options.items()}
    elif options and search.solutions == 0:
        at_fault = _at_fault(layout, search.options)
        findings.append(finding("identities_broken", keys=tuple(k for r in at_fault for k in layout.keys[r]),
                                digits="; ".join(blobs[r] for r in at_fault if r in blobs) or "-",
                                reason=layout.across))
        readings = {r: set(o) for r, o in options.items()}
    else:
        readings = search.seen
    splits: dict[str, Cells] = {}
    undecided: dict[str, frozenset[int]] = {}
    ambiguous: dict[str, list[Values]] = {}
    for row, values in readings.items():
        if row not in blobs:
            continue  # a row read cell by cell: only a constraint here
        cells = [options[row][v] for v in values]
        splits[row] = tuple(cells[0][c] if len({r[c] for r in cells}) == 1 else None for c in range(layout.cells[row]))
        open_columns = frozenset(c for c in range(layout.cells[row]) if len({r[c] for r in cells}) > 1)
        if open_columns:  # a column every reading agrees on is decided; the rest stay None
            undecided[row] = open_columns
            ambiguous[row] = sorted(values, key=_sortable)
            findings.append(finding("cell_ambiguous", keys=[layout.keys[row][c] for c in sorted(open_columns)],
                                    digits=blobs[row], candidates=_listed(ambiguous[row])))
    return SplitResult(splits=splits, undecided=undecided, ambiguous=ambiguous, findings=findings)


def _at_fault(layout: _Layout, options: dict[str, list[Known]]) -> list[str]:
    """When no reading satisfies the identities across rows: the rows that may be at fault —
    each row without which some reading would satisfy them (a lost or doubled digit in it, say);
    when no single row is, every row read that the identities tie. Those rows are then read by
    their own identity alone, so the finding names their cells: never a silent reading."""
    suspects = []
    for row in options:
        without = _Search({r: v for r, v in options.items() if r != row}, layout.equations, enough=1,
                          budget=MAX_CHECKS // len(options))  # all rows together: one search's budget
        without.run()
        if without.capped or without.solutions:
            suspects.append(row)
    tied = {r for terms in layout.equations for r, _, _ in terms}
    return [r for r in layout.keys if r in (suspects or tied & set(options))]


SHOWN = 6  # candidate readings a message lists before it only counts the rest


def _listed(readings: list[Values]) -> str:
    shown = " / ".join(_shown(v) for v in readings[:SHOWN])
    return shown + (f" … +{len(readings) - SHOWN}" if len(readings) > SHOWN else "")


def _sortable(values: Values) -> tuple:
    return tuple((v is None, v or 0) for v in values)


def _shown(values: Values) -> str:
    return "|".join("" if v is None else str(v) for v in values)
