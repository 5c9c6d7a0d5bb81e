"""reconcile: Report → Findings. Identities and cross-checks (FORMATS.md §8–9); never repairs a number.

One small function per check, listed in ``CHECKS`` (``reconcile``) and ``SERIES_CHECKS``
(``reconcile_series``, several years of one agency). Each yields Findings whose message shows
the arithmetic with every operand (``行政复议：维持10+纠正1+其他0+尚未审结0=11 ≠ 总计0``), the
keys involved and the spans of the cells and facts compared.

Principles:
- a printed number is never changed, and a recomputed total never replaces a printed one;
- an operand that is blank (None) or absent makes that comparison not assessable: the check
  yields ``_Unassessable`` and ``reconcile`` folds those into one ``not_assessable`` info per
  check, naming the missing keys — never a guess, never hundreds of lines for a blank table;
- a check about a table the report does not have yields nothing (``table_missing`` and
  ``section_missing`` come from the earlier stages and are not repeated here);
- tolerance 0 for counts, ``amount_tolerance`` for 万元 amounts, the printed precision for a
  percentage;
- an error in the report (these codes) and a number gongkai could not read (``cell_ambiguous``,
  ``cell_unreadable`` from the tables stage) are different codes.

Chinese labels for the messages, the pre-2019 sub-item structures and the phrases of the meta
checks are data in ``rules/reconcile.toml``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatch
from functools import cache

from pydantic import field_validator

from .models import Cell, Fact, Finding, Number, Report, Span
from .read import fold
from .rules import _compiles, _Rules, compiled, finding, load
from .template import Partition as _Partition
from .template import legacy

APPLICANTS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org")
COLUMNS = (*APPLICANTS, "total")
DENIED = ("state_secret", "prohibited", "security", "third_party", "internal", "process", "enforcement_file", "query")
UNABLE = ("not_held", "needs_creation", "unclear")
NOT_PROCESSED = ("petition", "repeated", "publication", "excessive", "reconfirm")
OTHER_2021 = ("no_correction", "unpaid_fee", "other")
OUTCOMES = ("upheld", "corrected", "other", "pending")
STANDARD_TABLES = ("proactive", "applications", "review")


# --- rules ----------------------------------------------------------------------------------


class _NarrativePair(_Rules):
    rule: str
    fact: str
    table: tuple[str, ...]
    alternatives: tuple[tuple[str, ...], ...] = ()
    templates: tuple[str, ...]


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
    money_units: dict[str, float]
    sentence_end: str
    label_note: str
    labels: dict[str, str]
    narrative_pairs: tuple[_NarrativePair, ...]
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
Check = Callable[["_View"], Iterable[Outcome]]


class _View:
    """Lookups over one Report: cells by key (the first one printed), facts, tables present."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.cells: dict[str, Cell] = {}
        for table in report.tables:
            for cell in table.cells:
                if cell.key is not None:
                    self.cells.setdefault(cell.key, cell)
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


def _label(key: str) -> str:
    """The short label of a key for a message: the longest labelled suffix, else the printed row."""
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


def _fmt(value: Number | None) -> str:
    if value is None:
        return reconcile_rules().labels["blank"]
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{round(value, 4):g}"
    return str(value)


def _tolerance(keys: Iterable[str]) -> float:
    rules = reconcile_rules()
    amounts = any(fnmatch(k, p) for k in keys for p in rules.amount_keys)
    return rules.amount_tolerance + 1e-9 if amounts else 0


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
    lhs = sum(view.value(k) for k in left)  # type: ignore[misc]
    rhs = sum(view.value(k) for k in right)  # type: ignore[misc]
    tol = _tolerance(keys)
    holds = {"==": abs(lhs - rhs) <= tol, "<=": lhs <= rhs + tol, ">=": lhs + tol >= rhs}[relation]
    if not holds:
        sign = {"==": "≠", "<=": ">", ">=": "<"}[relation]
        arithmetic = f"{_side(view, left, label)} {sign} {_side(view, right, label)}"
        yield finding(code, keys=keys, spans=view.spans(keys), scope=scope, arithmetic=arithmetic)


# --- meta (FMT2, FMT5, N12) ------------------------------------------------------------------


def template_matches_year(view: _View) -> Iterator[Outcome]:
    """FMT2: a report for 2021 or later must use the 2021 tables (``template_outdated``)."""
    m = view.report.meta
    if m.template == "2019" and m.year is not None and m.year >= 2021:
        yield finding("template_outdated", year=m.year, template=m.template)


