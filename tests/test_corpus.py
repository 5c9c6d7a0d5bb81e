"""Every gold field of every report in corpus/gold must match; a failure prints the diff.
Known failures excuse one item each, and the floor in corpus/floor.toml catches a slide."""

import json
import tomllib

import pytest

from gongkai.corpus import _known_failures, compare, evaluate, gold_files
from gongkai import parse
from conftest import CORPUS, ROOT, SHARED, shared

GOLD = gold_files(CORPUS)
CASES = [(g, s) for g in GOLD for s in json.loads(g.read_text(encoding="utf-8"))["sources"]]


@pytest.mark.parametrize("gold_path,source", CASES, ids=[f"{g.stem}:{s.rsplit('/', 1)[-1]}" for g, s in CASES])
def test_gold(gold_path, source):
    path = (ROOT / source).resolve()
    if not path.exists() and source.startswith("../shared/") and not SHARED.exists():
        pytest.skip(f"{source} is absent (../shared is not beside this checkout)")
    assert path.exists(), f"{gold_path.name} names a source that does not exist: {source}"
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


def test_a_new_spurious_fact_is_not_excused():
    """A spurious fact is excused only by its own name in known_failures: 平潭 2015's excuses name
    the table's run-together cells and findings, never a fact, so a fact the gold lacks fails."""
    gold = json.loads((CORPUS / "gold" / "pingtan-2015-qu.json").read_text(encoding="utf-8"))
    report = parse(shared("pingtan/2015-qu.html"))
    gold["facts"].remove(["narrative.proactive.total", 2949])  # the report still reads it
    comparisons = compare("pingtan-2015-qu", gold, "2015-qu.html", report)
    wrong = [(c.field, c.actual) for c in comparisons if not c.ok and c.known_failure is None]
    assert wrong == [('facts.unexpected.["narrative.proactive.total", 2949]', ["narrative.proactive.total", 2949])]
    excused = [c.field for c in comparisons if c.known_failure is not None]
    assert not any(field.startswith("facts") for field in excused)


def test_accuracy_floor():
    """Matched values and keyed facts over the whole corpus never fall below corpus/floor.toml,
    and the gold never shrinks under it; a known failure counts as not matched."""
    if not SHARED.exists():
        pytest.skip("../shared is absent: the floor counts the reports there too")
    floor = tomllib.loads((CORPUS / "floor.toml").read_text(encoding="utf-8"))
    accuracy = evaluate(CORPUS).accuracy()
    assert set(floor) == {"values", "facts_keyed"}
    for row, least in floor.items():
        matched, total = accuracy[row]
        assert matched >= least["matched"], f"{row}: {matched}/{total} matched, below the floor {least['matched']}"
        assert total >= least["total"], f"{row}: {total} gold fields, fewer than the floor's {least['total']}"
