"""Every gold field of every report in corpus/gold must match; a failure prints the diff."""

import json

import pytest

from gongkai.corpus import _known_failures, compare, gold_files
from gongkai import parse
from conftest import CORPUS, ROOT

GOLD = gold_files(CORPUS)
CASES = [(g, s) for g in GOLD for s in json.loads(g.read_text(encoding="utf-8"))["sources"]]


@pytest.mark.parametrize("gold_path,source", CASES, ids=[f"{g.stem}:{s.rsplit('/', 1)[-1]}" for g, s in CASES])
def test_gold(gold_path, source):
    path = (ROOT / source).resolve()
    if not path.exists():
        pytest.skip(f"{source} is absent (../shared is not beside this checkout)")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    comparisons = compare(gold_path.stem, gold, source, parse(path))
    wrong = [c for c in comparisons if not c.ok and c.known_failure is None]
    fixed = [c for c in comparisons if c.ok and c.known_failure is not None]
    diff = "\n".join(f"  {c.field}: expected {c.expected!r}, got {c.actual!r}" for c in wrong)
    assert not wrong, f"{len(wrong)} gold fields differ for {source}:\n{diff}"
    assert not fixed, "known failures now pass; remove them from known_failures: " + ", ".join(c.field for c in fixed)
    named = {c.field for c in comparisons}
    stale = {k for k in _known_failures(gold, source) if k not in named}
    assert not stale, "known failures that no comparison names any more: " + ", ".join(sorted(stale))


def test_every_seed_has_gold():
    ids = {g.stem for g in GOLD}
    for seed in sorted(CORPUS.glob("[0-9][0-9][0-9]_*.txt")):
        assert seed.stem in ids
