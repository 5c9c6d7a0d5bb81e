"""docs/checks.md documents every finding code, and every code raised in gongkai/ is declared.

After pydantic's ``tests/test_docs.py::test_error_codes``: the set of codes in
rules/findings.toml equals the set of ``## `` sections of docs/checks.md, and every
``finding("code", …)`` call in gongkai/**/*.py names a declared code. Every declared code has
an example in rules/check_examples.toml that raises it (one test case per code), and
docs/checks.md is what gongkai.checks_doc generates from those examples, so its messages are
gongkai's own.
"""

import re
from pathlib import Path

import pytest

import gongkai
from gongkai.checks_doc import examples, run
from gongkai.rules import finding_rules

from conftest import ROOT

CHECKS_MD = ROOT / "docs" / "checks.md"
PACKAGE = Path(gongkai.__file__).parent


def _documented() -> set[str]:
    return set(re.findall(r"^## (\S+)\s*$", CHECKS_MD.read_text(encoding="utf-8"), re.M))


def _raised() -> set[str]:
    calls = re.compile(r"""finding\(\s*["']([a-z0-9_]+)["']""")
    found = set()
    for path in PACKAGE.rglob("*.py"):
        found |= set(calls.findall(path.read_text(encoding="utf-8")))
    # codes passed through a rule file field (e.g. legacy_subsets.code) are raised too
    found |= set(re.findall(r'^code = "([a-z0-9_]+)"', (PACKAGE / "rules" / "reconcile.toml").read_text("utf-8"), re.M))
    return found


def test_every_code_has_a_section_and_every_section_a_code():
    declared = set(finding_rules().codes)
    documented = _documented()
    assert declared - documented == set(), "codes in findings.toml without a ## section in docs/checks.md"
    assert documented - declared == set(), "## sections in docs/checks.md that are not codes in findings.toml"


def test_every_raised_code_is_declared():
    raised = _raised()
    assert raised, "no finding(...) calls found: the pattern is stale"
    assert raised - set(finding_rules().codes) == set()


def test_every_code_has_an_example_and_every_example_a_code():
    declared, exemplified = set(finding_rules().codes), set(examples())
    assert declared - exemplified == set(), "codes in findings.toml without an example in rules/check_examples.toml"
    assert exemplified - declared == set(), "examples in rules/check_examples.toml for codes not in findings.toml"


@pytest.mark.parametrize("code", list(finding_rules().codes))
def test_example_raises_its_code(code):
    example = examples().get(code)
    assert example is not None, f"{code}: no example in rules/check_examples.toml"
    _, found = run(example)
    assert found, f"{code}: its example in rules/check_examples.toml raises no {code} finding"
    assert all(f.severity == finding_rules().codes[code].severity for f in found)


def test_checks_page_is_current():
    from gongkai.checks_doc import markdown

    assert CHECKS_MD.read_text(encoding="utf-8") == markdown(), (
        "docs/checks.md is stale: python -m gongkai.checks_doc > docs/checks.md")


def test_fields_page_is_current():
    from gongkai.fields import markdown

    assert (ROOT / "docs" / "fields.md").read_text(encoding="utf-8") == markdown(), (
        "docs/fields.md is stale: python -m gongkai.fields > docs/fields.md")


def test_every_gold_key_is_in_the_catalogue():
    import json

    from gongkai.fields import catalogue

    known = {f.key for f in catalogue()}
    for path in (ROOT / "corpus" / "gold").glob("*.json"):
        gold = json.loads(path.read_text(encoding="utf-8"))
        keys = set(gold.get("values", {})) | {key for key, _ in gold.get("facts", [])}
        unknown = {k.removesuffix(".cumulative") for k in keys} - known
        assert not unknown, f"{path.name}: keys missing from gongkai.fields: {sorted(unknown)}"


def test_readme_example_values():
    """The values quoted in README.md's example are what parse gives."""
    from conftest import shared

    r = gongkai.parse(shared("pdf/huaian-hongze-2023.pdf"))
    assert (r.meta.agency, r.meta.year, r.meta.template) == ("洪泽区人民政府", 2023, "2021")
    assert r.value("applications.new.total") == 21
    cell = next(c for c in r.table("review").cells if c.key == "review.total")
    assert (cell.raw, cell.page, r.text[cell.span.start : cell.span.end]) == ("0", 4, "0")
    assert r.findings[0].message == "行政复议：维持10+纠正1+其他0+尚未审结0=11 ≠ 总计0"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "('洪泽区人民政府', 2023, '2021')" in readme and r.findings[0].message in readme


def test_readme_accuracy_table_is_current():
    """The accuracy README.md quotes is what `gongkai eval corpus/` measures now."""
    from conftest import SHARED
    from gongkai.corpus import evaluate

    if not SHARED.exists():
        import pytest

        pytest.skip("../shared is absent: the README figures cover it")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for group, (ok, n) in evaluate(ROOT / "corpus").accuracy().items():
        assert re.search(rf"\| {group}\s*\| {ok} / {n}\s*\|", readme), f"README quotes a stale figure for {group}"
