"""Error injection (issue 12): one edit at one table cell of a corpus text, and what the parse makes of it.

Every source text of the corpus (corpus/gold/*.json names them: the seeds, the Hebei crawler
text with run-together cells, the pdfplumber text and the reader's text of the PDFs, Pingtan's
pre-2019 tables in text and HTML, two markdown conversions) is read as gongkai's reader gives
it (``gongkai.read.read(path).text``) and parsed once. Each keyed cell with a span is then
edited, one edit at a time, and the edited text parsed again with ``gongkai.parse_text``:

- ``change``: one digit of the number becomes another digit (a leading digit never 0);
- ``delete``: the cell's text goes, with the separator after it (before it, for the last cell
  of a row), so that the cell is really lost — in run-together text only its digits go;
- ``duplicate``: a copy of the cell's text is put after it, with the row's separator;
- ``blank``: the cell's text becomes nothing, ``/`` or ``—`` (a mark where cells run together).

``judge`` compares the edited parse with the unedited one. Its rules, from the issue:

1. the old value never comes back: a changed or blanked cell is never read as what the
   report printed before the edit (a changed number is not "repaired");
2. no silent mis-seat: every cell whose value differs from the unedited parse is named in the
   keys of some finding (a ``table_missing`` names every cell of its table), unless it is the
   changed cell read as newly printed, or the blanked cell read as blank (a row's only cell
   deleted is a blank too; counted apart as ``blank_unnamed``: tables 2 and pre-2019 have no
   finding for a blank), or the edited row read on its own has exactly one reading that
   satisfies the table's identities (the other cells as read) and the parse gave that reading
   — ``unique_reading`` says so — and the parse does not itself say, in a finding without
   keys, that no reading satisfies them (``identities_broken``, ``split_capped``);
3. every identity the edit breaks is flagged: an identity (``template.equations`` for tables
   2–4, the P-rules of the pre-2019 table) that held before the edit and fails after it —
   with the changed number in place, or with the values the edited parse read — is named by
   a finding that names at least one of its cells.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from math import comb
from pathlib import Path

import gongkai
from gongkai.models import Number, Report, Table
from gongkai.read import read
from gongkai.template import Generation, TableRules, equations, generation, generations, legacy

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("change", "delete", "duplicate", "blank")
BLANK_MARKS = ("", "/", "—")
_LABEL_FREE = re.compile(r"[\s|]*")  # what may stand between two cells of a row: a separator
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SPACES = re.compile(r"[ \u3000]+")  # what may stand inside a number: a stray space, never a tab
_MAX_READ = 15  # cells of a row the exception is worked out for (table 4's one row)
_MAX_SPLITS = 100_000  # splits of a run of digits tried; past it the row counts as not unique
# The parse's own word that no reading of the edited table satisfies its identities (or that it
# could not try them all): then the text has no "exactly one reading", whatever one row allows.
_NO_READING = {"identities_broken", "split_capped"}


# --- the corpus ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    name: str  # gold id, and the source's suffix when a gold file names several
    path: Path
    text: str
    base: Report


def source_paths() -> list[tuple[str, Path]]:
    """Every source a gold file names that is present, as (name, path)."""
    out = []
    for gold in sorted((ROOT / "corpus" / "gold").glob("*.json")):
        names = json.loads(gold.read_text(encoding="utf-8"))["sources"]
        for relative in names:
            path = (ROOT / relative).resolve()
            if path.exists():
                out.append((gold.stem + (path.suffix if len(names) > 1 else ""), path))
    return out


@cache
def source(name: str) -> Source:
    path = dict(source_paths())[name]
    text = read(path).text
    return Source(name, path, text, gongkai.parse_text(text))


# --- the edits ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    source: str
    kind: str
    key: str
    start: int  # the stretch of the unedited text replaced
    end: int
    replacement: str
    cell: tuple[int, int]  # the edited cell's span in the unedited text
    value: Number | None = None  # change: the number now printed

    def apply(self, text: str) -> str:
        return text[: self.start] + self.replacement + text[self.end :]

    @property
    def shift(self) -> int:
        return len(self.replacement) - (self.end - self.start)

    def describe(self, text: str) -> str:
        """The edit as a reproducer: the text around it, before → after."""
        a, b = max(0, self.start - 30), min(len(text), self.end + 30)
        after = text[a : self.start] + self.replacement + text[self.end : b]
        return f"{self.source} {self.kind} {self.key}: {text[a:b]!r} -> {after!r}"


def _row_of(table: Table, key: str) -> str:
    """Cells that print on one row: a row of tables 2 and 3; table 4 is one row of fifteen; a
    pre-2019 row is its count and its 历年累计."""
    if table.kind == "review":
        return "review"
    if table.kind == "legacy":
        return key.removesuffix(".cumulative")
    return key.rsplit(".", 1)[0]


def _neighbours(table: Table) -> dict[str, tuple[tuple[int, int] | None, tuple[int, int] | None]]:
    """Per keyed cell, the span of the cell printed before it and after it in its row."""
    rows: dict[str, list[tuple[int, int, str]]] = {}
    for c in table.cells:
        if c.key and c.span is not None:
            rows.setdefault(_row_of(table, c.key), []).append((c.span.start, c.span.end, c.key))
    out: dict[str, tuple[tuple[int, int] | None, tuple[int, int] | None]] = {}
    for cells in rows.values():
        cells.sort()
        for i, (_, _, key) in enumerate(cells):
            before = cells[i - 1][:2] if i > 0 else None
            after = cells[i + 1][:2] if i + 1 < len(cells) else None
            out[key] = (before, after)
    return out


def _separator(text: str, start: int, end: int, before, after) -> tuple[str, tuple[int, int] | None]:
    """The row's separator beside the cell, and where it stands: after the cell if a separator
    (whitespace, pipes, or nothing at all) leads to the next cell, else before it."""
    if after is not None and _LABEL_FREE.fullmatch(text[end : after[0]]):
        return text[end : after[0]], (end, after[0])
    if before is not None and _LABEL_FREE.fullmatch(text[before[1] : start]):
        return text[before[1] : start], (before[1], start)
    lead = re.search(r"[ \t\u3000]*$", text[:start])
    return (lead.group() if lead else ""), None


def _changed_digit(raw: str, rng: random.Random) -> tuple[str, Number]:
    """``raw`` with one digit replaced by another, and the number it now reads as."""
    positions = [i for i, ch in enumerate(raw) if ch.isdigit()]
    i = rng.choice(positions)
    leading = i == positions[0] and len(raw.split(".")[0]) > 1
    digit = rng.choice([d for d in ("123456789" if leading else "0123456789") if d != raw[i]])
    new = raw[:i] + digit + raw[i + 1 :]
    return new, (float(new) if "." in new else int(new))


def edits(src: Source, rng: random.Random) -> list[Edit]:
    """The four edits of every keyed cell of every table (a change only for a number)."""
    text = src.text
    out = []
    for table in src.base.tables:
        around = _neighbours(table)
        for c in table.cells:
            if not c.key or c.span is None:
                continue
            s, e = c.span.start, c.span.end
            before, after = around[c.key]
            sep, sep_at = _separator(text, s, e, before, after)
            cell = (s, e)
            if _NUMBER.fullmatch(c.raw):
                new, value = _changed_digit(c.raw, rng)
                out.append(Edit(src.name, "change", c.key, s, e, new, cell, value))
            if sep_at is None or sep == "":
                out.append(Edit(src.name, "delete", c.key, s, e, "", cell))
            else:
                a, b = (min(s, sep_at[0]), max(e, sep_at[1]))
                out.append(Edit(src.name, "delete", c.key, a, b, "", cell))
            out.append(Edit(src.name, "duplicate", c.key, e, e, sep + c.raw, cell))
            mark = rng.choice(BLANK_MARKS[1:] if sep == "" else BLANK_MARKS)
            out.append(Edit(src.name, "blank", c.key, s, e, mark, cell))
    return out


def all_edits(seed: int = 12) -> Iterator[Edit]:
    """Every edit of every source, in a fixed order; the digits and marks drawn from ``seed``."""
    for name, _ in source_paths():
        yield from edits(source(name), random.Random(f"{seed}:{name}"))


# --- the identities -----------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    code: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    relation: str = "=="

    @property
    def keys(self) -> tuple[str, ...]:
        return (*self.left, *self.right)

    def holds(self, values: dict[str, Number | None]) -> bool | None:
        """True or False; None when an operand is missing or blank."""
        operands = [values.get(k) for k in self.keys]
        if any(v is None for v in operands):
            return None
        left = sum(values[k] or 0 for k in self.left)
        right = sum(values[k] or 0 for k in self.right)
        slack = 0.011 if any(isinstance(values[k], float) for k in self.keys) else 0
        if self.relation == "<=":
            return left <= right + slack
        if self.relation == ">=":
            return left + slack >= right
        return abs(left - right) <= slack

    def __str__(self) -> str:
        return f"{self.code}: {' + '.join(self.left)} {self.relation} {' + '.join(self.right)}"


def _rules(table: Table) -> TableRules | None:
    """The declaration of a table of a standard generation (tables 2–4), None for the others."""
    names = {g.name for g in generations() if isinstance(g, Generation)}
    if table.template in names and table.kind in generation(table.template).tables:
        return generation(table.template).table(table.kind)
    return None


def identities(report: Report) -> list[Identity]:
    """The identities of the report's tables, over the rows it prints: the template's for tables
    2–4, the partitions, subsets and 历年累计 of the pre-2019 table."""
    out: list[Identity] = []
    for table in report.tables:
        keys = {c.key for c in table.cells if c.key}
        if table.kind == "legacy":
            for part in legacy().partitions:
                children = tuple(f"legacy.{c}" for c in part.children if f"legacy.{c}" in keys)
                if f"legacy.{part.parent}" in keys and children:
                    out.append(Identity("legacy_sum_mismatch", children, (f"legacy.{part.parent}",)))
            for sub in legacy().subsets:
                for child in sub.children:
                    if f"legacy.{child}" in keys and f"legacy.{sub.parent}" in keys:
                        out.append(Identity(sub.code, (f"legacy.{child}",), (f"legacy.{sub.parent}",), "<="))
            out += [Identity("legacy_cumulative_below_year", (k,), (k.removesuffix(".cumulative"),), ">=")
                    for k in keys if k.endswith(".cumulative") and k.removesuffix(".cumulative") in keys]
        elif (rules := _rules(table)) is not None:
            rows = {k.removeprefix(f"{table.kind}.").rsplit(".", 1)[0] for k in keys}
            out += [Identity(eq.identity.code, eq.left, eq.right, eq.identity.relation) for eq in equations(rules, rows)]
    return out


# --- the verdict --------------------------------------------------------------------------


def values(report: Report) -> dict[str, Number | None]:
    return {c.key: c.value for t in report.tables for c in t.cells if c.key}


@dataclass
class Verdict:
    edit: Edit
    changed: dict[str, tuple[Number | None, Number | None]]  # key → (before, after), every cell that differs
    named: set[str]  # keys named by a finding of the edited parse
    flagged: bool  # a finding the unedited parse did not have names a cell of the edited table
    old_returned: bool  # rule 1 broken
    silent: dict[str, tuple[Number | None, Number | None]] = field(default_factory=dict)  # rule 2 broken
    unique: dict[str, tuple[Number | None, Number | None]] = field(default_factory=dict)  # changed, explained
    broken: list[Identity] = field(default_factory=list)  # identities the edit breaks
    unflagged: list[Identity] = field(default_factory=list)  # rule 3 broken
    error: str = ""  # an exception from the parse (never expected)
    blank_unnamed: bool = False  # the blanked cell read as blank, and no finding names it
    keyless: tuple[str, ...] = ()  # codes of new findings that name no cell (a silent cell may be meant)

    @property
    def ok(self) -> bool:
        return not (self.old_returned or self.silent or self.unflagged or self.error)


def _missing_tables(base: Report, after: Report) -> set[str]:
    """The cells of each table a ``table_missing`` finding of ``after`` says is not there: a
    finding about the whole table (it has no keys of its own) names every cell of it."""
    titles = {t.kind: rules.title for t in base.tables if (rules := _rules(t)) is not None}
    missing = {kind for f in after.findings if f.code == "table_missing" for kind, title in titles.items()
               if title in f.message}
    return {c.key for t in base.tables if t.kind in missing for c in t.cells if c.key}


def _alone(src: Source, key: str) -> bool:
    """The cell is the only one of its row (table 2's 行政许可, a fee)."""
    table = next(t for t in src.base.tables if any(c.key == key for c in t.cells))
    return sum(1 for c in table.cells if c.key and _row_of(table, c.key) == _row_of(table, key)) == 1


def _finding_ids(report: Report) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.code, f.keys) for f in report.findings}


