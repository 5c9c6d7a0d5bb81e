"""read: bytes or a path → Document (decoded text, folded copy for matching, page offsets).

Every span gongkai reports points into ``Document.text``, the decoded original. Matching runs
on ``Document.folded``, a copy of the same length (full-width digits and letters folded,
odd spaces and curly quotes straightened, ``[bookmark: …]`` markers blanked), so offsets carry
over unchanged. Steps that change the length (joining PDF lines) go through ``OffsetText``,
which maps every position back.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from importlib import import_module
from pathlib import Path

import regex

from .errors import EmptyInputError, EncodingError, FileNotReadableError, UnsupportedFormatError
from .models import Span

MAX_BYTES = 64 * 1024 * 1024  # no report is this large; past it we refuse instead of crawling

# 1:1 character folding for the matching copy. Parentheses and CJK punctuation are kept: the
# rule files spell them as printed.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}  # ０-９
_FOLD |= {cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)}  # Ａ-Ｚ
_FOLD |= {cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)}  # ａ-ｚ
_FOLD |= {ord(a): ord(b) for a, b in zip("．／－＋％＜＞＝", "./-+%<>=")}
_FOLD |= dict.fromkeys(map(ord, "\u3000\u00a0\u200b\ufeff\u2002\u2003\u2009"), ord(" "))
_FOLD |= dict.fromkeys(map(ord, "\u201c\u201d\u201e"), ord('"')) | dict.fromkeys(map(ord, "\u2018\u2019"), ord("'"))
_FOLD |= dict.fromkeys((0x25CB, 0x25EF), 0x3007)  # ○ and ◯, typed for the zero 〇 in dates (二○二四年)
# DOCX text dumps carry these markers; they are no part of the report.
_MARKER = regex.compile(r"\[(?:bookmark|image):[^\]\n]{0,200}\]")

_UNSUPPORTED = {
    ".doc": "convert it with `libreoffice --headless --convert-to docx FILE` and parse the .docx",
    ".wps": "convert it with `libreoffice --headless --convert-to docx FILE` and parse the .docx",
    ".ofd": "print or export it to PDF (e.g. with the OFD reader) and parse the .pdf",
    ".png": "it is an image: run OCR (e.g. `tesseract FILE out -l chi_sim`) and parse the text",
    ".jpg": "it is an image: run OCR (e.g. `tesseract FILE out -l chi_sim`) and parse the text",
    ".jpeg": "it is an image: run OCR (e.g. `tesseract FILE out -l chi_sim`) and parse the text",
    ".tif": "it is an image: run OCR (e.g. `tesseract FILE out -l chi_sim`) and parse the text",
    ".tiff": "it is an image: run OCR (e.g. `tesseract FILE out -l chi_sim`) and parse the text",
    ".xls": "export the sheet to .csv/.txt or the report to .docx and parse that",
    ".xlsx": "export the sheet to .csv/.txt or the report to .docx and parse that",
    ".zip": "unpack it and parse the report files inside",
}


def fold(text: str) -> str:
    """The matching copy of ``text``: same length, folded widths, markers blanked."""
    folded = text.translate(_FOLD)
    return _MARKER.sub(lambda m: " " * len(m.group()), folded)


@dataclass(frozen=True)
class OffsetText:
    """A derived text whose every character remembers its offset in the original."""

    text: str
    origin: tuple[int, ...]  # origin[i] = offset in the original of text[i]
    original_length: int

    def span(self, start: int, end: int) -> Span:
        """The original span of ``self.text[start:end]`` (half-open, never empty-inverted)."""
        if start >= end:
            at = self.origin[start] if start < len(self.origin) else self.original_length
            return Span(start=at, end=at)
        return Span(start=self.origin[start], end=self.origin[end - 1] + 1)

    @classmethod
    def dropping(cls, text: str, drop: regex.Pattern[str]) -> OffsetText:
        """``text`` without the matches of ``drop`` (e.g. line breaks inside a paragraph)."""
        kept: list[str] = []
        origin: list[int] = []
        last = 0
        for m in drop.finditer(text):
            kept.append(text[last : m.start()])
            origin.extend(range(last, m.start()))
            last = m.end()
        kept.append(text[last:])
        origin.extend(range(last, len(text)))
        return cls("".join(kept), tuple(origin), len(text))


@dataclass(frozen=True)
class Document:
    """Decoded text of one report, ready for segmenting (what ``gongkai.read`` returns).

    >>> doc = gongkai.read("../shared/corpus/pdf/huaian-hongze-2023.pdf")
    >>> doc.format, len(doc.page_starts), doc.page_of(0)
    ('pdf', 5, 1)
    """

    text: str
    source: str | None = None
    format: str = "txt"
    page_starts: tuple[int, ...] = field(default=())  # offset where each PDF page begins
    published: date | None = None  # the publication date a reader found outside the text (HTML PubDate)
    data: bytes | None = field(default=None, repr=False)  # a PDF's bytes: where each character is drawn

    @cached_property
    def folded(self) -> str:
        """The copy matched against: same length, full-width digits and letters folded.

        >>> gongkai.read_text("２０２３年").folded
        '2023年'
        """
        return fold(self.text)

    def page_of(self, offset: int) -> int | None:
        """1-based page of an offset, for PDF input; None for other formats.

        >>> gongkai.read_text("text").page_of(0) is None
        True
        """
        if not self.page_starts:
            return None
        return bisect_right(self.page_starts, offset)


def decode(data: bytes, source: str | None = None) -> str:
    """Bytes → text by strict decodes: BOMs first, then UTF-8, then GB18030 (covers GBK/GB2312).

    Junk that survives a GB18030 decode (binary files) is refused by its control characters.
    """
    name = source or "input"
    if not data.strip():
        raise EmptyInputError(f"{name}: the file is empty; nothing to parse")
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise EncodingError(
        f"{name}: not readable as UTF-8, UTF-16 or GB18030 text (a binary file?); "
        "save the report as text, .docx, .pdf or .html"
    )


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return "\x00" in sample or controls > len(sample) // 100


def read_text(text: str, source: str | None = None) -> Document:
    """A Document from text already decoded (a notebook string, a database field)."""
    if not text.strip():
        raise EmptyInputError(f"{source or 'input'}: the text is empty; nothing to parse")
    return Document(text=text.replace("\r\n", "\n").replace("\r", "\n"), source=source)


def read(path: str | os.PathLike[str]) -> Document:
    """A Document from a file; the format follows the suffix (.txt and unknown suffixes: text).

    The size is checked before anything is read, so a huge file is refused without loading it.
    """
    p = Path(path)
    if not p.exists():
        raise FileNotReadableError(f"{p}: no such file")
    if p.is_dir():
        raise FileNotReadableError(f"{p}: is a directory; use `gongkai corpus DIR` for many files")
    suffix = p.suffix.lower()
    if suffix in _UNSUPPORTED:
        raise UnsupportedFormatError(f"{p}: {suffix} files are not read directly; {_UNSUPPORTED[suffix]}")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            from .errors import InputTooLargeError

            raise InputTooLargeError(f"{p}: {size} bytes is past the {MAX_BYTES} bytes gongkai reads")
        data = p.read_bytes()
    except PermissionError as exc:
        raise FileNotReadableError(f"{p}: cannot read the file ({exc.strerror})") from exc
    reader = _READERS.get(suffix)
    if reader is not None:
        if not data.strip():
            raise EmptyInputError(f"{p}: the file is empty; nothing to parse")
        return reader(data, str(p))
    return Document(text=decode(data, str(p)), source=str(p))


# How every reader writes what it found, so that tables.py reads one shape whatever the format:
# paragraphs one per line; a table as a block with a blank line before and after, one line per
# row, cells joined by a tab, a cell covered by a row/column span written empty.
CELL_SEPARATOR = "\t"
# Characters that join without a space when a line break inside a cell is removed (CJK ideographs,
# CJK punctuation, full-width forms): "商业\n企业" is one word, "Total\n2023" is two.
_CJK_JOIN = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef]")
_SPACES = regex.compile(r"[ \t\u00a0\u3000\u200b]+")


def cell_text(text: str | None) -> str:
    """One table cell on one line: line breaks joined (nothing between CJK, a space otherwise)."""
    if not text:
        return ""
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n")]
    out = ""
    for line in filter(None, lines):
        if out and not (_CJK_JOIN.match(out[-1]) and _CJK_JOIN.match(line[0])):
            out += " "
        out += line
    out = out.replace("\t", " ")
    return "" if not _SPACES.sub("", out) else out  # an &nbsp;-only cell is blank


def table_lines(grid: Sequence[Sequence[str | None]]) -> list[str]:
    """A table's rows as tab-joined lines, every row padded to the widest; empty rows dropped."""
    width = max((len(row) for row in grid), default=0)
    lines = []
    for row in grid:
        cells = [cell_text(c) for c in row] + [""] * (width - len(row))
        if any(cells):
            lines.append(CELL_SEPARATOR.join(cells))
    return lines


def compose(blocks: Sequence[str | Sequence[Sequence[str | None]]]) -> str:
    """Paragraphs (str) and tables (grids) in document order → the Document text."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            out.append(block)
            continue
        rows = table_lines(block)
        if rows:
            out.extend(["", *rows, ""])
    return "\n".join(out)


def _reader(module: str) -> Callable[[bytes, str], Document]:
    """A reader that imports its module (and its library) only when a file of that kind comes."""

    def read_with(data: bytes, source: str) -> Document:
        return import_module(f"{__package__}.{module}").read(data, source)

    return read_with


# Binary formats plug in here (suffix → reader(bytes, source) → Document).
_READERS: dict[str, Callable[[bytes, str], Document]] = {
    ".pdf": _reader("read_pdf"),
    ".docx": _reader("read_docx"),
    ".html": _reader("read_html"),
    ".htm": _reader("read_html"),
    ".shtml": _reader("read_html"),
}
