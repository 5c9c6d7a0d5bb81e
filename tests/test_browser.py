"""Issue 14: the check page and the notebook views, opened in headless Chromium and checked for
what a person sees — the findings list, the cells of a failed identity marked, the facts
highlighted — in the rendered DOM and in a screenshot (kept under build/screenshots/)."""

from __future__ import annotations

from html import unescape
from importlib import import_module

import pytest
from click.testing import CliRunner

import gongkai
from gongkai.cli import main

from browser import SCREENSHOTS, chromium, measure, screenshot, share
from conftest import CORPUS, SEEDS, parsed_shared, shared

PINK = (255, 215, 213)  # a failing cell's background
RED = (209, 36, 47)  # its outline, and an error's badge
GREEN = (200, 245, 210)  # a highlighted fact


@pytest.fixture(scope="module")
def hongze_2023():
    return parsed_shared("pdf/huaian-hongze-2023.pdf")


def test_check_page_shows_findings_marked_cells_and_facts(hongze_2023, tmp_path):
    chromium()
    page = tmp_path / "check.html"
    result = CliRunner().invoke(main, ["check", str(shared("pdf/huaian-hongze-2023.pdf")), "--html", str(page)])
    assert result.exit_code == 1  # the report has errors; the page is written all the same
    seen = measure(page, ["ol.gk-findings > li", "td.gk-broken", ".gk-text mark.gk-fact", ".gk-text sup.gk-label"])
    found = seen["found"]

    findings = found["ol.gk-findings > li"]
    assert findings["visible"] and findings["count"] == len(hongze_2023.findings) == 2
    assert "维持10+纠正1+其他0+尚未审结0=11 ≠ 总计0" in findings["text"] and "p.4" in findings["text"]

    broken = found["td.gk-broken"]
    assert broken["count"] == 10  # the five cells of each failed row of table 4
    assert broken["text"].startswith("10") and broken["title"] == "review.upheld · p.4"

    fact = found[".gk-text mark.gk-fact"]
    first = hongze_2023.facts[0]
    assert fact["text"] == first.surface and first.key in fact["title"]
    assert found[".gk-text sup.gk-label"]["text"] == first.key

    shot = screenshot(page, "check-page.png", seen["height"])
    assert share(shot, broken, PINK) > 0.3 and share(shot, broken, RED) > 0.1, "the failing cell is not drawn red"
    assert share(shot, fact, GREEN) > 0.3, "the fact is not highlighted"
    assert share(shot, findings, RED) > 0.002, "the error badge is not drawn"
    _crop(shot, findings, "check-page-findings.png")
    _crop(shot, broken, "check-page-failing-cells.png", around=(600, 160))
    _crop(shot, fact, "check-page-fact.png", around=(700, 120))


def _crop(image, box, name, around=(0, 0)):
    """A readable piece of a long screenshot, for people looking at what the test saw."""
    x0, y0 = max(0, box["x"] - around[0]), max(0, box["y"] - around[1])
    x1, y1 = min(image.width, box["x"] + box["w"] + around[0]), min(image.height, box["y"] + box["h"] + around[1])
    image.crop((int(x0), int(y0), int(x1), int(y1))).save(SCREENSHOTS / name)


def test_notebook_views_in_chromium(hongze_2023, tmp_path):
    chromium()
    page = tmp_path / "notebook.html"
    body = hongze_2023._repr_html_() + hongze_2023.table("review")._repr_html_() + hongze_2023.facts[0]._repr_html_()
    page.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{body}</body></html>', encoding="utf-8")
    seen = measure(page, ["h2", "ol.gk-findings > li", "td.gk-broken", ".gk-quote mark"])
    found = seen["found"]
    assert found["h2"]["text"] == "洪泽区人民政府 2023"
    assert found["ol.gk-findings > li"]["count"] == 2
    assert found["td.gk-broken"]["count"] == 10
    shot = screenshot(page, "notebook-views.png", seen["height"])
    assert share(shot, found["td.gk-broken"], PINK) > 0.3
    assert share(shot, found[".gk-quote mark"], PINK) > 0.3  # the number the finding quotes


def test_corpus_pages_and_index(tmp_path):
    chromium()
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["corpus", "-j", "1", str(CORPUS), "--html", str(out)])
    assert result.exit_code == 0, result.output
    index = out / "index.html"
    seen = measure(index, ["table.gk-matrix", "table.gk-matrix th.gk-row", "table.gk-matrix a", "table.gk-reports"])
    matrix = seen["found"]["table.gk-matrix"]
    agencies = {gongkai.parse(p).meta.agency for p in SEEDS}
    assert seen["found"]["table.gk-matrix th.gk-row"]["count"] == len(agencies)
    for agency in agencies:
        assert agency in matrix["text"]
    assert {"2018", "2023", "2024"} <= set(matrix["text"].split())
    assert seen["found"]["table.gk-matrix a"]["count"] == len(SEEDS)
    pages = sorted(p.name for p in out.glob("0*.html"))
    assert len(pages) == len(SEEDS)
    html = index.read_text(encoding="utf-8")
    assert all(f'href="{name}"' in html for name in pages)
    screenshot(index, "corpus-index.png", seen["height"])


def test_displacy_shows_the_spans(tmp_path):
    """What `displacy.render(doc, style="span")` shows for a Doc the gongkai component made."""
    chromium()
    spacy = pytest.importorskip("spacy")
    from spacy import displacy

    import_module("gongkai.spacy")  # installed, its entry point does this (test_spacy checks that path)

    nlp = spacy.blank("zh")
    nlp.add_pipe("gongkai")
    text = SEEDS[0].read_text(encoding="utf-8")
    doc = nlp(text[: text.index("三、")])  # the narrative and table 2, short enough to look at
    html = displacy.render(doc, style="span", options={"spans_key": "gongkai"}, page=True)
    page = tmp_path / "displacy.html"
    page.write_text(html, encoding="utf-8")
    label = "span[style*='z-index: 10']"  # displaCy's label on the first token of a span
    seen = measure(page, [label])
    first = seen["found"][label]
    assert first["visible"] and first["count"] == len(doc.spans["gongkai"])
    assert unescape(first["text"]) == doc.spans["gongkai"][0].label_ == "narrative.proactive.total"
    screenshot(page, "displacy-spans.png", min(seen["height"], 3000))
