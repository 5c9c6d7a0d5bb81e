"""Table identities: the 勾稽关系 of tables 2, 3 and 4, the pre-2019 P-rules, and every cell's domain.

No row, column or identity of tables 2–4 (FORMATS §8.1–8.3) is written here: ``table_identities``
instantiates those the report's template generation declares (rules/table_<generation>.toml,
through ``template.equations``) and compares each, its message worded from the equation. The
pre-2019 统计表 (§8.4, P1–P10) is checked against the partitions and subsets of
rules/table_pre2019.toml, in each value column (the year's and a 历年累计). Besides: counts are non-negative integers (R2.3, R3.4, R4.4) and
table 2's amounts carry the right unit (R2.3, R2.7).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from ..models import Finding, Number
from ..read import fold
from ..rules import compiled, finding
from ..template import Equation, Partition, Subset, TableRules, equations, legacy
from ._view import (BROKEN, Outcome, _cell_label, _equation, _fmt, _holds, _label, _label_with_column, _side, _tolerance,
                    _Unassessable, _View, matches, reconcile_rules)

# --- tables 2, 3, 4: the declared identities (R2.2, R2.5, R3.1–R3.3, R3.5, R4.1–R4.3) ------------


def table_identities(view: _View) -> Iterator[Outcome]:
    """R2.2/R2.5, R3.1–R3.3, R3.5, R4.1–R4.3: every identity the template declares for a table the report has."""
    for table, found in view.declared.values():
        eqs = equations(table, found)
        decided = {(eq.identity.code, eq.scope) for eq in eqs if _assessable(view, eq)}
        for eq in eqs:
            ident = eq.identity
            if ident.printed and not any(k in view.cells for k in (*eq.left, *eq.right)):
                continue  # a row the report leaves out (table 2's items are optional)
            if ident.unless is not None and (ident.unless, eq.scope) in decided:
                continue  # the stronger identity decides this column
            scope, label = _wording(table, eq)
            outcomes = _equation(view, ident.code, eq.left, eq.right, scope, label, ident.relation)
            # a fallback reports only what breaks: what it cannot assess, the stronger one already said
            yield from (o for o in outcomes if ident.unless is None or isinstance(o, Finding))


def _assessable(view: _View, eq: Equation) -> bool:
    return all(view.value(k) is not None for k in (*eq.left, *eq.right))


def _wording(table: TableRules, eq: Equation) -> tuple[str, Callable[[str], str]]:
    """The scope heading a message and the label of each operand: what the equation keeps fixed
    names the scope (a column, a row, a group of table 4), what varies labels the operands."""
    if eq.identity.each == "column":  # 自然人：新收3+上年结转1=4 ≠ …
        return _label(eq.scope), lambda k: _label(k.rsplit(".", 1)[0])
    if eq.identity.each == "row":  # 予以公开：自然人2+商业企业0+… ≠ 总计5
        return _label(f"{table.kind}.{eq.scope}"), lambda k: _label(k.rsplit(".", 1)[1])
    group = _common_prefix((*eq.left, *eq.right))  # 行政复议：维持10+纠正1+… ≠ 总计0
    return _label(group), lambda k: _label(k.removeprefix(f"{group}."))


def _common_prefix(keys: tuple[str, ...]) -> str:
    """review.upheld, review.total → review (whole key parts only)."""
    parts = [k.split(".") for k in keys]
    common = []
    for names in zip(*parts):
        if len(set(names)) > 1:
            break
        common.append(names[0])
    return ".".join(common)


# --- every cell's domain, table 2's units (R2.3, R2.7, R3.4, R4.4) ---------------------------


def cell_domain(view: _View) -> Iterator[Outcome]:
    """R2.3/R3.4/R4.4: counts are non-negative integers; amounts non-negative; 增/减 may be negative."""
    rules = reconcile_rules()
    for key, cell in view.cells.items():
        if cell.value is None or matches(key, rules.signed_keys):
            continue
        amount = matches(key, rules.amount_keys)
        fraction = not amount and isinstance(cell.value, float) and not cell.value.is_integer()
        if cell.value < 0 or fraction:
            yield finding("cell_domain", keys=[key], spans=view.spans([key]), label=_label_with_column(view, key),
                          value=_fmt(cell.value), kind=_label("amount" if amount else "integer"))


def table2_units(view: _View) -> Iterator[Outcome]:
    """R2.3/R2.7: a 万元 fee cell written in 元 (``unit_suspect``); a procurement amount without a unit."""
    rules = reconcile_rules()
    key = "proactive.fees.amount"
    fee = view.cells.get(key)
    if fee is not None and compiled(rules.yuan_in_cell).search(fold(fee.raw)):
        yield finding("unit_suspect", keys=[key], spans=view.spans([key]), raw=fee.raw)
    key = "proactive.procurement.amount"
    buy = view.cells.get(key)
    if buy is not None and buy.value and not compiled(rules.unit_in_cell).search(fold(buy.raw)):
        yield finding("unit_assumed", keys=[key], spans=view.spans([key]), raw=buy.raw)


# --- pre-2019 统计表 (P1–P10) ----------------------------------------------------------------


def _legacy(key: str, column: str = "") -> str:
    return f"legacy.{key}{column}"


def _columns() -> tuple[str, ...]:
    """The value columns of the 统计表 layouts: the year's ("") and a 历年累计 (".cumulative")."""
    return tuple(dict.fromkeys(c for layout in legacy().layouts for c in layout.columns))


