"""Narrative against tables (FORMATS §9: N1–N11, N13): what the text states equals what the tables print.

A count stated in words equals the cell(s) for the same thing (the pairs in reconcile.toml), each
time it is stated, and is stated with one value; application channels in words equal the
pre-2019 channel rows; a printed share equals count / total; the parts listed with a total never
exceed it and, when they are the whole list, add up to it; a fee stated twice is one amount; a
stated 办结率 holds; 建议 + 提案 add up to the total stated beside them. Approximate counts
(余/多/约) are never compared.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from functools import cache, partial

import regex

from ..facts import catalogue
from ..models import Fact, Finding, Number, Span
from ..read import fold
from ..rules import compiled, finding
from ._view import (BROKEN, Outcome, _cell_label, _fmt, _holds, _label_with_column, _NarrativePair, _side, _Unassessable,
                    _View, matches, reconcile_rules)


def _table_sum(view: _View, keys: Sequence[str]) -> Number | None:
    values = [view.value(k) for k in keys]
    return None if any(v is None for v in values) else sum(v or 0 for v in values)


def _statements(view: _View, key: str) -> list[Fact]:
    """The exact statements of a count (余/多/约 are never compared)."""
    return [f for f in view.facts(key) if not f.approximate]


def _by_value(facts: Sequence[Fact]) -> dict[Number, list[Fact]]:
    """Statements grouped by the value they give, in the order first stated."""
    out: dict[Number, list[Fact]] = {}
    for fact in facts:
        out.setdefault(fact.value, []).append(fact)
    return out


def _are_parts(facts: Sequence[Fact], table: Number) -> bool:
    """Statements that differ from the table's count but add up to it are its parts (by unit,
    by level: 区直303条 + 乡镇122条 of 425), not rival counts."""
    others = [f.value for f in facts if f.value != table]
    return len(others) >= 2 and table in (sum(others), sum(set(others)))


def _pairs(view: _View) -> list[_NarrativePair]:
    return [p for p in reconcile_rules().narrative_pairs if view.template in p.templates]


def narrative_counts(view: _View) -> Iterator[Outcome]:
    """N1–N5, N7, N8 and the pre-2019 table: each statement of a count equals the table cell(s) for the same thing.

    Each value stated is compared, also when the narrative states several (``narrative_statements``
    says that they differ); statements that add up to the table's count are its parts and are not
    compared one by one. Approximate counts (余/多/约) are not compared. A 0 from 未收到申请 against a
    non-zero table is ``no_applications_contradicted`` (error); any other difference ``narrative_table_mismatch``.
    """
    for pair in _pairs(view):
        facts = _statements(view, pair.fact)
        if not facts or not any(k in view.cells for k in pair.table):
            continue
        table = _table_sum(view, pair.table)
        if table is None:
            yield _Unassessable("narrative_table_mismatch", tuple(k for k in pair.table if view.value(k) is None))
            continue
        if _are_parts(facts, table):
            continue
        for value, same in _by_value(facts).items():
            if value != table:
                yield _count_finding(view, pair, same)


def _count_finding(view: _View, pair: _NarrativePair, same: list[Fact]) -> Finding:
    """One value stated (in ``same``) against the pair's cells: its other reading, a denied 0, or a mismatch."""
    fact = same[0]
    keys = (fact.key, *pair.table)
    spans = [*(f.span for f in same), *view.spans(pair.table)]
    label = partial(_label_with_column, view)
    arithmetic = _side(view, pair.table, label)
    alt = next((a for a in pair.alternatives if _table_sum(view, a) == fact.value), None)
    if alt is not None:
        return finding("narrative_matches_alternative", keys=(*keys, *alt), spans=[*spans, *view.spans(alt)],
                       rule=pair.rule, surface=fact.surface, value=_fmt(fact.value),
                       arithmetic=_side(view, alt, label), primary=arithmetic)
    if fact.value == 0 and pair.rule == "N1":
        return finding("no_applications_contradicted", keys=keys, spans=spans, surface=fact.surface,
                       arithmetic=arithmetic)
    return finding("narrative_table_mismatch", keys=keys, spans=spans, rule=pair.rule,
                   surface=fact.surface, value=_fmt(fact.value), arithmetic=arithmetic)


