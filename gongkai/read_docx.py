"""read_docx: DOCX bytes → Document (the ``[docx]`` extra: python-docx, for its XML parser).

Only the main part, ``word/document.xml``, is inflated and parsed: the report's text is there,
and images, fonts or anything else in the zip are never touched. It is inflated as a stream
against a budget of bytes actually inflated (``MAX_DOCUMENT_XML_BYTES``), never trusting the
sizes the zip headers declare: a 2 MB file can expand to gigabytes, and headers can lie. The
text is capped as it is extracted (``read.MAX_TEXT_CHARS``).

The body is walked in document order, paragraphs and tables as they come (content controls
``w:sdt`` unwrapped). A paragraph's text is python-docx's ``Paragraph.text`` — its runs and
hyperlinks' runs, ``w:t`` as written, tabs, line breaks — computed by walking the elements
(python-docx compiles an XPath per paragraph, which made a large file take minutes). Tables are
read from their XML as grids: a ``gridSpan`` cell is followed by empty cells for the columns it
covers, a ``vMerge`` continuation cell is empty, and ``gridBefore``/``gridAfter`` pad the row,
so every row has the table's column count.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterable, Iterator
from io import BytesIO
from typing import IO, Any

from .errors import CorruptFileError, EncryptedFileError, InputTooLargeError, MissingExtraError, UnsupportedFormatError
from .read import Document, compose, refuse_long_text, refuse_oversized

MAIN_PART = "word/document.xml"
MAX_DOCUMENT_XML_BYTES = 16 * 1024 * 1024  # the main part inflated; a long report's is 1-2 MB
MAX_ENTRIES = 2000
MAX_SPAN = 500  # a gridSpan/gridBefore past this is a typo or an attack, not a report table
INFLATE_CHUNK = 64 * 1024  # bytes inflated at a time, so the budget is checked as they come
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: encrypted OOXML, or a .doc
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # stream name inside an encrypted one
# What zipfile and zlib raise on a damaged archive (bad headers, CRC, truncated streams, an
# encrypted or unknown compression method).
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error, RuntimeError,
               NotImplementedError, ValueError)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Run content → text, as python-docx's CT_R.text has it (w:br counts only as a line break).
_RUN_TEXT = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}


def read(data: bytes, source: str) -> Document:
    """Decode a .docx; encrypted, legacy, corrupt and oversized files raise a GongkaiError."""
    refuse_oversized(data, source)
    _refuse_ole(data, source)
    body = _body(_main_part(data, source), source)
    return Document(text=compose(list(_capped(_blocks(body), source))), source=source, format="docx")


def _refuse_ole(data: bytes, source: str) -> None:
    """A Compound File is an encrypted DOCX or an old .doc renamed."""
    if not data.startswith(OLE_SIGNATURE):
        return
    if ENCRYPTED_STREAM in data:
        raise EncryptedFileError(
            f"{source}: the DOCX is password-protected; open it with the password and save an unprotected copy"
        )
    raise UnsupportedFormatError(
        f"{source}: this is an old Word (.doc) file named .docx; convert it with "
        "`libreoffice --headless --convert-to docx FILE` and parse the result"
    )


def _main_part(data: bytes, source: str) -> bytes:
    """word/document.xml, inflated within the budget; every zip failure a CorruptFileError."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES:
                raise InputTooLargeError(
                    f"{source}: the DOCX has {len(entries)} parts, past the {MAX_ENTRIES} gongkai reads (a zip bomb?)"
                )
            if MAIN_PART not in {e.filename for e in entries}:
                raise CorruptFileError(f"{source}: a zip without {MAIN_PART} is not a DOCX")
            with archive.open(MAIN_PART) as part:
                return _inflate(part, source)
    except _ZIP_ERRORS as exc:
        raise CorruptFileError(f"{source}: not a DOCX (the zip container is broken: {exc}); re-save it in Word/WPS") from exc


