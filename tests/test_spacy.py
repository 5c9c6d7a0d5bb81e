"""Issue 14: gongkai as a spaCy component, as a user meets it — `spacy.blank("zh")`, `add_pipe`,
displaCy — and its facts as a DocBin of training data. No model is downloaded."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from importlib import import_module

import pytest

import gongkai

from conftest import ROOT, SEEDS

spacy = pytest.importorskip("spacy", reason="the [spacy] extra is not installed (it is part of [test])")


def test_the_entry_point_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["entry-points"]["spacy_factories"] == {"gongkai": "gongkai.spacy:make_component"}


def test_add_pipe_finds_gongkai_through_the_entry_point(tmp_path):
    """A fresh interpreter that never imports gongkai: spaCy finds the factory by its entry point.

    An installed gongkai brings the entry point; a checkout used in place (an editable install of
    another tree, say) gets the same entry point from a dist-info written here."""
    from importlib.metadata import entry_points

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if not any(ep.value == "gongkai.spacy:make_component" for ep in entry_points(group="spacy_factories")):
        info = tmp_path / "gongkai_entry_point-0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gongkai-entry-point\nVersion: 0\n")
        (info / "entry_points.txt").write_text("[spacy_factories]\ngongkai = gongkai.spacy:make_component\n")
        env["PYTHONPATH"] += os.pathsep + str(tmp_path)
    code = ("import sys, spacy; nlp = spacy.blank('zh'); nlp.add_pipe('gongkai'); "
            f"doc = nlp(open({str(SEEDS[0])!r}, encoding='utf-8').read()); "
            "print(doc._.gongkai.meta.agency, len(doc.spans['gongkai']) > 100, 'jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["济宁市投资促进局", "True", "False"]  # blank zh: characters, no jieba


@pytest.fixture(scope="module")
def nlp():
    import_module("gongkai.spacy")  # what the entry point does on add_pipe

    pipeline = spacy.blank("zh")
    pipeline.add_pipe("gongkai")
    return pipeline


def test_the_doc_carries_the_report_and_its_spans(nlp):
    text = SEEDS[0].read_text(encoding="utf-8")
    doc = nlp(text)
    report = doc._.gongkai
    assert report.meta.year == 2023
    spans = {(s.start_char, s.end_char, s.label_) for s in doc.spans["gongkai"]}
    for fact in report.facts:
        assert (fact.span.start, fact.span.end, fact.key) in spans
    cell = report.table("applications").cell("applications.new.total")
    assert (cell.span.start, cell.span.end, "applications.new.total") in spans
    assert all(doc.text[a:b] == text[a:b] for a, b, _ in spans)


def test_displacy_renders_the_spans_with_their_keys(nlp):
    from spacy import displacy

    doc = nlp(SEEDS[0].read_text(encoding="utf-8"))
    html = displacy.render(doc, style="span", options={"spans_key": "gongkai"}, jupyter=False)
    assert "narrative.proactive.total" in html and "applications.new.total" in html


def test_to_spacy_is_the_same_doc_without_parsing_again(nlp):
    report = gongkai.parse(SEEDS[0])
    doc = report.to_spacy()
    assert doc._.gongkai is report
    piped = nlp(report.text)
    assert [(s.start_char, s.end_char, s.label_) for s in doc.spans["gongkai"]] == \
        [(s.start_char, s.end_char, s.label_) for s in piped.spans["gongkai"]]


def test_a_docbin_of_facts_trains_a_span_categorizer(tmp_path):
    from gongkai.spacy import docbin
    from spacy.tokens import DocBin

    reports = [gongkai.parse(p) for p in SEEDS]
    path = tmp_path / "train.spacy"
    docbin(reports).to_disk(path)
    docs = list(DocBin().from_disk(path).get_docs(spacy.blank("zh").vocab))
    assert len(docs) == len(reports)
    for doc, report in zip(docs, reports):
        assert sorted((s.start_char, s.label_) for s in doc.spans["sc"]) == sorted((f.span.start, f.key) for f in report.facts)
        assert {e.label_ for e in doc.ents} <= {f.key for f in report.facts}
    # what `spacy train` makes of each Doc: an Example whose reference spans are the facts
    from spacy.training import Example

    nlp = spacy.blank("zh")
    example = Example(nlp.make_doc(docs[0].text), docs[0])
    assert [s.label_ for s in example.reference.spans["sc"]] == [f.key for f in reports[0].facts]
    assert example.get_aligned_spans_x2y(example.reference.ents)[0].label_ == reports[0].facts[0].key