def judge(edit: Edit) -> Verdict:
    src = source(edit.source)
    try:
        after = gongkai.parse_text(edit.apply(src.text))
    except Exception as exc:  # noqa: BLE001 - reported as a failure, never raised
        return Verdict(edit, {}, set(), False, False, error=f"{type(exc).__name__}: {exc}")
    before_values, after_values = values(src.base), values(after)
    changed = {k: (before_values.get(k), after_values.get(k)) for k in before_values.keys() | after_values.keys()
               if before_values.get(k) != after_values.get(k)}
    named = {k for f in after.findings for k in f.keys} | _missing_tables(src.base, after)
    table_keys = {c.key for t in src.base.tables if any(c.key == edit.key for c in t.cells) for c in t.cells if c.key}
    new_findings = _finding_ids(after) - _finding_ids(src.base)
    flagged = any(set(keys) & table_keys for _, keys in new_findings)
    old = before_values.get(edit.key)
    old_returned = edit.kind in ("change", "blank") and old is not None and after_values.get(edit.key) == old
    verdict = Verdict(edit, changed, named, flagged, old_returned,
                      keyless=tuple(sorted({code for code, keys in new_findings if not keys})))
    for key, (was, now) in changed.items():
        if key in named or (edit.kind == "change" and key == edit.key and now == edit.value):
            continue
        if key == edit.key and now is None and (edit.kind == "blank" or edit.kind == "delete" and _alone(src, key)):
            verdict.blank_unnamed = True  # read as printed: blank (a row's only cell deleted is blank too)
            continue
        verdict.silent[key] = (was, now)
    if verdict.silent and not set(verdict.keyless) & _NO_READING:
        for key in unique_reading(edit, src, after, set(verdict.silent)):
            verdict.unique[key] = verdict.silent.pop(key)
    expected = dict(before_values)
    if edit.kind == "change":
        expected[edit.key] = edit.value
    for ident in identities(src.base):
        if ident.holds(before_values) and (ident.holds(expected) is False or ident.holds(after_values) is False):
            verdict.broken.append(ident)
            if not named & set(ident.keys):
                verdict.unflagged.append(ident)
    return verdict


