"""Across years of one agency (FORMATS §8: R3.7, R2.1, R2.6, P9): each report against the year before's.

The identities across years are declared with the tables (``series`` in rules/table_<generation>.toml,
an operand ``Y-1:`` read from the earlier report): 上年结转 continues last year's 结转下年度, table 2's
in-force and item counts roll forward. A pre-2019 历年累计 grows by the year's count (P9). Spans point
into the later report; each operand is labelled with its year.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..rules import finding
from ..template import PREVIOUS, equations
from ._view import BROKEN, Outcome, _fmt, _holds, _label_with_column, _tolerance, _Unassessable, _View

Year = tuple[_View, int]  # a report's view and its year
Operand = tuple[int, str]  # (0 the earlier report / 1 the later, key)


def series_identities(earlier: Year, later: Year) -> Iterator[Outcome]:
    """R3.7, R2.1, R2.6: the identities across years that the later report's tables declare."""
    for kind, (table, found) in later[0].declared.items():
        if kind not in earlier[0].kinds:
            continue  # a table one year does not have: table_missing said so
        for eq in equations(table, found, series=True):
            left, right = _operands(eq.left), _operands(eq.right)
            if eq.identity.printed and not _printed_in_both(earlier, later, (*left, *right)):
                continue  # a row one of the reports leaves out (table 2's items are optional)
            yield from _across(eq.identity.code, eq.identity.relation, earlier, later, left, right)


def _operands(keys: Sequence[str]) -> list[Operand]:
    return [(0, k.removeprefix(PREVIOUS)) if k.startswith(PREVIOUS) else (1, k) for k in keys]


def _printed_in_both(earlier: Year, later: Year, operands: Sequence[Operand]) -> bool:
    views = (earlier[0], later[0])
    return all(any(k in views[i].cells for j, k in operands if j == i) for i in (0, 1))


def _across(code: str, relation: str, earlier: Year, later: Year, left: Sequence[Operand], right: Sequence[Operand]
            ) -> Iterator[Outcome]:
    """Σ left (relation) Σ right over two reports; not assessable when any operand is None."""
    views = (earlier, later)
    values = [views[i][0].value(k) for i, k in (*left, *right)]
    if any(v is None for v in values):
        yield _Unassessable(code, tuple(f"{views[i][1]}:{k}" for i, k in (*left, *right) if views[i][0].value(k) is None))
        return
    lhs = sum(v or 0 for v in values[: len(left)])
    rhs = sum(v or 0 for v in values[len(left):])
    keys = [k for _, k in (*left, *right)]
    if not _holds(lhs, rhs, relation, _tolerance(keys)):
        def side(ops: Sequence[Operand]) -> str:  # 2023上年结转总计3, 2022现行有效1+2023制发2=3
            terms = "+".join(f"{views[i][1]}{_label_with_column(views[i][0], k)}{_fmt(views[i][0].value(k))}" for i, k in ops)
            return terms if len(ops) == 1 else f"{terms}={_fmt(sum(views[i][0].value(k) or 0 for i, k in ops))}"
        yield finding(code, keys=keys, spans=later[0].spans(k for i, k in (*left, *right) if i == 1),
                      arithmetic=f"{side(left)} {BROKEN[relation]} {side(right)}")


def series_cumulative(earlier: Year, later: Year) -> Iterator[Outcome]:
    """P9: 历年累计(Y) = 历年累计(Y−1) + the year's count (Y), for every row with both."""
    for key in later[0].cells:
        if key.startswith("legacy.") and key.endswith(".cumulative") and key in earlier[0].cells:
            yield from _across("series_cumulative", "==", earlier, later, [(1, key)],
                               [(0, key), (1, key.removesuffix(".cumulative"))])
