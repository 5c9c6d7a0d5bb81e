"""Every rule of rules/meta.toml on its own examples and counterexamples, one test case each
(id ``meta.<rule>[i]``), then the file's validation: a bad rule fails on load naming the file,
the rule and the reason.

A rule reads the folded text (read.fold), as segment does; an example's groups are compared with
the folded surface, so an example may be typed with full-width digits or ○ for 〇.
"""

import copy

import pytest
import regex

from gongkai import rules
from gongkai.errors import RuleError
from gongkai.read import fold
from gongkai.rules import MetaRules, load, meta_rules, read_toml, section_rules

RULES = meta_rules().rules()
EXAMPLES = [
    pytest.param(name, example, id=f"meta.{name}[{i}]")
    for name, rule in RULES.items()
    for i, example in enumerate(rule.examples)
]
COUNTEREXAMPLES = [
    pytest.param(name, text, id=f"meta.{name}[{i}]")
    for name, rule in RULES.items()
    for i, text in enumerate(rule.counterexamples)
]


@pytest.mark.parametrize(("name", "example"), EXAMPLES)
def test_example(name, example):
    m = regex.compile(RULES[name].pattern).search(fold(example["text"]))
    assert m is not None, f"meta.{name} finds nothing in {example['text']!r}"
    for group, expected in example.items():
        if group != "text":
            found = m.group(0) if group == "match" else m.group(group)
            assert found == fold(expected), f"meta.{name}: {group} = {found!r}, not {expected!r}"


@pytest.mark.parametrize(("name", "text"), COUNTEREXAMPLES)
def test_counterexample(name, text):
    m = regex.compile(RULES[name].pattern).search(fold(text))
    assert m is None, f"meta.{name} should find nothing in {text!r}: {m.group()!r}"


def test_every_pattern_has_examples_and_counterexamples():
    assert {"title_agency_first", "title_year_first", "signature", "opening_agency", "period"} <= set(RULES)
    assert all(rule.examples and rule.counterexamples for rule in RULES.values())


# --- validation -----------------------------------------------------------------------------


def _load_changed(monkeypatch, change: dict) -> None:
    """Load rules/meta.toml with one change to its period rule."""
    data = copy.deepcopy(read_toml("meta"))
    data["period"].update(change)
    monkeypatch.setattr(rules, "read_toml", lambda name: data)
    load("meta", MetaRules)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param({"pattern": "(unclosed"}, "bad pattern", id="bad-regex"),
        pytest.param({"pattern": "{nosuchblock}"}, "unknown block", id="unknown-block"),
        pytest.param({"examples": []}, "at least one example", id="no-example"),
        pytest.param({"counterexamples": []}, "at least one example and one counterexample", id="no-counterexample"),
        pytest.param({"examples": [{"text": "统计期限为2023年", "nosuch": "x"}]}, "groups the pattern lacks", id="unknown-group"),
        pytest.param({"examples": [{"y1": "2023"}]}, "has no text", id="no-text"),
        pytest.param({"colour": "red"}, "Extra inputs", id="unknown-field"),
    ],
)
def test_bad_meta_rule_names_file_rule_and_reason(monkeypatch, change, reason):
    with pytest.raises(RuleError) as err:
        _load_changed(monkeypatch, change)
    message = str(err.value)
    assert "rules/meta.toml" in message and "period" in message and reason in message


# --- the cues that recover a section whose heading is lost (rules/sections.toml) --------------

CUES = section_rules().recover
CUE_EXAMPLES = [
    pytest.param(cue.cue, text, id=f"sections.recover.{cue.kind}[{i}]")
    for cue in CUES for i, text in enumerate(cue.examples)
]
CUE_COUNTEREXAMPLES = [
    pytest.param(cue.cue, text, id=f"sections.recover.{cue.kind}[{i}]")
    for cue in CUES for i, text in enumerate(cue.counterexamples)
]


@pytest.mark.parametrize(("cue", "text"), CUE_EXAMPLES)
def test_recover_cue_example(cue, text):
    assert regex.compile(cue).search(fold(text)), f"{cue!r} finds nothing in {text!r}"


@pytest.mark.parametrize(("cue", "text"), CUE_COUNTEREXAMPLES)
def test_recover_cue_counterexample(cue, text):
    assert regex.compile(cue).search(fold(text)) is None, f"{cue!r} should find nothing in {text!r}"
