"""Across years of one agency (FORMATS §8: R3.7, R2.1, R2.6, P9): each report against the year before's.

The identities across years are declared with the tables (``series`` in rules/table_<generation>.toml,
an operand ``Y-1:`` read from the earlier report): 上年结转 continues last year's 结转下年度, table 2's
in-force and item counts roll forward. A pre-2019 历年累计 grows by the year's count (P9). Spans point
into the later report; each operand is labelled with its year. ``series_repetition`` measures how
much of the later narrative repeats the earlier one (D2), its vocabulary in rules/series.toml.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

import regex

from ..models import Report, Span
from ..read import fold
from ..rules import _Rules, finding, load
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


# --- repeated narrative (D2, N12: last year's text reused) ----------------------------------


class RepetitionRules(_Rules):
    sentence_end: str
    numerals: str
    min_chars: int
    near: float


@cache
def repetition_rules() -> RepetitionRules:
    return load("series", RepetitionRules, "repetition")


@dataclass(frozen=True)
class Sentence:
    span: Span  # into the report's text
    norm: str  # whitespace dropped, numbers folded to one mark


@dataclass(frozen=True)
class Repetition:
    """How much of a later narrative repeats an earlier one, and where, in both texts."""

    share: float  # of the later narrative's characters, in sentences repeated from the earlier
    sentences: int  # narrative sentences of the later report
    pairs: tuple[tuple[Span, Span], ...]  # (earlier, later) span of each repeated sentence


@cache
def _sentence_pattern() -> regex.Pattern[str]:
    ends = regex.escape(repetition_rules().sentence_end)
    return regex.compile(rf"[^{ends}]+[{ends}]?")


@cache
def _number_pattern() -> regex.Pattern[str]:
    return regex.compile(rf"[0-9.,%{regex.escape(repetition_rules().numerals)}]+")


def narrative_sentences(report: Report) -> list[Sentence]:
    """The prose sentences of a report from its first section on (the title is not prose), less
    table rows and regions and anything shorter than ``min_chars`` once numbers are folded.
    Line breaks do not end a sentence: PDF text breaks every line."""
    text, rules = report.text, repetition_rules()
    tables = [(t.span.start, t.span.end) for t in report.tables if t.span is not None]
    body = min((s.span.start for s in report.sections), default=text.find("\n") + 1)
    out = []
    for m in _sentence_pattern().finditer(fold(text), body):
        if "\t" in m.group() or "|" in m.group() or any(a < m.end() and m.start() < b for a, b in tables):
            continue
        norm = _number_pattern().sub("#", "".join(m.group().split()))
        if len(norm) >= rules.min_chars:
            lead = len(m.group()) - len(m.group().lstrip())
            trail = len(m.group()) - len(m.group().rstrip())
            out.append(Sentence(Span(start=m.start() + lead, end=m.end() - trail), norm))
    return out


def _trigrams(norm: str) -> set[str]:
    return {norm[i : i + 3] for i in range(len(norm) - 2)}


def repetition(earlier: Sequence[Sentence], later: Sequence[Sentence]) -> Repetition:
    """Each later sentence identical to an earlier one once numbers are ignored, or nearly so
    (trigram Jaccard ≥ ``near``), paired with it; the share counts the later characters."""
    exact = {s.norm: s for s in reversed(earlier)}
    grams = [_trigrams(s.norm) for s in earlier]
    index: dict[str, list[int]] = {}
    for i, g in enumerate(grams):
        for gram in g:
            index.setdefault(gram, []).append(i)
    near, pairs, repeated = repetition_rules().near, [], 0
    for s in later:
        match = exact.get(s.norm)
        if match is None:
            mine = _trigrams(s.norm)
            common = Counter(i for gram in mine for i in index.get(gram, ()))
            best = max(common, key=lambda i: common[i] / (len(mine) + len(grams[i]) - common[i]), default=None)
            if best is not None and common[best] / (len(mine) + len(grams[best]) - common[best]) >= near:
                match = earlier[best]
        if match is not None:
            pairs.append((match.span, s.span))
            repeated += len(s.norm)
    total = sum(len(s.norm) for s in later)
    return Repetition(share=repeated / total if total else 0.0, sentences=len(later), pairs=tuple(pairs))


def series_repetition(earlier: Year, later: Year) -> Iterator[Outcome]:
    """D2: the share of the later narrative that repeats the earlier report's, numbers and years
    aside; the repeated sentences located in the later report (``repetition`` gives both)."""
    found = repetition(narrative_sentences(earlier[0].report), narrative_sentences(later[0].report))
    if found.pairs:
        yield finding("series_repeated_text", spans=[later_span for _, later_span in found.pairs],
                      share=f"{100 * found.share:.0f}", earlier=earlier[1], repeated=len(found.pairs),
                      sentences=found.sentences)


class RepetitionTracker:
    """Repetition shares within a stream of reports: each report against the same agency's
    report of the year before (``agency_key``), whichever of the two comes first. Keeps the
    sentences of the ``limit`` most recent reports only (all with None), so memory stays flat in
    a long run; a crawl that keeps an agency's years near each other loses nothing."""

    def __init__(self, limit: int | None = 512) -> None:
        self.limit = limit
        self._seen: OrderedDict[tuple[str, int], list[Sentence]] = OrderedDict()

    def add(self, report: Report) -> dict[tuple[str, int], float]:
        """Shares that this report settles, by (agency key, year): its own when the year
        before was seen, and the next year's when that was seen first."""
        from ..harmonise import agency_key

        return self.add_sentences(agency_key(report.meta.agency), report.meta.year, narrative_sentences(report))

    def add_sentences(self, key: str | None, year: int | None, mine: list[Sentence]) -> dict[tuple[str, int], float]:
        """``add`` for a report already reduced to its sentences (in a worker process)."""
        if key is None or year is None:
            return {}
        out = {}
        if (before := self._seen.get((key, year - 1))) is not None:
            out[(key, year)] = repetition(before, mine).share
        if (after := self._seen.get((key, year + 1))) is not None:
            out[(key, year + 1)] = repetition(mine, after).share
        self._seen[(key, year)] = mine
        self._seen.move_to_end((key, year))
        while self.limit is not None and len(self._seen) > self.limit:
            self._seen.popitem(last=False)
        return out