def narrative_statements(view: _View) -> Iterator[Outcome]:
    """Two statements of one count that give different values (收到申请12件 … 共受理申请15件).

    A count is one the tables state too (a key of the narrative-versus-table pairs). Not a finding
    when every value is the table's in one of its readings (受理 = 新收 + 上年结转), nor when the
    values that differ from the table add up to it (parts by unit or level).
    """
    rules, labels = reconcile_rules(), catalogue().labels
    for key in dict.fromkeys(p.fact for p in rules.narrative_pairs):
        facts = _statements(view, key)
        values = _by_value(facts)
        if len(values) < 2 or _explained(view, key, facts):
            continue
        stated = rules.statement_separator.join(rules.statement.format(surface=same[0].surface, value=_fmt(value))
                                                for value, same in values.items())
        yield finding("narrative_statements_differ", keys=[key], spans=[f.span for f in facts],
                      label=labels.get(key, key), statements=stated)


def _explained(view: _View, key: str, facts: list[Fact]) -> bool:
    """Every value is one reading of the table's count, or the values apart from it are its parts."""
    readings: set[Number] = set()
    for pair in (p for p in _pairs(view) if p.fact == key):
        sums = [_table_sum(view, keys) for keys in (pair.table, *pair.alternatives)]
        readings |= {v for v in sums if v is not None}
        if sums[0] is not None and _are_parts(facts, sums[0]):
            return True
    return {f.value for f in facts} <= readings


def narrative_channels(view: _View) -> Iterator[Outcome]:
    """D9 (pre-2019): the application channels stated in words (网上申请12件) equal the 统计表's channel rows.

    Each statement is compared with the row of its channel (reconcile.toml ``channels``); a row that
    joins two channels (信函、传真申请数) equals their sum when the text states each once, and is
    never below one of them. A table without channel rows (2019, 2021) gives nothing to compare.
    """
    channels = reconcile_rules().channels
    facts = _statements(view, channels.fact)
    for row in channels.rows:
        stated = [[f for f in facts if compiled(s).search(f.subject)] for s in row.subjects]
        if row.table not in view.cells or not any(stated):
            continue
        cell = view.value(row.table)
        if cell is None:
            yield _Unassessable("narrative_table_mismatch", (row.table,))
            continue
        yield from _channel_row(view, channels.fact, row.table, cell, stated)


def _channel_row(view: _View, key: str, row: str, cell: Number, stated: list[list[Fact]]) -> Iterator[Finding]:
    """The statements of each channel a row counts (``stated``, one list per channel) against the row."""
    if len(stated) == 1:
        for value, same in _by_value(stated[0]).items():
            if value != cell:
                yield _channel_mismatch(view, key, row, same, value)
    elif all(len(_by_value(s)) == 1 for s in stated):  # every channel of a joined row, once: their sum
        firsts = [s[0] for s in stated]
        total = sum(f.value for f in firsts)
        if total != cell:
            yield _channel_mismatch(view, key, row, firsts, total)
    else:  # a joined row stated in part: each channel only bounds it
        for same in (same for s in stated for same in _by_value(s).values()):
            if same[0].value > cell:
                yield _channel_mismatch(view, key, row, same, same[0].value)