def title_year_matches_period(view: _View) -> Iterator[Outcome]:
    """FMT5: the year in the title equals the year of the stated statistics period (``year_mismatch``)."""
    m = view.report.meta
    if not m.title or m.period_start is None:
        return
    found = compiled(reconcile_rules().title_year).search(fold(m.title))
    if found and int(found.group("year")) != m.period_start.year:
        yield finding("year_mismatch", title_year=found.group("year"), period_year=m.period_start.year)


def published_in_time(view: _View) -> Iterator[Outcome]:
    """FMT6: published by 3月31日 of the next year (governments; every agency before 2019), by
    1月31日 (departments, 2019 条例). The date is the page's, else the report's signing date."""
    m = view.report.meta
    if m.published is None or m.year is None:
        return
    rules = reconcile_rules()
    if m.template == "pre2019" or m.year < 2019:
        month, day = rules.deadline_pre2019
    elif m.agency and compiled(rules.government).search(m.agency):
        month, day = rules.deadline_government
    else:
        month, day = rules.deadline_department
    deadline = date(m.year + 1, month, day)
    if m.published > deadline:
        yield finding("published_late", published=m.published.isoformat(), deadline=deadline.isoformat(),
                      days=(m.published - deadline).days)


def period_is_calendar_year(view: _View) -> Iterator[Outcome]:
    """FMT5: the statistics period runs 1 January to 31 December of the report year."""
    m = view.report.meta
    start, end = m.period_start, m.period_end
    if start is None or end is None:
        return
    if (start.month, start.day, end.month, end.day) != (1, 1, 12, 31) or start.year != end.year:
        yield finding("period_not_calendar_year", start=start.isoformat(), end=end.isoformat(),
                      year=m.year or start.year)


def next_year_phrase(view: _View) -> Iterator[Outcome]:
    """N12: a "next year" phrase (展望YYYY年) must name the year after the report year."""
    year = view.report.meta.year
    if year is None:
        return
    folded = fold(view.report.text)
    for pattern in reconcile_rules().next_year:
        for m in compiled(pattern).finditer(folded):
            if int(m.group("year")) != year + 1:
                span = Span(start=m.start(), end=m.end())
                yield finding("next_year_mismatch", spans=[span], surface=span.of(view.report.text),
                              year=year, expected=year + 1)


# --- table 3 (R3.1–R3.5) ---------------------------------------------------------------------


def _table3_rows(view: _View) -> tuple[str, ...]:
    """The result leaf rows (without the applications. prefix): 2019 has one （六） row."""
    other = ("other.total",) if view.has("applications.other.total.") else tuple(f"other.{o}" for o in OTHER_2021)
    return ("granted", "partial", *(f"denied.{d}" for d in DENIED), *(f"unable.{u}" for u in UNABLE),
            *(f"not_processed.{n}" for n in NOT_PROCESSED), *other)


def _row_label(key: str) -> str:
    """applications.granted.natural → 予以公开."""
    return _label(key.rsplit(".", 1)[0])


def table3_balance(view: _View) -> Iterator[Outcome]:
    """R3.1, the printed 勾稽 note: 新收 + 上年结转 = （七）总计 + 结转下年度, per column."""
    if "applications" not in view.kinds:
        return
    for c in COLUMNS:
        yield from _equation(view, "table3_balance",
                             [f"applications.new.{c}", f"applications.carried_over.{c}"],
                             [f"applications.closed.{c}", f"applications.carried_forward.{c}"],
                             _label(c), _row_label)


def table3_result_sum(view: _View) -> Iterator[Outcome]:
    """R3.2: （七）总计 = the sum of the outcome leaf rows （一）–（六）, per column (2019: one （六） row)."""
    if "applications" not in view.kinds:
        return
    rows = _table3_rows(view)
    for c in COLUMNS:
        yield from _equation(view, "table3_result_sum", [f"applications.{r}.{c}" for r in rows],
                             [f"applications.closed.{c}"], _label(c), _row_label)


def table3_row_sum(view: _View) -> Iterator[Outcome]:
    """R3.3: the 总计 column = the sum of the six applicant columns, for every row."""
    if "applications" not in view.kinds:
        return
    for r in ("new", "carried_over", *_table3_rows(view), "closed", "carried_forward"):
        yield from _equation(view, "table3_row_sum", [f"applications.{r}.{c}" for c in APPLICANTS],
                             [f"applications.{r}.total"], _label(f"applications.{r}"),
                             lambda k: _label(k.rsplit(".", 1)[1]))