# --- rule 2's exception: the edited row has exactly one reading ----------------------------


def _splits(digits: str, n: int) -> Iterator[tuple[str, ...]]:
    """Every way to cut a run of digits into ``n`` numbers without leading zeros."""
    for cuts in combinations(range(1, len(digits)), n - 1):
        parts = tuple(digits[a:b] for a, b in zip((0, *cuts), (*cuts, len(digits))))
        if all(p == "0" or not p.startswith("0") for p in parts):
            yield parts


def _readings(text: str, n: int) -> set[tuple[Number | None, ...]]:
    """Every way a row's printed numbers can be its ``n`` cells, as gongkai's digit decoder
    models them (tables/digits.py), except that a number never spans a tab, a pipe or a line
    break (cell boundaries of the readers' grids and of markdown): one number per cell; one run
    of digits cut into cells run together; several numbers apart only by spaces, also cut with
    the spaces taken out (a stray space inside a number); fewer numbers than cells, placed with
    the blank cells lost from the text."""
    tokens = list(_NUMBER.finditer(text))
    if not tokens or n > _MAX_READ:
        return set()
    numbers = [m.group() for m in tokens]
    digits = "".join(numbers)
    gaps = [text[a.end() : b.start()] for a, b in zip(tokens, tokens[1:])]
    out: set[tuple[Number | None, ...]] = set()
    if digits.isdigit() and n <= len(digits) and comb(len(digits) - 1, n - 1) <= _MAX_SPLITS and all(
            _SPACES.fullmatch(g) for g in gaps):
        out.update(tuple(int(p) for p in parts) for parts in _splits(digits, n))
    if len(tokens) == n or 1 < n and len(tokens) < n and (len(tokens) > 1 or len(digits) < n):
        for places in combinations(range(n), len(tokens)):
            at = dict(zip(places, numbers))
            out.add(tuple(None if c not in at else (float(at[c]) if "." in at[c] else int(at[c])) for c in range(n)))
    return out


