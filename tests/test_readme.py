"""README.md's Python example is a doctest: every output it shows is what gongkai gives.

It reads real PDFs under ../shared; the test skips only when one of them is absent, and
otherwise fails on any example that fails or when the README has no example left to run.
"""

import doctest
import re

import pytest

from conftest import ROOT

README = ROOT / "README.md"


def test_readme_example_is_a_passing_doctest(monkeypatch):
    text = README.read_text(encoding="utf-8")
    examples = doctest.DocTestParser().get_examples(text)
    reports = re.findall(r'"(\.\./shared/[^"]+)"', text)
    assert examples and reports, "README.md's example is no longer a >>> doctest on real reports"
    missing = [p for p in reports if not (ROOT / p).exists()]
    if missing:
        pytest.skip(f"{', '.join(missing)} absent (../shared is not beside this checkout)")
    monkeypatch.chdir(ROOT)  # the example's paths are relative to the checkout
    failed, attempted = doctest.testfile(str(README), module_relative=False, encoding="utf-8")
    assert (failed, attempted) == (0, len(examples)), "README.md example output differs; see captured stdout"