def _inflate(part: IO[bytes], source: str) -> bytes:
    """The part's bytes, counted as they are inflated: past the budget, refused at once."""
    chunks: list[bytes] = []
    inflated = 0
    while chunk := part.read(INFLATE_CHUNK):
        inflated += len(chunk)
        if inflated > MAX_DOCUMENT_XML_BYTES:
            raise InputTooLargeError(
                f"{source}: {MAIN_PART} inflates past the {MAX_DOCUMENT_XML_BYTES} bytes gongkai reads "
                f"(stopped after {inflated}); a report's is a few MB, so this is a zip bomb or not a report"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _body(xml: bytes, source: str) -> Any:
    """The w:body of the main part, parsed as python-docx parses it (no entities resolved)."""
    try:
        import docx.oxml.parser  # the package first: its absence is what the message names
    except ImportError as exc:
        raise MissingExtraError("reading DOCX needs python-docx: install gongkai[docx]") from exc
    try:
        root = docx.oxml.parser.parse_xml(xml)
    except Exception as exc:  # lxml's XMLSyntaxError, ValueError on odd bytes …
        raise CorruptFileError(f"{source}: not a readable DOCX ({type(exc).__name__}: {exc}); re-save it in Word/WPS") from exc
    body = root.find(f"{W}body") if root.tag == f"{W}document" else None
    if body is None:
        raise CorruptFileError(f"{source}: not a readable DOCX ({MAIN_PART} has no document body); re-save it in Word/WPS")
    return body


def _capped(blocks: Iterable[str | list[list[str | None]]], source: str) -> Iterator[str | list[list[str | None]]]:
    """The blocks, stopped with InputTooLargeError once their text passes read.MAX_TEXT_CHARS."""
    length = 0
    for block in blocks:
        length += len(block) if isinstance(block, str) else sum(len(c or "") for row in block for c in row)
        refuse_long_text(length, source)
        yield block


def _blocks(parent: Any) -> Iterator[str | list[list[str | None]]]:
    """Paragraph texts and table grids under ``parent``, in document order."""
    for child in parent.iterchildren():
        if child.tag == f"{W}p":
            yield _paragraph_text(child)
        elif child.tag == f"{W}tbl":
            yield _grid(child)
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _blocks(content)


def _paragraph_text(p: Any) -> str:
    """python-docx's Paragraph.text: the runs of the paragraph and of its hyperlinks."""
    parts: list[str] = []
    for child in p.iterchildren(f"{W}r", f"{W}hyperlink"):
        runs = child.iterchildren(f"{W}r") if child.tag == f"{W}hyperlink" else (child,)
        parts.extend(_run_text(r) for r in runs)
    return "".join(parts)


def _run_text(r: Any) -> str:
    """python-docx's Run.text: w:t as written, tabs, line breaks (not page or column breaks)."""
    parts: list[str] = []
    for child in r.iterchildren():
        if child.tag == f"{W}t":
            parts.append(child.text or "")
        elif child.tag == f"{W}br":
            parts.append("\n" if child.get(f"{W}type", "textWrapping") == "textWrapping" else "")
        else:
            parts.append(_RUN_TEXT.get(child.tag, ""))
    return "".join(parts)


def _grid(tbl: Any) -> list[list[str | None]]:
    """A w:tbl as rows of cell texts, spans resolved so the columns line up."""
    rows: list[list[str | None]] = []
    for tr in tbl.iterchildren(f"{W}tr"):
        row: list[str | None] = [""] * _row_pad(tr, "gridBefore")
        for tc in _cells(tr):
            span = _int_attr(tc, f"{W}tcPr/{W}gridSpan")
            row.append(None if _continues_merge(tc) else _cell_text(tc))
            row.extend([None] * (span - 1))
        row.extend([""] * _row_pad(tr, "gridAfter"))
        rows.append(row)
    return rows


def _cells(tr: Any) -> Iterator[Any]:
    """The w:tc of a row, looking inside content controls that wrap cells."""
    for child in tr.iterchildren():
        if child.tag == f"{W}tc":
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from content.iterchildren(f"{W}tc")


def _continues_merge(tc: Any) -> bool:
    """A vMerge cell without val="restart" continues the cell above: written empty."""
    merge = tc.find(f"{W}tcPr/{W}vMerge")
    return merge is not None and merge.get(f"{W}val", "continue") != "restart"


def _cell_text(tc: Any) -> str:
    """The cell's paragraphs (and nested tables' cells) as lines; cell_text joins them later."""
    return "\n".join(_paragraph_text(p) for p in tc.iter(f"{W}p"))


def _row_pad(tr: Any, name: str) -> int:
    """Grid columns skipped before/after a row's first/last cell (w:gridBefore, w:gridAfter)."""
    return _int_attr(tr, f"{W}trPr/{W}{name}") if tr.find(f"{W}trPr/{W}{name}") is not None else 0


def _int_attr(element: Any, path: str) -> int:
    found = element.find(path)
    try:
        return max(1, min(MAX_SPAN, int(found.get(f"{W}val")))) if found is not None else 1
    except (TypeError, ValueError):
        return 1
