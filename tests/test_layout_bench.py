"""The layout bench: every gold table of the corpus, printed in every layout of
tests/render_tables.py, must read back to its gold cells (issue 11)."""

import json

import pytest

import gongkai
from conftest import CORPUS
from render_tables import LAYOUTS, cell_per_line, docx_dump, render, spaces

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
