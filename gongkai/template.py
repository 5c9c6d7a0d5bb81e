"""template: each template generation's tables as data — rows, columns and identities.

One rule file per generation (``rules/table_<name>.toml``) declares everything gongkai knows
about that generation's statistical tables: its document, the year it applies from, the header
words that mark it, and per table the printed rows (key, label pattern, columns) and the
identities between cells (勾稽关系). The table reader, the run-together digit decoder and the
reconcile checks all read them from here; none of them lists a row, a column or an identity.

Adding a generation is adding one rule file. ``GONGKAI_RULES_PATH`` (directories separated by
``os.pathsep``) adds rule files from elsewhere, so a user can try one without forking.

An identity holds between sums of cells: ``Σ left  relation  Σ right``. ``each`` says how it is
instantiated:

- ``column``: once per column; ``left``/``right`` name rows (``@results`` = the result rows);
- ``row``: once per row (``rows``, or every row); ``left``/``right`` name columns;
- ``none``: once; ``left``/``right`` are cell keys.

``columns`` limits a column identity to some columns, as ``rows`` does a row identity. A
``printed`` identity is checked only where the report prints one of its cells: table 2's rows are
each a list item a report may leave out, not a blank. A table's ``series`` are identities across
two years of one agency; an operand written ``Y-1:name`` is read from the year before's report.

``hard`` identities (severity error in FORMATS §8) may decide how run-together digits split;
soft ones (R2.2: 清理 and merges break it) are only checked.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import ValidationError, field_validator

from .errors import RuleError
from .rules import _compiles, _Rules

RESULTS = "@results"  # in a column identity: the printed result rows (a group row stands for its leaves)
PREVIOUS = "Y-1:"  # in a series identity: an operand of the year before's report


def _markers(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """A generation's marker: distinct header words, each its own pattern (one string: one word)."""
    words = (value,) if isinstance(value, str) else tuple(value)
    if not words:
        raise ValueError("a generation needs at least one marker word")
    return tuple(_compiles(w) for w in words)


# --- the declarations --------------------------------------------------------------------------


class CellRules(_Rules):
    """How a printed cell reads: blank marks, numbers, what is never a row."""

    blank: str
    number: str
    negative: tuple[str, ...]
    footer: str
    rule_line: str
    max_label: int
    not_label: str
    numbering: str
    fuzzy_min: int

    _check = field_validator("blank", "number", "footer", "rule_line", "not_label", "numbering")(_compiles)


class RowRule(_Rules):
    key: str
    label: str
    pattern: str
    columns: tuple[tuple[str, str], ...] = ()
    group: bool = False  # a group label (（六）其他处理) that is a row only when printed alone
    result: bool = False  # an outcome row summed into （七）总计

    _check = field_validator("pattern")(_compiles)


class Identity(_Rules):
    code: str  # the finding raised when it does not hold
    rule: str  # FORMATS §8 id
    each: Literal["column", "row", "none"] = "none"
    rows: tuple[str, ...] = ()
    left: tuple[str, ...]
    right: tuple[str, ...]
    relation: Literal["==", "<=", ">="] = "=="
    hard: bool = True
    unless: str | None = None  # checked only where the identity with this code is not assessable
    columns: tuple[str, ...] = ()  # each = "column": only these columns (default: every column)
    printed: bool = False  # checked only where the report prints one of its cells


