"""read_pdf: PDF bytes → Document (the ``[pdf]`` extra: pypdfium2, pdfplumber).

pypdfium2 gives the text of a page fast. Where a page carries a ruled table, pdfplumber reads
the table from its lines as a grid (cells of a ruled table beat any text heuristic: no glued
cells, no split numbers) and the page is composed in reading order: text above the table, the
table rows, text below. Many reports box their narrative too, so a one-column "table" is text,
and full-width rows at the top or bottom of a table (paragraphs in the same frame) are lines.

Pages are joined by a newline; ``Document.page_starts`` holds the offset where each begins.
"""

from __future__ import annotations

import threading
from io import BytesIO
from typing import Any

from .errors import CorruptFileError, EncryptedFileError, InputTooLargeError, MissingExtraError, NoTextLayerError
from .read import Document, cell_text, compose, refuse_oversized

MAX_PAGES = 1000  # an annual report runs to a few dozen pages; past this it is not one
# Text per page, on average, below which the PDF is a scan: a scan yields nothing, or only the
# page numbers a scanner or printer stamped on it.
MIN_TEXT_CHARS = 20
PDFIUM_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
LINE_TOLERANCE = 4.0  # points: lines whose middles are this close count as one row
# PDFium is not thread-safe (two threads inside it crash the process), so every call into it,
# from any thread, holds this one lock. pdfplumber reads tables with pdfminer, which is pure
# Python; it touches PDFium only to render images, which gongkai never asks of it.
PDFIUM_LOCK = threading.Lock()
Rect = tuple[float, float, float, float]  # x0, top, x1, bottom, in points from the top-left


def read(data: bytes, source: str) -> Document:
    """Decode a PDF; scanned, encrypted and broken files raise their own GongkaiError."""
    refuse_oversized(data, source)
    pdfium = _import("pypdfium2")
    with PDFIUM_LOCK:
        texts, ruled = _pdfium_pages(pdfium, data, source)
    if sum(len("".join(t.split())) for t in texts) < MIN_TEXT_CHARS * max(1, len(texts)):
        raise NoTextLayerError(
            f"{source}: the PDF has no text layer (a scan?); run OCR first, e.g. "
            "`ocrmypdf -l chi_sim FILE out.pdf`, and parse the result"
        )
    composed, cells = _pages_with_tables(data, ruled)
    for i, text in composed.items():
        texts[i] = text
    candidates = set(ruled)  # a page without drawn paths has no ruled cell
    known = {i + 1: () for i in range(len(texts)) if i not in candidates} | cells
    return _document(texts, source, data, known)


def _pdfium_pages(pdfium: Any, data: bytes, source: str) -> tuple[list[str], list[int]]:
    """Each page's text, and the indexes of the pages with drawn paths (candidates for a ruled
    table). Every PDFium object is closed here, so no finalizer calls PDFium later from another
    thread; a page PDFium cannot load makes the file corrupt, whatever the document said."""
    pdf = _open(pdfium, data, source)
    texts: list[str] = []
    ruled: list[int] = []
    try:
        count = len(pdf)
        if count > MAX_PAGES:
            raise InputTooLargeError(f"{source}: {count} pages is past the {MAX_PAGES} pages gongkai reads")
        for i in range(count):
            page = pdf[i]
            try:
                texts.append(_pdfium_text(page))
                if _has_lines(page):
                    ruled.append(i)
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise CorruptFileError(
            f"{source}: page {len(texts) + 1} of the PDF cannot be read ({exc}); re-download or re-export it"
        ) from exc
    finally:
        pdf.close()
    return texts, ruled


def _import(name: str) -> Any:
    try:
        from importlib import import_module

        return import_module(name)
    except ImportError as exc:
        raise MissingExtraError(f"reading PDF needs {name}: install gongkai[pdf]") from exc


def _open(pdfium: Any, data: bytes, source: str) -> Any:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == PDFIUM_PASSWORD_ERROR:
            raise EncryptedFileError(
                f"{source}: the PDF is password-protected; open it with the password and save an "
                "unprotected copy (e.g. `qpdf --password=PW --decrypt FILE out.pdf`)"
            ) from exc
        raise CorruptFileError(f"{source}: not a readable PDF ({exc}); re-download or re-export it") from exc


