"""Issue 14: every fact, cell and finding read from a PDF carries its page, every table cell its
box on that page, and `gongkai show` draws them on the rendered page."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from PIL import Image

import gongkai
from gongkai.cli import main
from gongkai.pages import CELL, FACT, FAILING

from browser import SCREENSHOTS
from conftest import SEEDS, parsed_shared, shared

PDFS = ["pdf/huaian-hongze-2023.pdf", "pdf/huaian-hongze-2024.pdf", "pdf/huaian-shi-2024.pdf"]


@pytest.fixture(scope="module", params=PDFS, ids=lambda p: p.split("/")[-1])
def report(request):
    return parsed_shared(request.param)


def test_every_fact_cell_and_finding_has_its_page(report):
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(report.source) as pdf:
        words = ["".join(p.extract_text().split()) for p in pdf.pages]
    for fact in report.facts:
        assert fact.page == report.page_of(fact.span.start)
        assert "".join(fact.surface.split()) in words[fact.page - 1], f"{fact.key} is not on page {fact.page}"
    for finding in report.findings:
        assert finding.page == report.page_of(finding.spans[0].start)
    cells = [c for t in report.tables for c in t.cells if c.span is not None]
    assert cells and all(c.page is not None and c.box is not None and c.box.page == c.page for c in cells)


def test_a_cell_box_holds_the_cell_as_printed(report):
    """pdfplumber, cropped to a cell's box, reads the cell's own text there: the box is the cell."""
    pdfplumber = pytest.importorskip("pdfplumber")
    cells = [c for t in report.tables for c in t.cells if c.box is not None]
    with pdfplumber.open(report.source) as pdf:
        for cell in cells:
            page = pdf.pages[cell.box.page - 1]
            inside = page.crop((cell.box.x0, cell.box.top, cell.box.x1, cell.box.bottom), strict=False)
            assert "".join(inside.extract_text().split()) == "".join(cell.raw.split()), cell.key


def test_text_reports_have_no_pages():
    r = gongkai.parse(SEEDS[0])
    assert r.page_starts == () and all(f.page is None for f in r.facts)
    with pytest.raises(gongkai.GongkaiError, match="page images need a report parsed from a PDF"):
        r.page_image(1)


def _pixels(image, rect, scale):
    x0, top, x1, bottom = (round(v * scale) for v in rect)
    edge = [(x, top) for x in range(x0, x1)] + [(x0, y) for y in range(top, bottom)]
    return [image.getpixel(p) for p in edge]


def _mostly(pixels, colour):
    return sum(p == colour for p in pixels) > 0.6 * len(pixels)


def test_show_outlines_cells_facts_and_failing_cells():
    """The page image a user opens: failing cells of table 4 in red, the other cells in blue."""
    path = shared("pdf/huaian-hongze-2023.pdf")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = SCREENSHOTS / "page-4-outlined.png"
    result = CliRunner().invoke(main, ["show", str(path), "--page", "4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    image = Image.open(out).convert("RGB")
    r = parsed_shared("pdf/huaian-hongze-2023.pdf")
    assert image.size == (1190, 1684)  # A4 at scale 2
    review = r.table("review")
    failing = review.cell("review.total").box
    fine = review.cell("litigation.direct.total").box
    assert _mostly(_pixels(image, (failing.x0, failing.top, failing.x1, failing.bottom), 2), FAILING)
    assert _mostly(_pixels(image, (fine.x0, fine.top, fine.x1, fine.bottom), 2), CELL)


def test_page_image_outlines_facts_in_green():
    r = parsed_shared("pdf/huaian-hongze-2024.pdf")
    image = r.page_image(1)
    image.save(SCREENSHOTS / "page-1-facts.png")
    from gongkai.pages import _padded, glyphs, span_rects
    import pypdfium2

    pdf = pypdfium2.PdfDocument(r.source)
    located = glyphs(pdf, r.text, r.page_starts, 1)
    pdf.close()
    fact = next(f for f in r.facts if f.key == "narrative.proactive.total")
    named = next(f for f in r.facts if f.key == "narrative.applications.received")  # the mismatch names it
    assert _mostly(_pixels(image, _padded(span_rects(located, fact.span)[0]), 2), FACT)
    assert _mostly(_pixels(image, _padded(span_rects(located, named.span)[0]), 2), FAILING)


def test_a_page_past_the_end_is_refused():
    with pytest.raises(gongkai.GongkaiError, match="no page 9; the PDF has 5 pages"):
        parsed_shared("pdf/huaian-hongze-2023.pdf").page_image(9)


def test_cell_boxes_reuse_the_ruled_cells_the_reader_found(monkeypatch):
    """read_pdf already ran pdfplumber over every page with drawn lines; the cell boxes take its
    ruled cells instead of parsing those pages a second time (about 1 s a report), and come out
    the same as when the pages are parsed again."""
    import dataclasses

    import pdfplumber

    from gongkai import pages

    path = shared(PDFS[0])
    doc = gongkai.read(path)
    tables = gongkai.build(doc).tables
    assert set(doc.ruled) == set(range(1, len(doc.page_starts) + 1))  # every page: looked at, or no lines
    reread = pages.cell_boxes(dataclasses.replace(doc, ruled={}), tables)

    def refuse(*args, **kwargs):
        raise AssertionError("pdfplumber opened the PDF again")

    monkeypatch.setattr(pdfplumber, "open", refuse)
    shared_boxes = pages.cell_boxes(doc, tables)
    boxes = [c.box for t in shared_boxes for c in t.cells]
    assert boxes == [c.box for t in reread for c in t.cells]
    assert sum(b is not None for b in boxes) == 186
