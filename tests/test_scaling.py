"""Every stage is linear in the input (issue 12): structural checks, never timings.

benchmarks/scaling.py measures time and memory for 1–16 MB inputs (docs/performance.md); these
tests pin the algorithms that keep it linear, by counting passes rather than by the clock.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

import gongkai
from gongkai.errors import GongkaiError, InputTooLargeError
from gongkai.models import Fact, Span
from gongkai.read import MAX_TEXT_CHARS
from gongkai.reconcile._view import _View
from gongkai.reconcile.narrative import _sentence, narrative_proposals


class _CountedFacts(tuple):
    """A report's facts that count how often they are walked."""

    walks = 0

    def __iter__(self):
        type(self).walks += 1
        return super().__iter__()


def _fact(key: str, value: int, start: int, surface: str) -> Fact:
    return Fact(key=key, value=value, span=Span(start=start, end=start + len(surface)), surface=surface,
                rule_id="x", section="other")


def test_proposals_sums_walk_the_facts_a_fixed_number_of_times():
    """N13 once compared every total with every fact (totals × facts: a 16 MB text's 500 totals
    cost 6.5 s); now each total's sentence takes its parts by bisection. With 3,000 sentences
    of 建议 + 提案 = 共, the facts are walked twice whatever their number, and every sentence's
    sum is still checked against its own parts only."""
    text, facts = [], []
    offset = 0
    for i in range(3000):
        total = 14 if i % 3 == 0 else 15  # every third sentence adds up wrong
        pieces = [("narrative.npc_suggestions", 3, "人大代表建议3件"), ("narrative.cppcc_proposals", 12, "政协提案12件"),
                  ("narrative.suggestions_proposals", total, f"共{total}件")]
        sentence = ""
        for key, value, surface in pieces:
            sentence += "，" if sentence else ""
            facts.append(_fact(key, value, offset + len(sentence), surface))
            sentence += surface
        sentence += "。\n" if i % 2 else "；"  # the text prints no ASCII ;, one of the sentence marks
        text.append(sentence)
        offset += len(sentence)
    report = SimpleNamespace(text="".join(text), facts=_CountedFacts(facts), tables=())
    view = _View(report)
    _CountedFacts.walks = 0
    found = list(narrative_proposals(view))
    assert len(found) == 1000
    assert all(f.code == "narrative_proposals_sum" and "3+12=15 ≠ 14" in f.message for f in found)
    assert _CountedFacts.walks <= 2


def test_a_sentence_ends_at_the_nearest_mark_of_any_kind():
    text = "甲。乙收到建议3件，提案2件；丙\n丁"
    assert [_sentence(text, Span(start=a, end=b)) for a, b in ((5, 6), (0, 1), (len(text) - 1, len(text)))] == [
        Span(start=2, end=14), Span(start=0, end=1), Span(start=len(text) - 1, end=len(text))]


def test_text_past_the_real_limit_is_a_clear_error():
    """Past read.MAX_TEXT_CHARS (8 Mi characters: 16 MiB of reports is 6.6 M) the refusal is
    an InputTooLargeError, a GongkaiError, that names the limit, before any stage runs."""
    with pytest.raises(InputTooLargeError, match=rf"^big: the text read out of it runs past the {MAX_TEXT_CHARS} characters") as caught:
        gongkai.parse_text("一" * (MAX_TEXT_CHARS + 1), source="big")
    assert isinstance(caught.value, GongkaiError)
