"""What every check shares: the view of one Report, the rules of rules/reconcile.toml, and the messages.

A check sees a ``_View`` (cells by key, facts, the tables present and the template rules each
follows) and yields ``Outcome``s: a Finding, or an ``_Unassessable`` naming the keys it could not
compare. ``_equation`` makes one comparison of sums of cells and writes the arithmetic with every
operand (``行政复议：维持10+纠正1+其他0+尚未审结0=11 ≠ 总计0``); the short Chinese labels it prints,
which keys are amounts or signed, and the phrases of the other checks are data in reconcile.toml.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cache, cached_property

from pydantic import field_validator

from ..models import Cell, Fact, Finding, Number, Report, Span
from ..rules import _compiles, _Rules, compiled, finding, load
from ..template import Generation, TableRules, generations

# --- rules ---------------------------------------------------------------------------------


class _NarrativePair(_Rules):
    rule: str
    fact: str
    table: tuple[str, ...]
    alternatives: tuple[tuple[str, ...], ...] = ()
    templates: tuple[str, ...]


class _Partition(_Rules):
    total: str
    parts: tuple[str, ...]
    complete_from: int


class _Breakdown(_Rules):
    complete: str
    catch_all: str
    open_end: str
    overlapping: tuple[str, ...]
    checked_elsewhere: tuple[str, ...]
    partitions: tuple[_Partition, ...]

    _check = field_validator("complete", "catch_all", "open_end")(_compiles)


class _ChannelRow(_Rules):
    table: str
    subjects: tuple[str, ...]

    @field_validator("subjects")
    @classmethod
    def _patterns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_compiles(p) for p in value)


class _Channels(_Rules):
    fact: str
    rows: tuple[_ChannelRow, ...]


class ReconcileRules(_Rules):
    amount_tolerance: float
    amount_keys: tuple[str, ...]
    signed_keys: tuple[str, ...]
    yuan_in_cell: str
    unit_in_cell: str
    title_year: str
    next_year: tuple[str, ...]
    percent: str
    counted_breakdown: str
    statement: str
    statement_separator: str
    surface_separator: str
    money_units: dict[str, float]
    sentence_end: str
    label_note: str
    labels: dict[str, str]
    narrative_pairs: tuple[_NarrativePair, ...]
    breakdown: _Breakdown
    channels: _Channels
    government: str
    deadline_government: tuple[int, int]
    deadline_department: tuple[int, int]
    deadline_pre2019: tuple[int, int]
    problem_words: str
    measure_words: str
    empty_body: str
    carry_forward_words: str
    general_topics: dict[str, str]

    _check = field_validator("yuan_in_cell", "unit_in_cell", "title_year", "percent", "label_note", "government", "problem_words",
                             "measure_words", "empty_body", "carry_forward_words")(_compiles)

    @field_validator("general_topics")
    @classmethod
    def _topic_patterns(cls, value: dict[str, str]) -> dict[str, str]:
        return {name: _compiles(p) for name, p in value.items()}

    @field_validator("next_year")
    @classmethod
    def _patterns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_compiles(p) for p in value)


@cache
def reconcile_rules() -> ReconcileRules:
    return load("reconcile", ReconcileRules)


# --- what a check sees ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Unassessable:
    """A comparison that could not be made: the check's code and the keys that were None."""

    check: str
    keys: tuple[str, ...]


Outcome = Finding | _Unassessable


class _View:
    """Lookups over one Report: cells by key (the first one printed), facts, tables present."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.cells: dict[str, Cell] = {}
        self.kind_of: dict[str, str] = {}  # cell key → kind of the table that printed it
        for table in report.tables:
            for cell in table.cells:
                if cell.key is not None and cell.key not in self.cells:
                    self.cells[cell.key] = cell
                    self.kind_of[cell.key] = table.kind
        self.kinds = {t.kind for t in report.tables}

    def value(self, key: str) -> Number | None:
        cell = self.cells.get(key)
        return None if cell is None else cell.value

    def spans(self, keys: Iterable[str]) -> list[Span]:
        return [c.span for k in keys if (c := self.cells.get(k)) is not None and c.span is not None]

    def has(self, prefix: str) -> bool:
        return any(k.startswith(prefix) for k in self.cells)

    def facts(self, key: str) -> list[Fact]:
        return [f for f in self.report.facts if f.key == key]

    @property
    def template(self) -> str | None:
        """The report's template, else pre2019 when it has a pre-2019 统计表."""
        return self.report.meta.template or ("pre2019" if self.has("legacy.") else None)

    @cached_property
    def declared(self) -> dict[str, tuple[TableRules, set[str]]]:
        """Per standard table present: its template rules and the rows it prints.

        The generation is the report's; a table of a report whose template is unknown was read
        with some generation's rules, and says which in ``Table.template``."""
        standard = {g.name: g for g in generations() if isinstance(g, Generation)}
        out: dict[str, tuple[TableRules, set[str]]] = {}
        for table in self.report.tables:
            name = self.report.meta.template if self.report.meta.template in standard else table.template
            if name not in standard or table.kind not in standard[name].tables or table.kind in out:
                continue
            prefix = f"{table.kind}."
            rows = {c.key.removeprefix(prefix).rsplit(".", 1)[0] for c in table.cells if c.key and c.key.startswith(prefix)}
            out[table.kind] = (standard[name].table(table.kind), rows)
        return out