class TableRules(_Rules):
    kind: str = ""
    title: str
    number: str  # 二 / 三 / 四, for messages
    start: str  # where the table starts inside its section
    shape: Literal["rows", "single_row"] = "rows"  # single_row: table 4's one row of numbers
    header: str | None = None
    header_end: str | None = None  # the last header word before a single row's numbers
    columns: tuple[tuple[str, str], ...] = ()
    rows: tuple[RowRule, ...] = ()
    identities: tuple[Identity, ...] = ()
    series: tuple[Identity, ...] = ()  # across years: ``Y-1:`` operands are the year before's

    _check = field_validator("start", "header", "header_end")(lambda v: v if v is None else _compiles(v))

    def row(self, key: str) -> RowRule | None:
        return next((r for r in self.rows if r.key == key), None)

    def columns_of(self, row: str) -> tuple[tuple[str, str], ...]:
        """(column key, printed header) of a row: its own, else the table's."""
        rule = self.row(row)
        return (rule.columns if rule is not None and rule.columns else self.columns)

    def cell_keys(self, row: str) -> tuple[str, ...]:
        """The canonical keys of a row's cells in printed order (a single row's are its columns)."""
        if self.shape == "single_row":
            return tuple(c for c, _ in self.columns)
        return tuple(f"{self.kind}.{row}.{c}" for c, _ in self.columns_of(row))

    def printed_rows(self, found: set[str] | None = None) -> list[str]:
        """The rows a complete table has, in order: a group row replaces its leaves when it is
        printed alone (a 2019-style （六）其他处理 in a 2021 table), else it is only a label."""
        found = found or set()
        alone = {r.key.rsplit(".", 1)[0] + "." for r in self.rows if r.group and r.key in found}
        out: list[str] = []
        for r in self.rows:
            if r.group:
                printed = r.key in found
            else:
                printed = r.key in found or not any(r.key.startswith(p) for p in alone)
            if printed:
                out.append(r.key)
        return out

    def result_rows(self, found: set[str] | None = None) -> list[str]:
        results = {r.key for r in self.rows if r.result}
        return [r for r in self.printed_rows(found) if r in results]


class Generation(_Rules):
    """One template generation of the standard tables (2019, 2021, …)."""

    name: str
    document: str
    since: int  # the first report year it applies to
    marker: tuple[str, ...]  # header words and row labels only this generation prints
    cells: CellRules | None = None
    tables: dict[str, TableRules]

    _check = field_validator("marker", mode="before")(_markers)

    @field_validator("tables")
    @classmethod
    def _kinds(cls, value: dict[str, TableRules]) -> dict[str, TableRules]:
        return {kind: t.model_copy(update={"kind": kind}) for kind, t in value.items()}

    def table(self, kind: str) -> TableRules:
        return self.tables[kind]


class LegacyLayout(_Rules):
    name: str
    header: str
    columns: tuple[str, ...]

    _check = field_validator("header")(_compiles)


class LegacyAlias(_Rules):
    key: str
    label: str
    group: bool = False
    within: str | None = None

    _check = field_validator("label")(_compiles)


class Partition(_Rules):
    """P1–P7: sub-items that add up to their parent (keys without ``legacy.``)."""

    rule: str
    parent: str
    children: tuple[str, ...]
    hard: bool = True  # false for channel breakdowns, which may count one item twice (P7)


class Subset(_Rules):
    """P7/P8/P10: each child never exceeds its parent; ``code`` is the finding."""

    rule: str
    parent: str
    children: tuple[str, ...]
    code: str


class LegacyGeneration(_Rules):
    """The pre-2019 统计表: rows found by alias, the P-rules between them."""

    name: str
    document: str
    since: int
    marker: tuple[str, ...]  # header words of its statistics table
    layouts: tuple[LegacyLayout, ...]
    end: str
    units: tuple[str, ...]
    blank: str
    mark: str  # a blank cell's mark printed between values in a row of text (—, /)
    numbering: str
    child: str
    item_number: str
    label_start: str
    aliases: tuple[LegacyAlias, ...]
    partitions: tuple[Partition, ...]
    subsets: tuple[Subset, ...]

    _check = field_validator("end", "blank", "mark", "numbering", "child", "item_number", "label_start")(_compiles)
    _check_marker = field_validator("marker", mode="before")(_markers)


# --- loading -----------------------------------------------------------------------------------


def _rule_files() -> tuple[Path, ...]:
    """``table_*.toml`` beside the package's rules, then in GONGKAI_RULES_PATH."""
    return _rule_files_in(os.environ.get("GONGKAI_RULES_PATH", ""))


