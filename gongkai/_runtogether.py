"""Cells a crawler ran together (``801000081`` is 80|1|0|0|0|0|81), decoded by the table's identities.

Web crawlers strip the separators between table cells, so a row of seven numbers arrives as one
digit string. A string of L digits splits into n non-negative integers (no leading zeros except
"0" itself) in up to C(L-1, n-1) ways; the table's own arithmetic picks the reading:

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
said too, and only rows whose row identity alone decides them are kept.

Table 2 has no hard identity inside a row (its roll-forward needs last year's report), so a
run-together 规范性文件 row such as ``5225`` (5|2|25? 5|22|5? 52|2|5?) is decided only when a
single split exists at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import product

from .models import Finding
from .rules import finding

APPLICANT_COLUMNS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
REVIEW_KEYS = tuple(
    f"{group}.{part}"
    for group in ("review", "litigation.direct", "litigation.after_review")
    for part in ("upheld", "corrected", "other", "pending", "total")
)
# Table 2 columns per item, in printed order (FORMATS §3).
PROACTIVE_COLUMNS = {
    "2021": {
        "regulations": ("issued", "repealed", "in_force"),
        "normative_documents": ("issued", "repealed", "in_force"),
        "licensing": ("decisions",),
        "penalties": ("decisions",),
        "enforcement": ("decisions",),
        "fees": ("amount",),
    },
    "2019": {
        "regulations": ("made", "published", "total_published"),
        "normative_documents": ("made", "published", "total_published"),
        "licensing": ("previous", "change", "decisions"),
        "other_services": ("previous", "change", "decisions"),
        "penalties": ("previous", "change", "decisions"),
        "enforcement": ("previous", "change", "decisions"),
        "fees": ("previous", "change"),
        "procurement": ("items", "amount"),
    },
}
# Table 3 rows that are not results: the two inputs, the result total and the carry-forward.
_NOT_RESULTS = frozenset({"new", "carried_over", "closed", "carried_forward"})

MAX_STEPS = 200_000  # enumeration steps per row: a 30-digit blob into 7 cells stops here
MAX_CANDIDATES = 500  # readings kept per row after its own identity
MAX_NODES = 200_000  # constraint-search nodes across rows
MAX_SOLUTIONS = 64  # whole-table readings collected before concluding "ambiguous"

_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")

Offsets = tuple[tuple[int, int], ...]
Values = tuple[int, ...]
# A column identity: sum(coef * value[row][col]) == 0 over its terms.
Equation = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class SplitResult:
    """Per row: the cell offsets inside its blob, or the candidate readings when undecided."""

    splits: dict[str, Offsets] = field(default_factory=dict)
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


def _most_cells(blob: str) -> int:
    """How many cells ``blob`` could hold at most: one per digit (a decimal is one cell)."""
    return sum(e - s if blob[s:e].isdigit() else 1 for s, e in _tokens(blob))


def _value(piece: str) -> int | float:
    return float(piece) if "." in piece else int(piece)


def _values(blob: str, offsets: Offsets) -> Values:
    return tuple(_value(blob[s:e]) for s, e in offsets)


# --- the identities of each table ---------------------------------------------------------


def _row_sum(values: Values) -> bool:
    """Table 3: the six applicant columns add up to 总计."""
    return sum(values[:6]) == values[6]


def _group_sums(values: Values) -> bool:
    """Table 4: in each group of five, the four outcomes add up to 总计."""
    return all(sum(values[g : g + 4]) == values[g + 4] for g in (0, 5, 10))


def _no_check(values: Values) -> bool:
    return True


def _application_equations(rows: list[str]) -> list[Equation]:
    """Per column: 一+二 = （七）+四, （七） = Σ results, and their sum (so one wildcard row
    — a row nobody can read — still leaves the other identity usable)."""
    results = [r for r in rows if r not in _NOT_RESULTS]
    out: list[Equation] = []
    for c in range(7):
        balance = (("new", c, 1), ("carried_over", c, 1), ("closed", c, -1), ("carried_forward", c, -1))
        partition = (("closed", c, 1), *((r, c, -1) for r in results))
        combined = (("new", c, 1), ("carried_over", c, 1), ("carried_forward", c, -1), *((r, c, -1) for r in results))
        out.extend((balance, partition, combined))
    return out


@dataclass(frozen=True)
class _Layout:
    cells: dict[str, int]  # row → number of cells
    row_check: Callable[[Values], bool]
    equations: list[Equation]
    keys: Callable[[str], tuple[str, ...]]  # row → canonical keys of its cells


def _layout(table: str, template: str, rows: list[str]) -> _Layout:
    if table == "applications":
        return _Layout(
            cells=dict.fromkeys(rows, 7),
            row_check=_row_sum,
            equations=_application_equations(rows),
            keys=lambda r: tuple(f"applications.{r}.{c}" for c in APPLICANT_COLUMNS),
        )
    if table == "review":
        return _Layout(cells=dict.fromkeys(rows, 15), row_check=_group_sums, equations=[], keys=lambda r: REVIEW_KEYS)
    if table == "proactive":
        columns = PROACTIVE_COLUMNS.get(template, PROACTIVE_COLUMNS["2021"])
        unknown = [r for r in rows if r not in columns]
        if unknown:
            raise ValueError(f"no table-2 item {unknown[0]!r} in template {template!r}")
        return _Layout(
            cells={r: len(columns[r]) for r in rows},
            row_check=_no_check,
            equations=[],
            keys=lambda r: tuple(f"proactive.{r}.{c}" for c in columns[r]),
        )
    raise ValueError(f"table must be applications, review or proactive, not {table!r}")


# --- the search across rows ---------------------------------------------------------------


def _candidates(blob: str, n: int, check: Callable[[Values], bool]) -> dict[Values, Offsets]:
    """The readings of one row that satisfy its own identity, keyed by their numbers."""
    out: dict[Values, Offsets] = {}
    for offsets in splits_of(blob, n):
        values = _values(blob, offsets)
        if check(values):
            out.setdefault(values, offsets)
            if len(out) > MAX_CANDIDATES:
                raise _Capped
    return out


def _column_range(options: list[Values], col: int) -> tuple[float, float] | None:
    """The least and greatest value a column can take, None when some reading leaves it blank."""
    column = [v[col] for v in options]
    return None if any(x is None for x in column) else (min(column), max(column))


@dataclass
class _Search:
    """Backtracking over rows; an equation is tested as soon as its bounds can exclude it.

    A row missing from ``options`` and a None value are wildcards (any non-negative number), so
    an inequality ``a >= b`` is the equation ``a - b - slack = 0`` with a slack row nobody reads.
    """

    options: dict[str, list[Values]]  # readable rows only; others are wildcards
    equations: list[Equation]
    nodes: int = 0
    capped: bool = False
    solutions: int = 0
    seen: dict[str, set[Values]] = field(default_factory=dict)

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
        if self.nodes > MAX_NODES or self.solutions >= MAX_SOLUTIONS:
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
        inf = float("inf")
        for terms in self.equations:
            lo = hi = 0.0
            for row, col, coef in terms:
                known = chosen[row][col] if row in chosen else None
                if known is not None:
                    lo += coef * known
                    hi += coef * known
                elif row not in chosen and row in self._ranges and self._ranges[row][col] is not None:
                    a, b = self._ranges[row][col]
                    lo, hi = (lo + coef * a, hi + coef * b) if coef > 0 else (lo + coef * b, hi + coef * a)
                elif coef > 0:  # a wildcard (unread row, blank cell, slack): any non-negative number
                    hi = inf
                else:
                    lo = -inf
            if lo > 0 or hi < 0:
                return False
        return True


def split_blobs(blobs: dict[str, str], table: str, template: str) -> SplitResult:
    """Decode run-together rows of table 3 ("applications"), 4 ("review") or 2 ("proactive").

    ``blobs`` maps a row key (``new``, ``denied.state_secret``, ``row`` for table 4, ``fees`` …)
    to the row's digit text, without the next label's item number. Returns, per decided row,
    the (start, end) offsets of each cell inside its blob; per undecided row, the candidate
    readings; and the findings (their keys name the cells; the caller adds spans).
    """
    layout = _layout(table, template, list(blobs))
    options: dict[str, dict[Values, Offsets]] = {}
    findings: list[Finding] = []
    for row, blob in blobs.items():
        if _most_cells(blob) < layout.cells[row]:
            continue  # fewer digits than cells: blank cells, not glued ones; the caller keeps them None
        try:
            found = _candidates(blob, layout.cells[row], layout.row_check)
        except _Capped:
            findings.append(finding("split_capped", keys=layout.keys(row), digits=blob, limit=MAX_CANDIDATES))
            continue
        if not found:
            findings.append(finding("identities_broken", keys=layout.keys(row), digits=blob,
                                    reason=_row_reason(table)))
            continue
        options[row] = found
    return _verdict(blobs, layout, options, findings)


def _row_reason(table: str) -> str:
    """The rule ids (FORMATS §8) of the identity a single row must satisfy."""
    return {"applications": "R3.3", "review": "R4.1-R4.3"}.get(table, "-")


def _verdict(blobs, layout: _Layout, options: dict[str, dict[Values, Offsets]], findings: list[Finding]) -> SplitResult:
    """Rows decided by every identity; the rest ambiguous, with the reason said."""
    search = _Search({r: list(o) for r, o in options.items()}, layout.equations)
    if options and layout.equations:  # rows tied by identities: search them together
        search.run()
    if not layout.equations:  # each row stands alone (table 2, table 4)
        readings = {r: set(o) for r, o in options.items()}
    elif search.capped:
        findings.append(finding("split_capped", keys=(), digits="; ".join(blobs[r] for r in options),
                                limit=MAX_SOLUTIONS))
        readings = {r: set(o) for r, o in options.items()}
    elif options and search.solutions == 0:
        findings.append(finding("identities_broken", keys=(), digits="; ".join(blobs[r] for r in options),
                                reason="R3.1/R3.2"))
        readings = {r: set(o) for r, o in options.items()}
    else:
        readings = search.seen
    splits: dict[str, Offsets] = {}
    ambiguous: dict[str, list[Values]] = {}
    for row, values in readings.items():
        if len(values) == 1:
            splits[row] = options[row][next(iter(values))]
        else:
            ambiguous[row] = sorted(values)
            findings.append(finding("cell_ambiguous", keys=layout.keys(row), digits=blobs[row],
                                    candidates=" / ".join("|".join(map(str, v)) for v in ambiguous[row])))
    return SplitResult(splits=splits, ambiguous=ambiguous, findings=findings)