def table3_bounds(view: _View) -> Iterator[Outcome]:
    """R3.5: where the balance is not assessable, 办结 and 结转下年度 never exceed 新收 + 上年结转."""
    if "applications" not in view.kinds:
        return
    for c in COLUMNS:
        operands = [f"applications.{r}.{c}" for r in ("new", "carried_over", "closed", "carried_forward")]
        if all(view.value(k) is not None for k in operands):
            continue  # table3_balance decides this column
        for r in ("closed", "carried_forward"):
            if view.value(f"applications.{r}.{c}") is None:
                continue
            outcomes = _equation(view, "table3_bounds", [f"applications.{r}.{c}"],
                                 [f"applications.new.{c}", f"applications.carried_over.{c}"],
                                 _label(c), _row_label, relation="<=")
            yield from (o for o in outcomes if isinstance(o, Finding))


# --- table 4 (R4.1–R4.3) ---------------------------------------------------------------------


def _table4_group(view: _View, code: str, group: str) -> Iterator[Outcome]:
    if "review" not in view.kinds:
        return
    yield from _equation(view, code, [f"{group}.{o}" for o in OUTCOMES], [f"{group}.total"], _label(group),
                         lambda k: _label(k.rsplit(".", 1)[1]))


def table4_review_total(view: _View) -> Iterator[Outcome]:
    """R4.1: 行政复议 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    yield from _table4_group(view, "table4_review_total", "review")


def table4_direct_total(view: _View) -> Iterator[Outcome]:
    """R4.2: 行政诉讼·未经复议直接起诉 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    yield from _table4_group(view, "table4_direct_total", "litigation.direct")