def legacy_partitions(view: _View) -> Iterator[Outcome]:
    """P1–P7: a parent whose sub-items partition it equals their sum ("各子栏目数总数要等于总栏目数量"), in every value column.

    Every sub-item printed: ``legacy_sum_mismatch`` (error). Some blank: printed parts above the
    total is still an error; printed parts below it is ``legacy_sum_short`` (warning: the
    blanks would have to hold the difference). No sub-item printed: not assessable.
    """
    for part in legacy().partitions:
        for column in _columns():
            yield from _partition(view, part, column)


def _partition(view: _View, part: Partition, column: str) -> Iterator[Outcome]:
    parent = _legacy(part.parent, column)
    children = [_legacy(c, column) for c in part.children if _legacy(c, column) in view.cells]
    if parent not in view.cells or not children:
        return
    total = view.value(parent)
    printed = [c for c in children if view.value(c) is not None]
    blank = [c for c in children if view.value(c) is None]
    if total is None or not printed:
        if (total is not None and total != 0) or printed:
            yield _Unassessable("legacy_sum_mismatch", tuple(k for k in (parent, *blank) if view.value(k) is None))
        return
    got = sum(view.value(c) or 0 for c in printed)
    if abs(got - total) <= _tolerance((parent, *children)):  # counts 0, amounts ±0.01
        return
    label = partial(_cell_label, view)
    arithmetic = f"{_side(view, printed, label)} ≠ {label(parent)}{_fmt(total)}"
    keys = (*printed, parent)
    note = _with_children_note(view, part, got, total, column)
    if blank and got < total:
        yield finding("legacy_sum_short", keys=(*keys, *blank), spans=view.spans(keys), arithmetic=arithmetic,
                      blank=", ".join(label(b) for b in blank), note=note)
    else:
        yield finding("legacy_sum_mismatch", keys=keys, spans=view.spans(keys), arithmetic=arithmetic, note=note)


def _with_children_note(view: _View, part: Partition, got: Number, total: Number, column: str) -> str:
    """If adding the 其中 rows of the sub-items gives the total, the report likely counted them in."""
    extra_keys = [
        _legacy(child, column)
        for subset in legacy().subsets
        if subset.code == "legacy_child_exceeds_parent" and subset.parent in part.children
        for child in subset.children
        if view.value(_legacy(child, column)) is not None
    ]
    if not extra_keys:
        return ""
    extra = sum(view.value(k) or 0 for k in extra_keys)
    if abs(got + extra - total) > _tolerance(extra_keys):
        return ""
    names = ",".join(_cell_label(view, k) for k in extra_keys)
    return reconcile_rules().counted_breakdown.format(names=names, total=_fmt(total))


def legacy_subsets(view: _View) -> Iterator[Outcome]:
    """P7/P8/P10: a 其中 row, a channel, an answered or closed count never exceeds its parent, in every value column.

    A child blank or not printed whose printed sub-items partition it is at least their sum (a
    blank 申请办结数 over 按时办结3 + 延期办结2 is 5 or more). A child with a value under a blank
    parent is ``legacy_child_without_parent`` for a 其中 row, else not assessable.
    """
    for subset in legacy().subsets:
        for column in _columns():
            parent = _legacy(subset.parent, column)
            if parent in view.cells:
                for child in (_legacy(c, column) for c in subset.children):
                    yield from _subset(view, subset, child, parent, column)


def _subset(view: _View, subset: Subset, child: str, parent: str, column: str) -> Iterator[Outcome]:
    value = view.value(child)
    if value is None:
        yield from _blank_child(view, subset, child, parent, column)
    elif view.value(parent) is None:
        if value > 0 and subset.code == "legacy_child_exceeds_parent":
            yield finding("legacy_child_without_parent", keys=[child, parent], spans=view.spans([child]),
                          child=_cell_label(view, child), value=_fmt(value), parent=_cell_label(view, parent))
        elif value > 0:
            yield _Unassessable(subset.code, (parent,))
    else:
        yield from _equation(view, subset.code, [child], [parent], "", partial(_cell_label, view), "<=")


def _blank_child(view: _View, subset: Subset, child: str, parent: str, column: str) -> Iterator[Outcome]:
    """A blank or unprinted child is at least the sum of its printed sub-items: that sum above the parent breaks the subset."""
    part = next((p for p in legacy().partitions if _legacy(p.parent, column) == child), None)
    limit = view.value(parent)
    if part is None or limit is None:
        return
    printed = [k for k in (_legacy(c, column) for c in part.children) if view.value(k) is not None]
    got = sum(view.value(k) or 0 for k in printed)
    if printed and not _holds(got, limit, "<=", _tolerance((*printed, parent))):
        label = partial(_cell_label, view)
        parts = _side(view, printed, label)
        shown = f"{label(child)}{_fmt(None)}（{parts}）" if child in view.cells else parts  # a row not printed has no label
        yield finding(subset.code, keys=(child, *printed, parent), spans=view.spans((*printed, parent)),
                      arithmetic=f"{shown} {BROKEN['<=']} {label(parent)}{_fmt(limit)}")


def legacy_cumulative(view: _View) -> Iterator[Outcome]:
    """P9 (one report): a 历年累计 is never below the same row's count for the year."""
    for key in view.cells:
        if key.startswith("legacy.") and key.endswith(".cumulative"):
            year_key = key.removesuffix(".cumulative")
            if year_key in view.cells:
                outcomes = _equation(view, "legacy_cumulative_below_year", [key], [year_key], "",
                                     partial(_cell_label, view), ">=")
                yield from (o for o in outcomes if isinstance(o, Finding))
