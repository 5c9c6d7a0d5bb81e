"""read_docx: DOCX bytes → Document (the ``[docx]`` extra: python-docx).

The body is walked in document order, paragraphs and tables as they come (content controls
``w:sdt`` unwrapped). Tables are read from their XML as grids: a ``gridSpan`` cell is followed
by empty cells for the columns it covers, a ``vMerge`` continuation cell is empty, and
``gridBefore``/``gridAfter`` pad the row, so every row has the table's column count.

The zip is checked before python-docx opens it: an archive whose entries expand past
``MAX_EXPANDED_BYTES`` or number more than ``MAX_ENTRIES`` is refused (a zip bomb would
otherwise be inflated in memory). zipfile stops reading an entry at its declared size, so the
declared sizes bound the work.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Any

from .errors import CorruptFileError, EncryptedFileError, InputTooLargeError, MissingExtraError, UnsupportedFormatError
from .read import Document, compose

MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 2000
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: encrypted OOXML, or a .doc
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # stream name inside an encrypted one

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read(data: bytes, source: str) -> Document:
    """Decode a .docx; encrypted, legacy, corrupt and oversized files raise a GongkaiError."""
    _check_container(data, source)
    try:
        import docx
    except ImportError as exc:
        raise MissingExtraError("reading DOCX needs python-docx: install gongkai[docx]") from exc
    try:
        document = docx.Document(BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors … on broken parts
        raise CorruptFileError(f"{source}: not a readable DOCX ({type(exc).__name__}: {exc}); re-save it in Word/WPS") from exc
    blocks = list(_blocks(document.element.body))
    return Document(text=compose(blocks), source=source, format="docx")


def _check_container(data: bytes, source: str) -> None:
    if data.startswith(OLE_SIGNATURE):
        if ENCRYPTED_STREAM in data:
            raise EncryptedFileError(
                f"{source}: the DOCX is password-protected; open it with the password and save an unprotected copy"
            )
        raise UnsupportedFormatError(
            f"{source}: this is an old Word (.doc) file named .docx; convert it with "
            "`libreoffice --headless --convert-to docx FILE` and parse the result"
        )
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise CorruptFileError(f"{source}: not a DOCX (the zip container is broken: {exc}); re-save it in Word/WPS") from exc
    expanded = sum(e.file_size for e in entries)
    if len(entries) > MAX_ENTRIES or expanded > MAX_EXPANDED_BYTES:
        raise InputTooLargeError(
            f"{source}: the DOCX expands to {expanded} bytes in {len(entries)} parts, past the "
            f"{MAX_EXPANDED_BYTES} bytes / {MAX_ENTRIES} parts gongkai reads (a zip bomb?)"
        )
    if "word/document.xml" not in {e.filename for e in entries}:
        raise CorruptFileError(f"{source}: a zip without word/document.xml is not a DOCX")


def _blocks(parent: Any):
    """Paragraph texts and table grids under ``parent``, in document order."""
    from docx.text.paragraph import Paragraph

    for child in parent.iterchildren():
        if child.tag == f"{W}p":
            yield Paragraph(child, None).text  # type: ignore[arg-type]  # no story part: text only
        elif child.tag == f"{W}tbl":
            yield _grid(child)
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _blocks(content)


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


def _cells(tr: Any):
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
    from docx.text.paragraph import Paragraph

    lines = [Paragraph(p, None).text for p in tc.iter(f"{W}p")]  # type: ignore[arg-type]
    return "\n".join(lines)


def _row_pad(tr: Any, name: str) -> int:
    """Grid columns skipped before/after a row's first/last cell (w:gridBefore, w:gridAfter)."""
    return _int_attr(tr, f"{W}trPr/{W}{name}") if tr.find(f"{W}trPr/{W}{name}") is not None else 0


def _int_attr(element: Any, path: str) -> int:
    found = element.find(path)
    try:
        return max(1, int(found.get(f"{W}val"))) if found is not None else 1
    except (TypeError, ValueError):
        return 1
