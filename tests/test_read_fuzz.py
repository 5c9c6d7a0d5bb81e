"""Issue 12 item 2: whatever bytes a reader is given, it returns a Document or raises a
GongkaiError — never a library's exception, a crash or a hang.

Damaged copies (tests/fuzz.py: truncations, flipped bits, overwritten, inserted, deleted and
duplicated chunks, seeded) of real files: a two-page extract of a real PDF, the DOCX and HTML
page built from seed 002, the real pingtan web page. The suite runs a few seconds per reader;
benchmarks/fuzz_readers.py runs hundreds per file and its figures are in docs/robustness.md.
"""

from __future__ import annotations

import io
import signal

import pytest

from fuzz import damaged_copies, damaged_docx_parts
from gongkai.errors import CorruptFileError, GongkaiError
from conftest import pdf_of, shared

SECONDS_PER_CASE = 60  # a hang fails the case instead of the whole run


def _outcome(read, data: bytes, name: str) -> str:
    """'Document', a GongkaiError's class name, or what escaped, for one damaged copy."""
    def timeout(*_):
        raise TimeoutError(f"{name}: no answer in {SECONDS_PER_CASE} s")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(SECONDS_PER_CASE)
    try:
        read(data, name)
        return "Document"
    except GongkaiError as exc:
        return type(exc).__name__
    except Exception as exc:  # noqa: BLE001 - what the test is looking for
        return f"ESCAPED {name}: {type(exc).__name__}: {exc}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _escaped(read, cases) -> list[str]:
    outcomes = [_outcome(read, data, name) for name, data in cases]
    assert "Document" in outcomes  # damage that spares the text must still be read
    return [o for o in outcomes if o.startswith("ESCAPED")]


def pdf_with_a_missing_page() -> bytes:
    """A PDF whose page tree counts two pages and points at an object that is not there: the
    document opens, page 2 does not load (PDFium's error used to escape)."""
    text = b"BT /F1 12 Tf 72 720 Td (Annual report 2023 of some county office) Tj ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R 9 0 R]/Count 2>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n" % len(text) + text + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    return pdf_of(objects)


def test_a_pdf_whose_page_does_not_load_is_corrupt():  # issue 12
    from gongkai import read_pdf

    with pytest.raises(CorruptFileError, match=r"^missing\.pdf: page 2 of the PDF cannot be read"):
        read_pdf.read(pdf_with_a_missing_page(), "missing.pdf")


def _pdf_extract() -> bytes:
    """Pages 1 and 3 of a real report: its title and narrative, and a page with a ruled table
    (so the damage reaches pdfplumber as well as PDFium)."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(shared("pdf/huaian-hongze-2023.pdf"))
    extract = pdfium.PdfDocument.new()
    extract.import_pages(source, [0, 2])
    out = io.BytesIO()
    extract.save(out)
    extract.close()
    source.close()
    return out.getvalue()


def test_damaged_pdfs_give_a_document_or_a_gongkai_error():
    """The whole reader on a few copies (pdfplumber takes a second on a damaged ruled page),
    PDFium's part — where its own exceptions come from — on many."""
    import pypdfium2

    from gongkai import read_pdf

    def pdfium_part(data: bytes, name: str) -> None:
        with read_pdf.PDFIUM_LOCK:
            read_pdf._pdfium_pages(pypdfium2, data, name)

    data = _pdf_extract()
    assert _escaped(read_pdf.read, damaged_copies(data, 6, seed=1)) == []
    assert _escaped(pdfium_part, damaged_copies(data, 150, seed=2)) == []


def test_damaged_docx_give_a_document_or_a_gongkai_error(tmp_path):
    from gongkai import read_docx
    from test_readers import _seed_paragraphs, build_docx, seed_tables

    path = tmp_path / "002.docx"
    build_docx(path, _seed_paragraphs(), seed_tables())
    data = path.read_bytes()
    cases = [*damaged_copies(data, 30, seed=1), *damaged_docx_parts(data, 30, seed=2)]
    assert _escaped(read_docx.read, cases) == []


def test_damaged_html_give_a_document_or_a_gongkai_error():
    from gongkai import read_html
    from test_readers import _seed_paragraphs, build_html, seed_tables

    cases = [*damaged_copies(build_html(_seed_paragraphs(), seed_tables()), 50, seed=1),
             *damaged_copies(shared("pingtan/2015-qu.html").read_bytes(), 10, seed=2)]
    assert _escaped(read_html.read, cases) == []
