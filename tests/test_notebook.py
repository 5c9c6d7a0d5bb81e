"""Issue 14: docs/quickstart.ipynb, executed as Jupyter would, and its rich outputs checked.

The code cells run in order in one namespace, from docs/, and the value of each cell's last
expression is turned into the output bundle the way IPython's display formatter does it
(``_repr_html_`` → text/html, ``_repr_png_`` → image/png, ``repr`` → text/plain). This checks
what a notebook user sees without a kernel: nbclient + ipykernel would add ~106 MB and ~23 s to
the test install and ~3 s a run, to exercise Jupyter's plumbing rather than gongkai. The
executed notebook, outputs included, is written to build/quickstart.ipynb for people to open.
"""

from __future__ import annotations

import ast
import base64
import io
import json
import os

import pytest
from PIL import Image

from conftest import ROOT, shared

NOTEBOOK = ROOT / "docs" / "quickstart.ipynb"


def _bundle(value) -> dict[str, str]:
    out = {"text/plain": repr(value)}
    for method, mime in (("_repr_html_", "text/html"), ("_repr_png_", "image/png")):
        rendered = getattr(value, method, lambda: None)()
        if rendered is not None:
            out[mime] = base64.b64encode(rendered).decode() if isinstance(rendered, bytes) else rendered
    return out


def _execute(source: str, namespace: dict) -> dict[str, str] | None:
    """Run a cell; the display bundle of its last expression, if it ends with one."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    if last is None:
        return None
    value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
    return None if value is None else _bundle(value)


@pytest.fixture(scope="module")
def outputs():
    shared("pdf/huaian-hongze-2023.pdf")
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    namespace: dict = {}
    results = []
    here = os.getcwd()
    os.chdir(NOTEBOOK.parent)
    try:
        for n, cell in enumerate(c for c in notebook["cells"] if c["cell_type"] == "code"):
            bundle = _execute("".join(cell["source"]), namespace)
            cell["execution_count"] = n + 1
            cell["outputs"] = [] if bundle is None else [
                {"output_type": "execute_result", "execution_count": n + 1, "metadata": {}, "data": bundle}]
            results.append(bundle)
    finally:
        os.chdir(here)
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "quickstart.ipynb").write_text(json.dumps(notebook, ensure_ascii=False, indent=1), encoding="utf-8")
    return results


def test_the_report_shows_its_summary_and_findings(outputs):
    html = outputs[0]["text/html"]
    assert "洪泽区人民政府 2023" in html and "主要数据" in html
    assert "维持10+纠正1+其他0+尚未审结0=11 ≠ 总计0" in html and "<mark>10</mark>" in html
    assert "\n" not in outputs[0]["text/plain"]


def test_the_table_is_a_grid_with_marked_cells(outputs):
    html = outputs[1]["text/html"]
    assert html.count("<td class=\"gk-cell gk-broken\"") == 10 and 'title="review.total · p.4"' in html


def test_a_finding_and_a_fact_show_their_source(outputs):
    assert "table4_review_total" in outputs[2]["text/html"]
    assert "<mark>主动公开政府信息 1136 条</mark>" in outputs[3]["text/html"]


def test_a_cell_has_its_page_and_box(outputs):
    assert outputs[4]["text/plain"].startswith("(4, Box(page=4, x0=")


def test_the_page_image_shows_outlines(outputs):
    image = Image.open(io.BytesIO(base64.b64decode(outputs[5]["image/png"]))).convert("RGB")
    assert image.size == (595, 842)
    data = image.tobytes()
    red = sum(data[i : i + 3] == bytes((209, 36, 47)) for i in range(0, len(data), 3))
    assert red > 500  # the ten failing cells of table 4


def test_the_check_page_and_spacy(outputs):
    assert outputs[6]["text/plain"] == "(True, False)"
    assert outputs[7]["text/plain"].startswith("['applications.")  # the spans of the Doc, by key
