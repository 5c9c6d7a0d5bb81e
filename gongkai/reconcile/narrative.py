"""Narrative against tables (FORMATS §9: N1–N11, N13): what the text states equals what the tables print.

A count stated in words equals the cell(s) for the same thing (the pairs in reconcile.toml); a
printed share equals count / total; the parts listed after a total (其中…) do not exceed it; a
fee stated twice is one amount; 办结率100% leaves nothing carried forward; 建议 + 提案 add up to
the total stated beside them. Approximate counts (余/多/约) are never compared.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial

from ..models import Fact, Number, Span
from ..read import fold
from ..rules import compiled, finding
from ._view import Outcome, _cell_label, _fmt, _label_with_column, _side, _Unassessable, _View, reconcile_rules


def _table_sum(view: _View, keys: Sequence[str]) -> Number | None:
    values = [view.value(k) for k in keys]
    return None if any(v is None for v in values) else sum(v or 0 for v in values)


def narrative_counts(view: _View) -> Iterator[Outcome]:
    """N1–N5, N7, N8 and the pre-2019 table: a narrative count equals the table cell(s) for the same thing.

    Approximate counts (余/多/约) are not compared, nor narratives that state several different
    counts under one key (sub-units, histories) or the table's count among others. A 0 from 未收到申请 against a non-zero table is
    ``no_applications_contradicted`` (error); any other difference ``narrative_table_mismatch``.
    """
    template = view.template
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
            label = partial(_label_with_column, view)
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
    return 0.5 * 10.0 ** -decimals


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
        exhaustive = all(s is not None for s in shares) and abs(sum(s or 0 for s in shares) - 100) <= len(shares) * 0.5
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
        if view.template == "pre2019":
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