@cache
def _rule_files_in(extra: str) -> tuple[Path, ...]:
    """The rule files for one value of GONGKAI_RULES_PATH, listed once: template detection asks
    for the generations of every report."""
    builtin = resources.files("gongkai.rules")
    files = [Path(str(builtin.joinpath(p.name))) for p in builtin.iterdir() if p.name.startswith("table_") and p.name.endswith(".toml")]
    for directory in filter(None, extra.split(os.pathsep)):
        files.extend(sorted(Path(directory).glob("table_*.toml")))
    return tuple(sorted(files, key=lambda p: p.name))


@cache
def _load(files: tuple[Path, ...]) -> tuple[Generation | LegacyGeneration, ...]:
    out: dict[str, Generation | LegacyGeneration] = {}
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            model = LegacyGeneration if "aliases" in data else Generation
            out[data.get("name", path.stem)] = model.model_validate(data)
        except (OSError, tomllib.TOMLDecodeError, ValidationError) as exc:
            raise RuleError(f"{path.name}: {exc}") from exc
    return tuple(sorted(out.values(), key=lambda g: -g.since))


def generations() -> tuple[Generation | LegacyGeneration, ...]:
    """Every template generation, newest first."""
    return _load(_rule_files())


def generation(name: str) -> Generation:
    """The standard generation ``name`` ("2021", "2019", …); RuleError if there is none."""
    for g in generations():
        if g.name == name and isinstance(g, Generation):
            return g
    raise RuleError(f"no template generation {name!r} among rules/table_*.toml")


def legacy() -> LegacyGeneration:
    """The pre-2019 statistics table rules."""
    for g in generations():
        if isinstance(g, LegacyGeneration):
            return g
    raise RuleError("no pre-2019 generation among rules/table_*.toml")


def newest() -> Generation:
    return next(g for g in generations() if isinstance(g, Generation))


@cache
def cell_rules() -> CellRules:
    """How cells read: declared once, in the newest generation that declares it."""
    for g in generations():
        if isinstance(g, Generation) and g.cells is not None:
            return g.cells
    raise RuleError("no [cells] in any rules/table_*.toml")


# --- identities as sums of cell keys -----------------------------------------------------------


@dataclass(frozen=True)
class Equation:
    """One instance of an identity: ``Σ left relation Σ right`` over canonical cell keys."""

    identity: Identity
    scope: str  # the column or row it is about ('' for a fixed identity)
    left: tuple[str, ...]
    right: tuple[str, ...]


def equations(table: TableRules, found: set[str] | None = None, *, series: bool = False) -> list[Equation]:
    """Every identity of ``table`` instantiated over the rows it prints (``found``; None: all);
    ``series``: its identities across years instead."""
    rows = table.printed_rows(found)
    results = table.result_rows(found)

    def expand(names: tuple[str, ...]) -> list[str]:
        return [r for n in names for r in (results if n == RESULTS else [n])]

    def key(name: str, cell: str) -> str:  # a Y-1: tag stays in front of the whole key
        tag = PREVIOUS if name.startswith(PREVIOUS) else ""
        return tag + cell.format(name.removeprefix(tag))

    out = []
    for ident in table.series if series else table.identities:
        if ident.each == "column":
            for c in ident.columns or tuple(c for c, _ in table.columns):
                cell = f"{table.kind}.{{}}.{c}"
                out.append(Equation(ident, c, tuple(key(r, cell) for r in expand(ident.left)),
                                    tuple(key(r, cell) for r in expand(ident.right))))
        elif ident.each == "row":
            for r in ident.rows or tuple(rows):
                cell = f"{table.kind}.{r}.{{}}"
                out.append(Equation(ident, r, tuple(key(c, cell) for c in ident.left),
                                    tuple(key(c, cell) for c in ident.right)))
        else:
            out.append(Equation(ident, "", ident.left, ident.right))
    return out