def _pdfium_text(page: Any) -> str:
    """The page's text lines, top to bottom.

    pdfium returns lines in content-stream order, where footers (page numbers) often come
    first; a stable sort on each line's height on the page puts them back where they are seen.
    """
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()  # one character per pdfium char index
        lines: list[tuple[float, str]] = []
        offset = 0
        for line in text.split("\n"):
            visible = next((offset + i for i, ch in enumerate(line) if not ch.isspace()), None)
            if visible is not None:
                _, bottom, _, top = textpage.get_charbox(visible)
                lines.append((-round((bottom + top) / 2 / LINE_TOLERANCE), line.rstrip()))
            offset += len(line) + 1
    finally:
        textpage.close()
    lines.sort(key=lambda item: item[0])
    return "\n".join(line for _, line in lines)


def _has_lines(page: Any) -> bool:
    """Cheap test (no pdfplumber) for drawn paths: a page without any has no ruled table."""
    import pypdfium2.raw as raw

    return next(iter(page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=1)), None) is not None


def _pages_with_tables(data: bytes, pages: list[int]) -> tuple[dict[int, str], dict[int, tuple[Rect, ...]]]:
    """Page index → composed text, for the pages among ``pages`` that hold a real ruled table;
    and page number → the ruled cells pdfplumber found, for every page it read (kept for the
    cell boxes of ``pages``, which would otherwise parse the page again)."""
    if not pages:
        return {}, {}
    pdfplumber = _import("pdfplumber")
    composed: dict[int, str] = {}
    cells: dict[int, tuple[Rect, ...]] = {}
    try:
        with pdfplumber.open(BytesIO(data), pages=[i + 1 for i in pages]) as pdf:
            for index, page in zip(pages, pdf.pages):
                found = page.find_tables()
                cells[index + 1] = ruled_cells(found)
                text = _compose_page(page, found)
                if text is not None:
                    composed[index] = text
    except Exception:  # noqa: BLE001 - pdfminer raises many types on odd files
        pass  # the pages composed so far keep their grids; the rest keep pdfium's text
    return composed, cells


def ruled_cells(tables: list[Any]) -> tuple[Rect, ...]:
    """The cells of pdfplumber's ruled tables of a page, as boxes."""
    return tuple(tuple(cell) for table in tables for cell in table.cells if cell is not None)


def _compose_page(page: Any, found: list[Any]) -> str | None:
    """Text lines and table rows of one page in reading order; None if no table has 2+ columns."""
    tables = [t for t in found if _width(t) >= 2]
    if not tables:
        return None
    items: list[tuple[float, int, str | list[list[str | None]]]] = []  # (top, order, block)
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
        items.extend(_table_items(table))
    for line in outside.extract_text_lines():
        items.append((line["top"], 0, line["text"]))
    items.sort(key=lambda item: (item[0], item[1]))
    return compose([block for _, _, block in items])


def _width(table: Any) -> int:
    return max((len(row) for row in table.extract()), default=0)


def _table_items(table: Any) -> list[tuple[float, int, str | list[list[str | None]]]]:
    """A table as items: full-width rows at its top and bottom as lines, the rest as one grid."""
    rows = list(zip((row.bbox[1] for row in table.rows), table.extract()))
    is_line = [_full_width(cells) for _, cells in rows]
    first = next((i for i, line in enumerate(is_line) if not line), len(rows))
    last = max((i for i, line in enumerate(is_line) if not line), default=-1)
    items: list[tuple[float, int, str | list[list[str | None]]]] = []
    for top, cells in rows[:first] + rows[last + 1 :]:
        items.extend((top, 1, line) for line in (cells[0] or "").split("\n") if line.strip())
    if first <= last:
        items.append((rows[first][0], 1, [cells for _, cells in rows[first : last + 1]]))
    return items


def _full_width(cells: list[str | None]) -> bool:
    """A row that is one cell across the whole table: a paragraph or a caption, not data."""
    return all(c is None for c in cells[1:]) and bool(cell_text(cells[0]))


def _document(pages: list[str], source: str, data: bytes, ruled: dict[int, tuple[Rect, ...]]) -> Document:
    starts, offset = [], 0
    for text in pages:
        starts.append(offset)
        offset += len(text) + 1
    return Document(text="\n".join(pages), source=source, format="pdf", page_starts=tuple(starts), data=data,
                    ruled=ruled)