# --- messages --------------------------------------------------------------------------------


def _label(key: str) -> str:
    """The short label of a key for a message: the longest labelled suffix, else the key."""
    labels = reconcile_rules().labels
    if key.endswith(".cumulative"):
        return _label(key.removesuffix(".cumulative")) + labels["cumulative"]
    parts = key.removeprefix("legacy.").split(".")
    for i in range(len(parts)):
        suffix = ".".join(parts[i:])
        if suffix in labels:
            return labels[suffix]
    return key


def _cell_label(view: _View, key: str) -> str:
    """A legacy row's printed label (whitespace and numbering kept short), else the key's label."""
    cell = view.cells.get(key)
    if cell is not None and cell.row and key.startswith("legacy."):
        label = compiled(reconcile_rules().label_note).sub("", "".join(cell.row.split()))
        return label + (reconcile_rules().labels["cumulative"] if key.endswith(".cumulative") else "")
    return _label(key)


def _label_with_column(view: _View, key: str) -> str:
    """applications.new.total → 新收总计; a legacy key → its printed row label."""
    if key.startswith("legacy."):
        return _cell_label(view, key)
    head, column = key.rsplit(".", 1)
    column_label = _label(column)
    return _label(head) + (column_label if column_label != column else "")


def _fmt(value: Number | None) -> str:
    if value is None:
        return reconcile_rules().labels["blank"]
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{round(value, 4):g}"
    return str(value)


@cache
def matches(key: str, patterns: tuple[str, ...]) -> bool:
    """``key`` matches one of the shell patterns (a few keys are asked about many times a report)."""
    return any(fnmatch(key, p) for p in patterns)


def _tolerance(keys: Iterable[str]) -> float:
    """0 for counts; ``amount_tolerance`` when an amount (万元) is among the keys."""
    rules = reconcile_rules()
    amounts = any(matches(k, rules.amount_keys) for k in keys)
    return rules.amount_tolerance + 1e-9 if amounts else 0


def _holds(lhs: Number, rhs: Number, relation: str, tolerance: float) -> bool:
    return {"==": abs(lhs - rhs) <= tolerance, "<=": lhs <= rhs + tolerance, ">=": lhs + tolerance >= rhs}[relation]


BROKEN = {"==": "≠", "<=": ">", ">=": "<"}  # the sign printed where a relation does not hold


def _side(view: _View, keys: Sequence[str], label: Callable[[str], str]) -> str:
    """``维持10+纠正1=11`` (a single key: ``总计0``)."""
    terms = "+".join(f"{label(k)}{_fmt(view.value(k))}" for k in keys)
    if len(keys) == 1:
        return terms
    total = sum(view.value(k) or 0 for k in keys)
    return f"{terms}={_fmt(total)}"


def _equation(
    view: _View, code: str, left: Sequence[str], right: Sequence[str], scope: str,
    label: Callable[[str], str] = _label, relation: str = "==",
) -> Iterator[Outcome]:
    """Σ left (relation) Σ right over printed cells; not assessable when any operand is None."""
    keys = (*left, *right)
    missing = tuple(k for k in keys if view.value(k) is None)
    if missing:
        yield _Unassessable(code, missing)
        return
    lhs = sum(view.value(k) or 0 for k in left)
    rhs = sum(view.value(k) or 0 for k in right)
    if not _holds(lhs, rhs, relation, _tolerance(keys)):
        arithmetic = f"{_side(view, left, label)} {BROKEN[relation]} {_side(view, right, label)}"
        yield finding(code, keys=keys, spans=view.spans(keys), scope=scope, arithmetic=arithmetic)
