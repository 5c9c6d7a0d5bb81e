"""Every narrative rule's examples and counterexamples, one test case each (id rule_id[i]).

Each rule runs alone on its own examples, through the same folding and whitespace joining as a
report, so an example shows exactly what the rule itself reads. Then the rule files' validation:
a bad rule fails at load time naming the file, the rule id and the reason.
"""

import copy

import pytest

from gongkai.errors import RuleError
from gongkai.facts import build_catalogue, catalogue, find
from gongkai.rules import read_toml

RULES = catalogue().rules
EXAMPLES = [
    pytest.param(rule, text, value, id=f"{rule.rule.id}[{i}]")
    for rule in RULES
    for i, (text, value) in enumerate(rule.rule.examples)
]
COUNTEREXAMPLES = [
    pytest.param(rule, text, id=f"{rule.rule.id}[{i}]")
    for rule in RULES
    for i, text in enumerate(rule.rule.counterexamples)
]


@pytest.mark.parametrize(("rule", "text", "value"), EXAMPLES)
def test_example(rule, text, value):
    found = [f for f in find(text, rules=(rule,)) if f.key == rule.rule.key]
    assert [f.value for f in found][:1] == [value], f"{rule.rule.id} read {found!r} in {text!r}"
    assert all(f.surface in text for f in found)
    assert all(text[f.span.start : f.span.end] == f.surface for f in found)


@pytest.mark.parametrize(("rule", "text"), COUNTEREXAMPLES)
def test_counterexample(rule, text):
    found = [f for f in find(text, rules=(rule,)) if f.key == rule.rule.key]
    assert found == [], f"{rule.rule.id} should not match {text!r}: {[f.surface for f in found]}"


def test_every_rule_has_examples_and_counterexamples():
    ids = [r.rule.id for r in RULES]
    assert {"narrative.proactive.total", "narrative.fees.collected"} <= set(ids)  # the catalogue loaded
    assert all(r.rule.examples and r.rule.counterexamples for r in RULES)
    assert len(set(ids)) == len(ids)


def test_every_rule_shows_five_wordings_each_way():
    """Issue 11: a rule is written from several wordings, not one sentence: five examples and
    five counterexamples at least, each a different wording."""
    thin = [(r.rule.id, len(r.rule.examples), len(r.rule.counterexamples)) for r in RULES
            if len({t for t, _ in r.rule.examples}) < 5 or len(set(r.rule.counterexamples)) < 5]
    assert thin == []


# --- validation -----------------------------------------------------------------------------


def _data():
    return read_toml("lexicon"), copy.deepcopy(read_toml("narrative"))


def _first_rule(narrative, **change):
    narrative["rules"][0].update(change)
    return narrative


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param({"pattern": "(unclosed{count}"}, "bad regex", id="bad-regex"),
        pytest.param({"pattern": "{nosuchblock}{count}"}, "unknown block {nosuchblock}", id="unknown-block"),
        pytest.param({"examples": []}, "at least one example", id="no-example"),
        pytest.param({"counterexamples": []}, "at least one example and one counterexample", id="no-counterexample"),
        pytest.param({"pattern": "{count}{count}"}, "one count per rule", id="two-counts"),
        pytest.param({"pattern": "abc"}, "either one {count} or a value", id="no-count-no-value"),
        pytest.param({"units": ["斤"]}, "not in the lexicon", id="unknown-unit"),
        pytest.param({"colour": "red"}, "Extra inputs", id="unknown-field"),
    ],
)
def test_bad_rule_names_file_id_and_reason(change, reason):
    lexicon, narrative = _data()
    rule_id = narrative["rules"][0]["id"]
    with pytest.raises(RuleError) as err:
        build_catalogue(lexicon, _first_rule(narrative, **change))
    message = str(err.value)
    assert "rules/narrative.toml" in message and rule_id in message and reason in message


def test_duplicate_id_is_refused():
    lexicon, narrative = _data()
    narrative["rules"].append(dict(narrative["rules"][0]))
    with pytest.raises(RuleError, match=r"rules/narrative.toml: .*narrative.proactive.total: duplicate id"):
        build_catalogue(lexicon, narrative)


def test_self_referring_block_is_refused():
    lexicon, narrative = _data()
    lexicon = {"blocks": dict(lexicon["blocks"], gap="{gap}x")}
    with pytest.raises(RuleError, match="refers to itself"):
        build_catalogue(lexicon, narrative)