def _channel_mismatch(view: _View, key: str, row: str, facts: list[Fact], value: Number) -> Finding:
    surface = reconcile_rules().surface_separator.join(dict.fromkeys(f.surface for f in facts))
    return finding("narrative_table_mismatch", keys=(key, row), spans=[*(f.span for f in facts), *view.spans([row])],
                   rule="D9", surface=surface, value=_fmt(value), arithmetic=_side(view, [row], partial(_cell_label, view)))


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
    """N10: the parts stated with a total never exceed it, and add up to it when they are the whole of it.

    Parts are the counts linked to a total by 其中 (``Fact.parent``) and, linked or not, those a
    declared partition names (the application channels of the applications received). A list is
    the whole when its printed shares add to 100%, a word announces it (分别为, 包括), its last part
    is the rest (其他…) or it holds enough parts of a partition — unless 等 leaves it open.
    Overlapping parts (one item on several channels, P7) never count toward "exceeds", and a whole
    list of them need only cover the total.
    """
    elsewhere = reconcile_rules().breakdown.checked_elsewhere
    for total, parts in _breakdowns(view):
        if total.key in elsewhere:
            continue
        if not total.approximate and not any(p.approximate for p in parts):
            yield from _breakdown_sum(view, total, parts)


def _breakdowns(view: _View) -> list[tuple[Fact, list[Fact]]]:
    """(total, its parts in text order): the 其中 links of the facts, then the declared partitions."""
    facts = view.report.facts
    groups: dict[int, list[Fact]] = {}
    for fact in facts:
        if fact.parent is not None and 0 <= fact.parent < len(facts) and fact.unit != "%":  # a share is no part
            groups.setdefault(fact.parent, []).append(fact)
    for partition in reconcile_rules().breakdown.partitions:
        totals = [i for i, f in enumerate(facts) if f.key == partition.total and not f.approximate]
        loose = [f for f in facts if f.key in partition.parts and f.parent is None]
        if loose and len({facts[i].value for i in totals}) == 1:  # several totals: narrative_statements says so
            groups.setdefault(totals[0], []).extend(loose)
    return [(facts[i], sorted(parts, key=lambda f: f.span.start)) for i, parts in sorted(groups.items())]


def _breakdown_sum(view: _View, total: Fact, parts: list[Fact]) -> Iterator[Finding]:
    rules = reconcile_rules().breakdown
    counted = [p for p in parts if not matches(p.key, rules.overlapping)]
    shares = _shares_whole(parts)
    if shares or _whole(view.report.text, total, parts):
        used, relation = parts, ("==" if counted or shares else ">=")
    else:
        used, relation = counted, "<="
    got = sum(p.value for p in used)
    if not used or _holds(got, total.value, relation, 0):
        return
    terms = "+".join(_fmt(p.value) for p in used) + (f"={_fmt(got)}" if len(used) > 1 else "")
    yield finding("narrative_breakdown_sum", keys=[total.key], spans=[total.span, *(p.span for p in used)],
                  surface=total.surface, arithmetic=f"{terms} {BROKEN[relation]} {_fmt(total.value)}")


def _shares_whole(parts: list[Fact]) -> bool:
    """Every part prints its share and the shares add up to 100% (within their rounding)."""
    shares = [p.percent for p in parts]
    return all(s is not None for s in shares) and abs(sum(s or 0 for s in shares) - 100) <= len(shares) * 0.5


def _whole(text: str, total: Fact, parts: list[Fact]) -> bool:
    """The list is announced as whole, ends with the rest or is a declared partition's, and 等 does not leave it open."""
    rules = reconcile_rules().breakdown
    if compiled(rules.open_end).match(text[parts[-1].span.end : parts[-1].span.end + 4]):
        return False
    # one part alone is never announced as the whole: 受理申请15件，包括上年结转3件
    announced = len(parts) > 1 and compiled(rules.complete).match(text[total.span.end : parts[0].span.start])
    rest = len(parts) > 1 and compiled(rules.catch_all).match(text[parts[-2].span.end : parts[-1].span.end])
    listed = any(total.key == p.total and len(parts) >= p.complete_from and all(f.key in p.parts for f in parts)
                 for p in rules.partitions)
    return bool(announced or rest or listed)


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
    """N11/P10: a stated 办结率 holds. 100% leaves nothing carried into next year (2019, 2021); before
    2019 every rate equals 申请办结数 (else 申请答复数, where the table has no 办结 row) / 收到申请数."""
    for fact in view.facts("narrative.applications.completion_rate"):
        if fact.approximate:
            continue
        if view.template == "pre2019":
            yield from _legacy_completion_rate(view, fact)
            continue
        key = "applications.carried_forward.total"
        if fact.value == 100 and view.value(key):
            yield finding("completion_rate_mismatch", keys=[fact.key, key], spans=[fact.span, *view.spans([key])],
                          surface=fact.surface, arithmetic=f"{_label_with_column(view, key)}{_fmt(view.value(key))} ≠ 0")


