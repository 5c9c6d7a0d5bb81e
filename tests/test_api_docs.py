"""Issue 14: the API reference is generated from the docstrings; every public class, function and
method has one with an example, and every example runs (one test case each)."""

from __future__ import annotations

import doctest
import inspect
from importlib import import_module

import pytest

import gongkai
from gongkai.apidoc import markdown, objects

from conftest import ROOT, SHARED

API_MD = ROOT / "docs" / "api.md"
pytest.importorskip("spacy", reason="gongkai.spacy is part of the reference")
DOCUMENTED = dict(objects())


def test_api_md_is_generated_from_the_docstrings():
    assert API_MD.read_text(encoding="utf-8") == markdown(), "run: python -m gongkai.apidoc > docs/api.md"


def test_the_reference_covers_the_public_api():
    assert {f"gongkai.{n}" for n in gongkai.__all__ if n != "__version__"} <= set(DOCUMENTED)
    assert {"gongkai.Report.to_html", "gongkai.Report.page_image", "gongkai.Report.to_spacy",
            "gongkai.spacy.make_component", "gongkai.spacy.docbin"} <= set(DOCUMENTED)


@pytest.mark.parametrize("name", list(DOCUMENTED))
def test_documented_with_a_running_example(name, monkeypatch):
    value = DOCUMENTED[name]
    doc = inspect.getdoc(value) or ""
    assert ">>>" in doc, f"{name} has no example in its docstring"
    if "../shared/" in doc and not SHARED.exists():
        pytest.skip(f"{SHARED} is absent (the example reads a shared PDF)")
    target = value.func if hasattr(value, "func") else value.fget if isinstance(value, property) else value
    globs = dict(vars(import_module(target.__module__)), gongkai=gongkai)
    monkeypatch.chdir(ROOT)
    test = doctest.DocTestParser().get_doctest(doc, globs, name, None, 0)
    output: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test, out=output.append)
    assert runner.failures == 0, "".join(output)
