"""pages: where the text of a PDF report is drawn — boxes for cells and facts, the page as a picture.

The Document's text of a page comes from pypdfium2 (lines re-sorted) or from pdfplumber's grid
of a ruled table, so it is not pdfium's character stream one to one. Both hold the same glyphs
in nearly the same order, so the page's visible characters are aligned to pdfium's with
difflib (a few ms a page; the unmatched are page footers that moved) and every aligned
offset takes the box pdfium gives its glyph. A table cell's box is then the ruled cell
pdfplumber finds around its glyphs, or the glyphs themselves in a table without rules.

Coordinates are points from the top-left corner of the page, as pdfplumber gives them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import TYPE_CHECKING, Any

from .errors import FileNotReadableError, GongkaiError
from .models import Box, Cell, Report, Span, Table
from .read import Document, fold
from .read_pdf import PDFIUM_LOCK, Rect, _import, _open, ruled_cells

if TYPE_CHECKING:
    from PIL.Image import Image


# Outline colours of the page image (RGB) and line widths in pixels at scale 1.
CELL = (31, 111, 235)
FACT = (26, 127, 55)
FAILING = (209, 36, 47)
_WIDTH = {CELL: 1.0, FACT: 1.5, FAILING: 2.5}
_PAD = 1.0  # points around a glyph box, so an outline does not cover the glyph


def glyphs(pdf: Any, text: str, page_starts: tuple[int, ...], page: int) -> dict[int, Rect]:
    """Offsets of ``text`` on 1-based ``page`` → the box of the glyph drawn for them."""
    start = page_starts[page - 1]
    end = page_starts[page] - 1 if page < len(page_starts) else len(text)
    ours = [i for i in range(start, end) if not text[i].isspace()]
    pdf_page = pdf[page - 1]
    textpage = pdf_page.get_textpage()
    try:
        stream = textpage.get_text_range()
        theirs = [i for i, ch in enumerate(stream) if not ch.isspace()]
        matcher = difflib.SequenceMatcher(
            None, fold("".join(text[i] for i in ours)), fold("".join(stream[i] for i in theirs)), autojunk=False
        )
        height = pdf_page.get_height()
        out: dict[int, Rect] = {}
        for a, b, size in matcher.get_matching_blocks():
            for k in range(size):
                left, bottom, right, top = textpage.get_charbox(theirs[b + k])
                out[ours[a + k]] = (left, height - top, right, height - bottom)
        return out
    finally:  # closed here, under the caller's lock: no PDFium finalizer runs later on another thread
        textpage.close()
        pdf_page.close()


def _union(rects: Iterable[Rect]) -> Rect | None:
    rects = list(rects)
    if not rects:
        return None
    return min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects)


def span_rects(located: dict[int, Rect], span: Span) -> list[Rect]:
    """A span's glyphs as one rectangle per printed line (a fact may run over a line break)."""
    lines: list[list[Rect]] = []
    for offset in range(span.start, span.end):
        rect = located.get(offset)
        if rect is None:
            continue
        if lines and rect[1] < lines[-1][-1][3] and rect[3] > lines[-1][-1][1]:  # overlaps vertically
            lines[-1].append(rect)
        else:
            lines.append([rect])
    return [r for r in map(_union, lines) if r is not None]


def _padded(rect: Rect) -> Rect:
    return rect[0] - _PAD, rect[1] - _PAD, rect[2] + _PAD, rect[3] + _PAD