def unique_reading(edit: Edit, src: Source, after: Report, keys: set[str]) -> set[str]:
    """Of ``keys`` (cells changed without a finding), those of the edited row when the row's text
    after the edit has exactly one reading that satisfies every identity of the table (the other
    cells as the edited parse read them), and the parse read that one."""
    table = next(t for t in src.base.tables if any(c.key == edit.key for c in t.cells))
    row = _row_of(table, edit.key)
    row_keys = [c.key for c in table.cells if c.key and _row_of(table, c.key) == row]  # printed order
    spans = sorted((c.span for c in table.cells if c.key in row_keys and c.span is not None), key=lambda s: s.start)
    if not spans or not keys <= set(row_keys):
        return set()
    start, end = spans[0].start, spans[-1].end
    if not start <= edit.start <= edit.end <= end:
        return set()
    row_text = edit.apply(src.text)[start : end + edit.shift]
    if re.search(r"[^\d\s|./—]", row_text):  # a label inside: not one row of numbers
        return set()
    got = values(after)
    ids = [i for i in identities(src.base) if set(i.keys) & set(row_keys)]
    fitting = [r for r in _readings(row_text, len(row_keys))
               if all(i.holds({**got, **dict(zip(row_keys, r))}) is not False for i in ids)]
    if len(fitting) == 1 and all(got.get(k) == v for k, v in zip(row_keys, fitting[0])):
        return keys
    return set()