def _legacy_completion_rate(view: _View, fact: Fact) -> Iterator[Outcome]:
    closed, answered, received = "legacy.applications.closed", "legacy.applications.answered", "legacy.applications.received"
    done = closed if view.value(closed) is not None or answered not in view.cells else answered
    if done not in view.cells and received not in view.cells:
        return  # no 统计表 rows to hold the rate against
    if view.value(done) is None or view.value(received) is None:
        yield _Unassessable("completion_rate_mismatch", tuple(k for k in (done, received) if view.value(k) is None))
        return
    count, base = view.value(done) or 0, view.value(received) or 0
    if base == 0:
        return  # nothing received: a rate of nothing
    computed = 100 * count / base
    if abs(computed - fact.value) > _half_unit(fact) + 1e-9:
        ratio = f"{_cell_label(view, done)}{_fmt(count)}/{_cell_label(view, received)}{_fmt(base)}"
        arithmetic = f"{ratio}={_fmt(round(computed, 2))}%"
        yield finding("completion_rate_mismatch", keys=[fact.key, done, received],
                      spans=[fact.span, *view.spans([done, received])], surface=fact.surface, arithmetic=arithmetic)


def narrative_proposals(view: _View) -> Iterator[Outcome]:
    """N13: 人大代表建议 X + 政协提案 Y = the total N stated in the same sentence.

    The parts are gathered once, in text order, and each total's sentence takes its parts by
    bisection, so a text of many totals costs n log n, not totals × facts (issue 12)."""
    text = view.report.text
    parts_in_order = sorted((f for f in view.report.facts
                             if f.key in ("narrative.npc_suggestions", "narrative.cppcc_proposals") and not f.approximate),
                            key=lambda f: f.span.start)
    starts = [f.span.start for f in parts_in_order]
    for total in view.facts("narrative.suggestions_proposals"):
        if total.approximate:
            continue
        sentence = _sentence(text, total.span)
        parts = parts_in_order[bisect_left(starts, sentence.start) : bisect_left(starts, sentence.end)]
        keys = {f.key for f in parts}
        if len(keys) < 2:
            continue
        got = sum(f.value for f in parts)
        if got != total.value:
            terms = "+".join(_fmt(f.value) for f in parts)
            yield finding("narrative_proposals_sum", keys=[total.key, *keys], spans=[total.span, *(f.span for f in parts)],
                          surface=total.surface, arithmetic=f"{terms}={_fmt(got)} ≠ {_fmt(total.value)}")


def _sentence(text: str, span: Span) -> Span:
    """The sentence around a span: from the previous 。；\\n to the next one. Each end is found by
    one search that stops at the nearest mark of any kind, so a mark the text never prints (an
    ASCII ;) costs nothing, rather than a scan to the text's far end (issue 12)."""
    back, ahead = _sentence_ends(reconcile_rules().sentence_end)
    before, after = back.search(text, 0, span.start), ahead.search(text, span.end)
    return Span(start=before.end() if before else 0, end=after.start() if after else len(text))


@cache
def _sentence_ends(ends: str) -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """The sentence marks, searched backward and forward."""
    marks = "[" + regex.escape(ends) + "]"
    return regex.compile(marks, regex.REVERSE), regex.compile(marks)