def _ruled_cell(rect: Rect, ruled: Sequence[Rect]) -> Rect:
    """The smallest ruled cell around the middle of ``rect``; the padded glyphs when none is."""
    x, y = (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2
    around = [r for r in ruled if r[0] <= x <= r[2] and r[1] <= y <= r[3]]
    if not around:
        return _padded(rect)
    return min(around, key=lambda r: (r[2] - r[0]) * (r[3] - r[1]))


def cell_boxes(doc: Document, tables: tuple[Table, ...]) -> tuple[Table, ...]:
    """The tables with every cell that was read from a PDF page given its box on that page."""
    pages = sorted({c.page for t in tables for c in t.cells if c.page is not None and c.span is not None})
    if doc.data is None or not pages:
        return tables
    pdfium, pdfplumber = _import("pypdfium2"), _import("pdfplumber")
    with PDFIUM_LOCK:  # PDFium is not thread-safe (read_pdf)
        pdf = _open(pdfium, doc.data, doc.source or "input")
        try:
            located = {p: glyphs(pdf, doc.text, doc.page_starts, p) for p in pages}
        finally:
            pdf.close()
    ruled = {p: doc.ruled[p] for p in pages if p in doc.ruled}  # what read_pdf already found
    unread = [p for p in pages if p not in ruled]
    try:
        if unread:
            with pdfplumber.open(BytesIO(doc.data), pages=unread) as plumbed:
                ruled |= {p: ruled_cells(page.find_tables()) for p, page in zip(unread, plumbed.pages)}
    except Exception:  # noqa: BLE001 - pdfminer raises many types on odd files; glyph boxes remain
        ruled |= {p: () for p in unread if p not in ruled}
    return tuple(_boxed(t, located, ruled) for t in tables)


def _boxed(table: Table, located: dict[int, dict[int, Rect]], ruled: dict[int, tuple[Rect, ...]]) -> Table:
    cells = tuple(_cell_with_box(c, located, ruled) for c in table.cells)
    return table.model_copy(update={"cells": cells})


def _cell_with_box(cell: Cell, located: dict[int, dict[int, Rect]], ruled: dict[int, tuple[Rect, ...]]) -> Cell:
    if cell.page is None or cell.span is None:
        return cell
    glyph = _union(span_rects(located[cell.page], cell.span))
    if glyph is None:
        return cell
    x0, top, x1, bottom = _ruled_cell(glyph, ruled[cell.page])
    return cell.model_copy(update={"box": Box(page=cell.page, x0=x0, top=top, x1=x1, bottom=bottom)})


def failing_keys(report: Report) -> set[str]:
    """Keys named by an error or a warning: the cells a checker should look at first."""
    return {k for f in report.findings if f.severity != "info" for k in f.keys}


def outlines(report: Report, pdf: Any, page: int) -> list[tuple[Rect, tuple[int, int, int]]]:
    """What to draw on ``page``: every cell (blue), every fact (green), and in red, drawn last,
    the cells and facts a finding names."""
    failing = failing_keys(report)
    drawn: list[tuple[Rect, tuple[int, int, int], bool]] = [
        ((c.box.x0, c.box.top, c.box.x1, c.box.bottom), CELL, c.key in failing)
        for t in report.tables for c in t.cells if c.box is not None and c.box.page == page
    ]
    facts = [f for f in report.facts if f.page == page]
    if facts:
        located = glyphs(pdf, report.text, report.page_starts, page)
        drawn += [(_padded(r), FACT, f.key in failing) for f in facts for r in span_rects(located, f.span)]
    return [(r, colour) for r, colour, bad in drawn if not bad] + [(r, FAILING) for r, _, bad in drawn if bad]


def render(report: Report, page: int, scale: float = 2.0) -> Image:
    """PDF page ``page`` of the report, rendered at ``scale`` × 72 dpi, with its outlines drawn."""
    if report.format != "pdf" or not report.source:
        raise GongkaiError(f"{report.source or 'this report'}: page images need a report parsed from a PDF file")
    if not 1 <= page <= len(report.page_starts):
        raise GongkaiError(f"{report.source}: no page {page}; the PDF has {len(report.page_starts)} pages")
    try:
        data = open(report.source, "rb").read()
    except OSError as exc:
        raise FileNotReadableError(f"{report.source}: cannot read the PDF again ({exc.strerror})") from exc
    pdfium = _import("pypdfium2")
    draw_module = _import("PIL.ImageDraw")
    with PDFIUM_LOCK:  # PDFium is not thread-safe (read_pdf)
        pdf = _open(pdfium, data, report.source)
        try:
            image = pdf[page - 1].render(scale=scale).to_pil().convert("RGB")
            draw = draw_module.Draw(image)
            for rect, colour in outlines(report, pdf, page):
                width = max(1, round(_WIDTH[colour] * scale))
                draw.rectangle([v * scale for v in rect], outline=colour, width=width)
        finally:
            pdf.close()
    return image