def table4_after_review_total(view: _View) -> Iterator[Outcome]:
    """R4.3: 行政诉讼·复议后起诉 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    yield from _table4_group(view, "table4_after_review_total", "litigation.after_review")


# --- table 2 (R2.2, R2.3, R2.5, R2.7) and every cell's domain (R3.4, R4.4) -----------------


def cell_domain(view: _View) -> Iterator[Outcome]:
    """R2.3/R3.4/R4.4: counts are non-negative integers; amounts non-negative; 增/减 may be negative."""
    rules = reconcile_rules()
    for key, cell in view.cells.items():
        if cell.value is None or any(fnmatch(key, p) for p in rules.signed_keys):
            continue
        amount = any(fnmatch(key, p) for p in rules.amount_keys)
        fraction = not amount and isinstance(cell.value, float) and not cell.value.is_integer()
        if cell.value < 0 or fraction:
            yield finding("cell_domain", keys=[key], spans=view.spans([key]), label=_label_with_column(view, key),
                          value=_fmt(cell.value), kind=_label("amount" if amount else "integer"))


def table2_in_force(view: _View) -> Iterator[Outcome]:
    """R2.2 (2021): 现行有效件数 ≥ 本年制发件数 − 本年废止件数 (last year's in force is ≥ 0)."""
    for item in ("regulations", "normative_documents"):
        base = f"proactive.{item}"
        if view.value(f"{base}.in_force") is None and f"{base}.in_force" not in view.cells:
            continue
        outcomes = _equation(view, "table2_in_force", [f"{base}.in_force", f"{base}.repealed"],
                             [f"{base}.issued"], _label(base), lambda k: _label(k.rsplit(".", 1)[1]), relation=">=")
        yield from outcomes


def table2_published(view: _View) -> Iterator[Outcome]:
    """R2.5 (2019): 本年新公开 ≤ 本年新制作 (soft); 对外公开总数 ≥ 本年新公开."""
    for item in ("regulations", "normative_documents"):
        base = f"proactive.{item}"
        if f"{base}.published" not in view.cells:
            continue
        scope, label = _label(base), (lambda k: _label(k.rsplit(".", 1)[1]))
        yield from _equation(view, "table2_published", [f"{base}.published"], [f"{base}.made"], scope, label, "<=")
        yield from _equation(view, "table2_published", [f"{base}.total_published"], [f"{base}.published"],
                             scope, label, ">=")


def table2_units(view: _View) -> Iterator[Outcome]:
    """R2.3/R2.7: a 万元 fee cell written in 元 (``unit_suspect``); a procurement amount without a unit."""
    rules = reconcile_rules()
    fee = view.cells.get("proactive.fees.amount")
    if fee is not None and compiled(rules.yuan_in_cell).search(fold(fee.raw)):
        yield finding("unit_suspect", keys=[fee.key], spans=view.spans([fee.key]), raw=fee.raw)
    buy = view.cells.get("proactive.procurement.amount")
    if buy is not None and buy.value and not compiled(rules.unit_in_cell).search(fold(buy.raw)):
        yield finding("unit_assumed", keys=[buy.key], spans=view.spans([buy.key]), raw=buy.raw)


# --- pre-2019 统计表 (P1–P10) ----------------------------------------------------------------


def _legacy(key: str) -> str:
    return f"legacy.{key}"


def legacy_partitions(view: _View) -> Iterator[Outcome]:
    """P1–P7: a parent whose sub-items partition it equals their sum ("各子栏目数总数要等于总栏目数量").

    Every sub-item printed: ``legacy_sum_mismatch`` (error). Some blank: printed parts above the
    total is still an error; printed parts below it is ``legacy_sum_short`` (warning: the
    blanks would have to hold the difference). No sub-item printed: not assessable.
    """
    for part in legacy().partitions:
        parent = _legacy(part.parent)
        children = [_legacy(c) for c in part.children if _legacy(c) in view.cells]
        if parent not in view.cells or not children:
            continue
        total = view.value(parent)
        printed = [c for c in children if view.value(c) is not None]
        blank = [c for c in children if view.value(c) is None]
        if total is None or not printed:
            if (total is not None and total != 0) or printed:
                yield _Unassessable("legacy_sum_mismatch", tuple(k for k in (parent, *blank) if view.value(k) is None))
            continue
        got = sum(view.value(c) for c in printed)  # type: ignore[misc]
        tol = _tolerance((parent, *children))  # counts 0, amounts ±0.01
        if abs(got - total) <= tol:
            continue
        label = lambda k: _cell_label(view, k)  # noqa: E731
        arithmetic = f"{_side(view, printed, label)} ≠ {label(parent)}{_fmt(total)}"
        keys = (*printed, parent)
        note = _with_children_note(view, part, got, total)
        if blank and got < total:
            yield finding("legacy_sum_short", keys=(*keys, *blank), spans=view.spans(keys), arithmetic=arithmetic,
                          blank=", ".join(label(b) for b in blank), note=note)
        else:
            yield finding("legacy_sum_mismatch", keys=keys, spans=view.spans(keys), arithmetic=arithmetic, note=note)


def _with_children_note(view: _View, part: _Partition, got: Number, total: Number) -> str:
    """If adding the 其中 rows of the sub-items gives the total, the report likely counted them in."""
    extra_keys = [
        _legacy(child)
        for subset in legacy().subsets
        if subset.code == "legacy_child_exceeds_parent" and subset.parent in part.children
        for child in subset.children
        if view.value(_legacy(child)) is not None
    ]
    if not extra_keys:
        return ""
    extra = sum(view.value(k) for k in extra_keys)  # type: ignore[misc]
    if abs(got + extra - total) > _tolerance(extra_keys):
        return ""
    names = ",".join(_cell_label(view, k) for k in extra_keys)
    return reconcile_rules().counted_breakdown.format(names=names, total=_fmt(total))


def legacy_subsets(view: _View) -> Iterator[Outcome]:
    """P7/P8/P10: a 其中 row, a channel, an answered count never exceeds its parent.

    A child with a positive value under a blank parent is ``legacy_child_without_parent``.
    """
    for subset in legacy().subsets:
        parent = _legacy(subset.parent)
        if parent not in view.cells:
            continue
        for child in map(_legacy, subset.children):
            value = view.value(child)
            if child not in view.cells or value is None:
                continue
            if view.value(parent) is None:
                if value > 0 and subset.code == "legacy_child_exceeds_parent":
                    yield finding("legacy_child_without_parent", keys=[child, parent], spans=view.spans([child]),
                                  child=_cell_label(view, child), value=_fmt(value), parent=_cell_label(view, parent))
                continue
            yield from _equation(view, subset.code, [child], [parent], "", lambda k: _cell_label(view, k), "<=")


def legacy_cumulative(view: _View) -> Iterator[Outcome]:
    """P9 (one report): a 历年累计 is never below the same row's count for the year."""
    for key in view.cells:
        if key.startswith("legacy.") and key.endswith(".cumulative"):
            year_key = key.removesuffix(".cumulative")
            if year_key in view.cells:
                outcomes = _equation(view, "legacy_cumulative_below_year", [key], [year_key], "",
                                     lambda k: _cell_label(view, k), ">=")
                yield from (o for o in outcomes if isinstance(o, Finding))


# --- narrative against tables (N1–N4, N6, N7, N9, N10, N13) --------------------------------


def _template(view: _View) -> str | None:
    return view.report.meta.template or ("pre2019" if view.has("legacy.") else None)


def _table_sum(view: _View, keys: Sequence[str]) -> Number | None:
    values = [view.value(k) for k in keys]
    return None if any(v is None for v in values) else sum(values)  # type: ignore[arg-type]


def narrative_counts(view: _View) -> Iterator[Outcome]:
    """N1–N5, N7, N8 and the pre-2019 table: a narrative count equals the table cell(s) for the same thing.

    Approximate counts (余/多/约) are not compared, nor narratives that state several different
    counts under one key (sub-units, histories) or the table's count among others. A 0 from 未收到申请 against a non-zero table is
    ``no_applications_contradicted`` (error); any other difference ``narrative_table_mismatch``.
    """
    template = _template(view)
    for pair in reconcile_rules().narrative_pairs:
        if template not in pair.templates:
            continue
        facts = [f for f in view.facts(pair.fact) if not f.approximate]
        if not facts or not any(k in view.cells for k in pair.table):
            continue
        table = _table_sum(view, pair.table)
        if table is None:
            yield _Unassessable("narrative_table_mismatch", tuple(k for k in pair.table if view.value(k) is None))
            continue
        if any(f.value == table for f in facts) or len({f.value for f in facts}) > 1:
            continue  # stated somewhere, or several counts (sub-units, other years): none is "the" count
        for fact in facts:
            keys = (fact.key, *pair.table)
            spans = [fact.span, *view.spans(pair.table)]
            label = lambda k: _label_with_column(view, k)  # noqa: E731
            arithmetic = _side(view, pair.table, label)
            alt = next((a for a in pair.alternatives if _table_sum(view, a) == fact.value), None)
            if alt is not None:
                yield finding("narrative_matches_alternative", keys=(*keys, *alt), spans=[*spans, *view.spans(alt)],
                              rule=pair.rule, surface=fact.surface, value=_fmt(fact.value),
                              arithmetic=_side(view, alt, label), primary=arithmetic)
            elif fact.value == 0 and pair.rule == "N1":
                yield finding("no_applications_contradicted", keys=keys, spans=spans, surface=fact.surface,
                              arithmetic=arithmetic)
            else:
                yield finding("narrative_table_mismatch", keys=keys, spans=spans, rule=pair.rule,
                              surface=fact.surface, value=_fmt(fact.value), arithmetic=arithmetic)


def _label_with_column(view: _View, key: str) -> str:
    """applications.new.total → 新收总计; a legacy key → its printed row label."""
    if key.startswith("legacy."):
        return _cell_label(view, key)
    head, column = key.rsplit(".", 1)
    column_label = _label(column)
    return _label(head) + (column_label if column_label != column else "")


def narrative_percentages(view: _View) -> Iterator[Outcome]:
    """N6: a share printed beside a category count equals count / parent total, at the printed precision."""
    facts = view.report.facts
    for fact in facts:
        if fact.percent is None or fact.parent is None or not 0 <= fact.parent < len(facts):
            continue
        total = facts[fact.parent]
        if total.approximate or fact.approximate or not total.value:
            continue
        computed = 100 * fact.value / total.value
        if abs(computed - fact.percent) > _half_unit(fact) + 1e-9:
            yield finding("percent_mismatch", keys=[fact.key, total.key], spans=[fact.span, total.span],
                          surface=fact.surface, count=_fmt(fact.value), total=_fmt(total.value),
                          computed=f"{computed:.2f}", printed=_fmt(fact.percent))


def _half_unit(fact: Fact) -> float:
    """Half the last printed digit of the fact's percentage: 46% → 0.5, 38.5% → 0.05."""
    m = compiled(reconcile_rules().percent).search(fold(fact.surface))
    decimals = len(m.group("decimals") or "") if m else 0
    return 0.5 * 10 ** -decimals


def narrative_breakdown(view: _View) -> Iterator[Outcome]:
    """N10: the parts stated after a total (其中…, Fact.parent) never exceed it; shares adding to 100% add up.

    Channels may count one item on several channels (P7), so they are left out of the "exceeds"
    test; a list may be partial, so a sum below the total is flagged only when its printed shares
    add to 100%.
    """
    facts = view.report.facts
    children: dict[int, list[Fact]] = {}
    for fact in facts:
        if fact.parent is not None and 0 <= fact.parent < len(facts) and fact.unit != "%":  # a share is no part
            children.setdefault(fact.parent, []).append(fact)
    for index, parts in children.items():
        total = facts[index]
        if total.approximate or any(p.approximate for p in parts):
            continue
        counted = [p for p in parts if ".channel." not in p.key]
        shares = [p.percent for p in parts]
        exhaustive = all(s is not None for s in shares) and abs(sum(shares) - 100) <= len(shares) * 0.5  # type: ignore[arg-type]
        got = sum(p.value for p in (parts if exhaustive else counted))
        if (exhaustive and got != total.value) or (not exhaustive and got > total.value):
            used = parts if exhaustive else counted
            terms = "+".join(_fmt(p.value) for p in used)
            sign = "≠" if exhaustive else ">"
            yield finding("narrative_breakdown_sum", keys=[total.key], spans=[total.span, *(p.span for p in used)],
                          surface=total.surface, arithmetic=f"{terms}={_fmt(got)} {sign} {_fmt(total.value)}")


def narrative_fees(view: _View) -> Iterator[Outcome]:
    """N9/FMT8: 信息处理费 stated outside section 六 equals section 六's; unpaid-fee closures need section 六."""
    fees = [f for f in view.facts("narrative.fees.collected") if not f.approximate]
    in_other = [f for f in fees if f.section == "other"]
    elsewhere = [f for f in fees if f.section != "other"]
    for fact in elsewhere:
        for other in in_other:
            if _to_yuan(fact) != _to_yuan(other) and None not in (_to_yuan(fact), _to_yuan(other)):
                yield finding("fees_mismatch", keys=[fact.key], spans=[fact.span, other.span], surface=fact.surface,
                              value=_fmt(_to_yuan(fact)), other_surface=other.surface, other_value=_fmt(_to_yuan(other)))
    unpaid = view.value("applications.other.unpaid_fee.total")
    if unpaid and not in_other:
        yield finding("fees_not_reported", keys=["applications.other.unpaid_fee.total"],
                      spans=view.spans(["applications.other.unpaid_fee.total"]), count=_fmt(unpaid))


def _to_yuan(fact: Fact) -> Number | None:
    """A fee in 元 (万元 × 10000); None for a unit that is not money."""
    scale = reconcile_rules().money_units.get(fact.unit, 1 if fact.unit == "" else None)
    return None if scale is None else round(fact.value * scale, 2)


def narrative_completion_rate(view: _View) -> Iterator[Outcome]:
    """N11: 办结率100% means nothing is left: 结转下年度 0 (pre-2019: 办结/答复 = 收到)."""
    for fact in view.facts("narrative.applications.completion_rate"):
        if fact.approximate or fact.value != 100:
            continue
        if _template(view) == "pre2019":
            left, right = "legacy.applications.answered", "legacy.applications.received"
            if view.value(left) is not None and view.value(right) is not None and view.value(left) != view.value(right):
                yield finding("completion_rate_mismatch", keys=[fact.key, left, right],
                              spans=[fact.span, *view.spans([left, right])], surface=fact.surface,
                              arithmetic=f"{_cell_label(view, left)}{_fmt(view.value(left))} ≠ "
                                         f"{_cell_label(view, right)}{_fmt(view.value(right))}")
            continue
        key = "applications.carried_forward.total"
        if view.value(key):
            yield finding("completion_rate_mismatch", keys=[fact.key, key], spans=[fact.span, *view.spans([key])],
                          surface=fact.surface, arithmetic=f"{_label_with_column(view, key)}{_fmt(view.value(key))} ≠ 0")


def narrative_proposals(view: _View) -> Iterator[Outcome]:
    """N13: 人大代表建议 X + 政协提案 Y = the total N stated in the same sentence."""
    text = view.report.text
    for total in view.facts("narrative.suggestions_proposals"):
        if total.approximate:
            continue
        sentence = _sentence(text, total.span)
        parts = [f for f in view.report.facts
                 if f.key in ("narrative.npc_suggestions", "narrative.cppcc_proposals")
                 and sentence.start <= f.span.start < sentence.end and not f.approximate]
        keys = {f.key for f in parts}
        if len(keys) < 2:
            continue
        got = sum(f.value for f in parts)
        if got != total.value:
            terms = "+".join(_fmt(f.value) for f in parts)
            yield finding("narrative_proposals_sum", keys=[total.key, *keys], spans=[total.span, *(f.span for f in parts)],
                          surface=total.surface, arithmetic=f"{terms}={_fmt(got)} ≠ {_fmt(total.value)}")


def _sentence(text: str, span: Span) -> Span:
    """The sentence around a span: from the previous 。；\\n to the next one."""
    ends = reconcile_rules().sentence_end
    start = max(text.rfind(ch, 0, span.start) for ch in ends) + 1
    stops = [i for ch in ends if (i := text.find(ch, span.end)) >= 0]
    return Span(start=start, end=min(stops) if stops else len(text))


# --- structure and coverage (FMT4, FMT7, N14, R3.6) ------------------------------------------


def blank_cells(view: _View) -> Iterator[Outcome]:
    """FMT4: cells of tables 3 and 4 printed blank, "/" or "—" (not 0): one finding with the count."""
    blank = [c for c in view.cells.values() if c.value is None and c.key and c.key.startswith(
        ("applications.", "review.", "litigation.")) and not any(ch.isdigit() for ch in c.raw)]
    if blank:
        empty = reconcile_rules().labels["blank"]
        marks = "、".join(dict.fromkeys(c.raw.strip() or empty for c in blank))
        yield finding("cell_blank", keys=[c.key for c in blank], spans=[c.span for c in blank if c.span],
                      count=len(blank), marks=marks)


def _section_body(view: _View, kind: str) -> str | None:
    section = view.report.section(kind)
    if section is None:
        return None
    return fold(view.report.text[section.heading.end : section.span.end])


def problems_section(view: _View) -> Iterator[Outcome]:
    """FMT7 (2019, 2021): section 五 names problems and the measures taken, and is not just 无."""
    body = _section_body(view, "problems")
    if body is None or _template(view) not in ("2019", "2021"):
        return
    rules = reconcile_rules()
    if compiled(rules.empty_body).match(body):
        yield finding("problems_section_thin", reason="empty")
        return
    missing = [name for name, words in (("problems", rules.problem_words), ("measures", rules.measure_words))
               if not compiled(words).search(body)]
    if missing:
        yield finding("problems_section_thin", reason="/".join(missing))


def general_coverage(view: _View) -> Iterator[Outcome]:
    """N14 (2021): section 一 总体情况 covers 主动公开, 依申请公开, 政府信息管理, 平台建设, 监督保障."""
    body = _section_body(view, "general")
    if body is None or _template(view) != "2021":
        return
    missing = [name for name, words in reconcile_rules().general_topics.items() if not compiled(words).search(body)]
    if missing:
        yield finding("general_coverage", topics="、".join(missing))


def carry_forward_explained(view: _View) -> Iterator[Outcome]:
    """R3.6 (info): applications carried into next year are usually explained (顺延/延期答复)."""
    key = "applications.carried_forward.total"
    if not view.value(key):
        return
    if not compiled(reconcile_rules().carry_forward_words).search(fold(_narrative_text(view))):
        yield finding("carry_forward_unexplained", keys=[key], spans=view.spans([key]), count=_fmt(view.value(key)))


def _narrative_text(view: _View) -> str:
    """The report text outside its standard tables."""
    text = view.report.text
    tables = sorted((t.span.start, t.span.end) for t in view.report.tables if t.span is not None)
    out, pos = [], 0
    for start, end in tables:
        out.append(text[pos:start])
        pos = max(pos, end)
    out.append(text[pos:])
    return "".join(out)


CHECKS: tuple[Check, ...] = (
    template_matches_year,
    title_year_matches_period,
    period_is_calendar_year,
    published_in_time,
    next_year_phrase,
    table3_balance,
    table3_result_sum,
    table3_row_sum,
    table3_bounds,
    table4_review_total,
    table4_direct_total,
    table4_after_review_total,
    cell_domain,
    table2_in_force,
    table2_published,
    table2_units,
    legacy_partitions,
    legacy_subsets,
    legacy_cumulative,
    narrative_counts,
    narrative_percentages,
    narrative_breakdown,
    narrative_fees,
    narrative_completion_rate,
    narrative_proposals,
    blank_cells,
    problems_section,
    general_coverage,
    carry_forward_explained,
)


def _settle(outcomes: Iterable[Outcome]) -> list[Finding]:
    """Findings in order, then one ``not_assessable`` per check naming every missing key."""
    findings: list[Finding] = []
    missing: dict[str, dict[str, None]] = {}
    counts: dict[str, int] = {}
    for outcome in outcomes:
        if isinstance(outcome, Finding):
            findings.append(outcome)
        else:
            missing.setdefault(outcome.check, {}).update(dict.fromkeys(outcome.keys))
            counts[outcome.check] = counts.get(outcome.check, 0) + 1
    for check, keys in missing.items():
        shown = list(keys)[:4]
        more = f" (+{len(keys) - len(shown)})" if len(keys) > len(shown) else ""
        findings.append(finding("not_assessable", keys=tuple(keys), check=check, count=counts[check],
                                missing=", ".join(shown) + more))
    return findings


def reconcile(report: Report) -> list[Finding]:
    """Findings for everything in the report that does not add up (CHECKS, in order)."""
    view = _View(report)
    return _settle(outcome for check in CHECKS for outcome in check(view))


# --- across years of one agency (R3.7, R2.1, R2.6, P9) -------------------------------------


def _pair_label(view: _View, key: str, year: int | None) -> str:
    return f"{year}{_label_with_column(view, key)}"


def _across(code: str, earlier: tuple[_View, int], later: tuple[_View, int],
            left: Sequence[tuple[int, str]], right: Sequence[tuple[int, str]], severity: str | None = None
            ) -> Iterator[Outcome]:
    """Σ left == Σ right where each operand is (0 earlier / 1 later, key); spans from the later report."""
    views = (earlier, later)
    values = [views[i][0].value(k) for i, k in (*left, *right)]
    if any(v is None for v in values):
        yield _Unassessable(code, tuple(f"{views[i][1]}:{k}" for i, k in (*left, *right) if views[i][0].value(k) is None))
        return
    lhs = sum(values[: len(left)])  # type: ignore[arg-type]
    rhs = sum(values[len(left):])  # type: ignore[arg-type]
    keys = [k for _, k in (*left, *right)]
    if abs(lhs - rhs) > _tolerance(keys):
        def side(ops: Sequence[tuple[int, str]]) -> str:
            terms = "+".join(f"{_pair_label(views[i][0], k, views[i][1])}{_fmt(views[i][0].value(k))}" for i, k in ops)
            return terms if len(ops) == 1 else f"{terms}={_fmt(sum(views[i][0].value(k) for i, k in ops))}"
        yield finding(code, keys=keys, spans=later[0].spans(k for i, k in (*left, *right) if i == 1),
                      severity=severity, arithmetic=f"{side(left)} ≠ {side(right)}")


def series_carry_over(earlier: tuple[_View, int], later: tuple[_View, int]) -> Iterator[Outcome]:
    """R3.7: 上年结转(Y) = 结转下年度(Y−1): the 总计 an error, an applicant column a warning."""
    if "applications" not in earlier[0].kinds or "applications" not in later[0].kinds:
        return
    yield from _across("series_carry_over", earlier, later, [(1, "applications.carried_over.total")],
                       [(0, "applications.carried_forward.total")])
    for c in APPLICANTS:
        yield from _across("series_carry_over_column", earlier, later, [(1, f"applications.carried_over.{c}")],
                           [(0, f"applications.carried_forward.{c}")])


def series_in_force(earlier: tuple[_View, int], later: tuple[_View, int]) -> Iterator[Outcome]:
    """R2.1 (2021): 现行有效(Y) = 现行有效(Y−1) + 制发(Y) − 废止(Y); soft (清理, merges, expiry)."""
    for item in ("regulations", "normative_documents"):
        base = f"proactive.{item}"
        if f"{base}.in_force" not in earlier[0].cells or f"{base}.in_force" not in later[0].cells:
            continue
        yield from _across("series_in_force", earlier, later, [(1, f"{base}.in_force"), (1, f"{base}.repealed")],
                           [(0, f"{base}.in_force"), (1, f"{base}.issued")])


def series_previous(earlier: tuple[_View, int], later: tuple[_View, int]) -> Iterator[Outcome]:
    """R2.6 (2019): 上一年项目数量(Y) = 上一年项目数量(Y−1) + 本年增/减(Y−1)."""
    for item in ("licensing", "other_services", "penalties", "enforcement", "fees"):
        base = f"proactive.{item}"
        if f"{base}.previous" not in earlier[0].cells or f"{base}.previous" not in later[0].cells:
            continue
        yield from _across("series_previous", earlier, later, [(1, f"{base}.previous")],
                           [(0, f"{base}.previous"), (0, f"{base}.change")])


def series_cumulative(earlier: tuple[_View, int], later: tuple[_View, int]) -> Iterator[Outcome]:
    """P9: 历年累计(Y) = 历年累计(Y−1) + the year's count (Y), for every row with both."""
    for key in later[0].cells:
        if key.startswith("legacy.") and key.endswith(".cumulative") and key in earlier[0].cells:
            yield from _across("series_cumulative", earlier, later, [(1, key)],
                               [(0, key), (1, key.removesuffix(".cumulative"))])


SERIES_CHECKS = (series_carry_over, series_in_force, series_previous, series_cumulative)


def reconcile_series(reports: Sequence[Report]) -> list[Finding]:
    """Cross-year findings for several Reports of one agency, each pair of consecutive years.

    The caller groups reports by agency (names change between years: 平潭综合实验区 /
    平潭综合实验区管委会, so no grouping is guessed here). Reports are ordered by ``meta.year``;
    a report is compared with every report of the year before. The spans of a finding point
    into the later report's text; the message names both years.
    """
    dated = sorted((r for r in reports if r.meta.year is not None), key=lambda r: r.meta.year)  # type: ignore[arg-type,return-value]
    views = [(_View(r), r.meta.year) for r in dated]
    outcomes: list[Outcome] = []
    for later in views:
        for earlier in views:
            if earlier[1] == later[1] - 1:  # type: ignore[operator]
                for check in SERIES_CHECKS:
                    outcomes.extend(check(earlier, later))  # type: ignore[arg-type]
    return _settle(outcomes)
