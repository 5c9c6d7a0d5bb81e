"""The layout bench: every gold table of the corpus, printed in every layout of
tests/render_tables.py, must read back to its gold cells (issue 11).

Covered: the 2019/2021 tables 2–4 of every gold in 8 layouts (``LAYOUTS``), and the pre-2019
统计表 of every gold (seed 003's national one-column table, the six 平潭 Fujian tables with 本年 and
历年累计) in 9 layouts (``STAT_LAYOUTS``: tab grid, plain text a row per line, one-line crawler
text, run-together crawler text, unit glued to the value, web text a cell per line, markdown,
DOCX dump, an HTML file read by gongkai's reader). Where a layout loses information a cell may stay None, never take a wrong
number, and then a finding names it: a blank cell printed as nothing leaves a Fujian row with
one number for two columns (平潭 2013's 政府公报公开: ``cell_ambiguous``), and run-together
digits with more than one split that keeps the identities stay None (``cell_ambiguous``).
"""

import json

import pytest

import gongkai
from conftest import CORPUS
from render_tables import (LAYOUTS, STAT_LAYOUTS, cell_per_line, docx_dump, render, render_statistics, spaces,
                           stat_html)

# Layouts that print nothing for a blank cell: a row with one loses its place. Such a row's
# cells may stay None when a finding names them (the information is truly lost); every other
# cell must read back exactly, and no cell may ever take a wrong number.
LOSES_BLANKS = {spaces, cell_per_line, docx_dump}

GOLDS = [g for g in sorted((CORPUS / "gold").glob("*.json"))
         if json.loads(g.read_text(encoding="utf-8"))["meta"]["template"] in ("2021", "2019")]


def _gold(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _table_values(report) -> dict:
    return {k: v for k, v in report.values().items() if not k.startswith("narrative.")}


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_gold_tables_read_back_in_every_layout(gold_path, layout):
    gold = _gold(gold_path)
    report = gongkai.parse_text(render(gold, layout))
    assert report.meta.template == gold["meta"]["template"]
    got = _table_values(report)
    wrong = {k: (v, got.get(k, "<missing>")) for k, v in gold["values"].items() if got.get(k, "<missing>") != v}
    if layout in LOSES_BLANKS:
        named = {k for f in report.findings for k in f.keys}
        lossy_rows = {k.rsplit(".", 1)[0] for k, v in gold["values"].items() if v is None}
        wrong = {k: w for k, w in wrong.items()
                 if not (w[1] in (None, "<missing>") and k in named and k.rsplit(".", 1)[0] in lossy_rows)}
    extra = sorted(set(got) - set(gold["values"]))
    assert not wrong and not extra, f"{len(wrong)} cells differ: {dict(list(wrong.items())[:8])}; extra {extra[:5]}"
    for table in report.tables:
        for cell in table.cells:
            assert cell.span is None or report.text[cell.span.start : cell.span.end] == cell.raw


STAT_GOLDS = [g for g in sorted((CORPUS / "gold").glob("*.json"))
              if json.loads(g.read_text(encoding="utf-8"))["meta"]["template"] == "pre2019"]


@pytest.mark.parametrize("layout", STAT_LAYOUTS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("gold_path", STAT_GOLDS, ids=lambda p: p.stem)
def test_pre2019_gold_tables_read_back_in_every_layout(gold_path, layout, tmp_path):
    gold = _gold(gold_path)
    text = render_statistics(gold, layout)
    if layout is stat_html:
        path = tmp_path / "report.html"
        path.write_text(text, encoding="utf-8")
        report = gongkai.parse(path)
    else:
        report = gongkai.parse_text(text)
    assert report.meta.template == "pre2019"
    got = {k: v for k, v in report.values().items() if k.startswith("legacy.")}
    expected = {k: v for k, v in gold["values"].items() if k.startswith("legacy.")}
    named = {k for f in report.findings for k in f.keys}
    # a cell may be None only where a finding names it (the layout lost which reading it is)
    wrong = {k: (v, got.get(k, "<missing>")) for k, v in expected.items()
             if got.get(k, "<missing>") != v and not (got.get(k) is None and k in got and k in named)}
    extra = sorted(set(got) - set(expected))
    assert not wrong and not extra, f"{len(wrong)} cells differ: {dict(list(wrong.items())[:8])}; extra {extra[:5]}"
    lost = {k for k, v in expected.items() if v is not None and got[k] is None}
    if layout.__name__ in ("stat_tabs", "stat_cell_per_line", "stat_markdown", "stat_docx_dump", "stat_html"):
        assert not lost  # grids print every cell, blanks too: nothing is lost
    for table in report.tables:
        for cell in table.cells:
            assert cell.span is None or report.text[cell.span.start : cell.span.end] == cell.raw
