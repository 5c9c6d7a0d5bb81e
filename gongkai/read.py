"""read: bytes or a path → Document (decoded text, folded copy for matching, page offsets).

Every span gongkai reports points into ``Document.text``, the decoded original. Matching runs
on ``Document.folded``, a copy of the same length (full-width digits and letters folded,
odd spaces and curly quotes straightened, ``[bookmark: …]`` markers blanked), so offsets carry
over unchanged. Steps that change the length (joining PDF lines) go through ``OffsetText``,
which maps every position back.
"""

from __future__ import annotations

import os
import stat
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from importlib import import_module
from pathlib import Path

import regex

from .errors import EmptyInputError, EncodingError, FileNotReadableError, InputTooLargeError, UnsupportedFormatError
from .models import Finding, Span

# The documented limits (docs/robustness.md). No report comes near them; past them gongkai
# refuses with InputTooLargeError instead of crawling.
MAX_BYTES = 64 * 1024 * 1024  # a file, or bytes handed to a reader
MAX_TEXT_CHARS = 8 * 1024 * 1024  # the text read out of it (the corpus's longest report: 5,606; 16 MiB of reports: 6.6 M)
_CHUNK = 1024 * 1024  # files are read this much at a time, so the limit is checked as bytes arrive

REPLACEMENT = "\N{REPLACEMENT CHARACTER}"  # stands in the text for bytes that could not be decoded
# Past this share of undecodable or control characters the input is binary, not damaged text:
# binary files measure 15-60% (GB18030 reads random bytes as rare ideographs, so not more).
MAX_DAMAGED_SHARE = 0.10
_DAMAGED = regex.compile(r"[\x00-\x08\x0e-\x1f\ufffd]")
# Characters of ordinary Chinese or English text, to tell UTF-16 little- from big-endian.
_COMMON = regex.compile(r"[\t\n\r\x20-\x7e\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

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
class Damage:
    """Characters of a text that stand for bytes the decoder could not read (U+FFFD)."""

    count: int
    first: int  # offset in Document.text of the first one


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
    # a PDF's ruled table cells (x0, top, x1, bottom) by page number, for the pages the reader
    # looked at; a page not in it is looked at again when cell boxes are asked for
    ruled: dict[int, tuple[tuple[float, float, float, float], ...]] = field(default_factory=dict, repr=False,
                                                                          compare=False)

    @cached_property
    def folded(self) -> str:
        """The copy matched against: same length, full-width digits and letters folded.

        >>> gongkai.read_text("２０２３年").folded
        '2023年'
        """
        return fold(self.text)

    @cached_property
    def damage(self) -> Damage | None:
        """The undecodable bytes the text kept as U+FFFD, if any (a ``text_damaged`` finding).

        >>> gongkai.read_text("主动公开\ufffd信息").damage
        Damage(count=1, first=4)
        >>> gongkai.read_text("主动公开信息").damage is None
        True
        """
        first = self.text.find(REPLACEMENT)
        return None if first < 0 else Damage(count=self.text.count(REPLACEMENT), first=first)

    def page_of(self, offset: int) -> int | None:
        """1-based page of an offset, for PDF input; None for other formats.

        >>> gongkai.read_text("text").page_of(0) is None
        True
        """
        if not self.page_starts:
            return None
        return bisect_right(self.page_starts, offset)


def damage_findings(doc: Document) -> list[Finding]:
    """``text_damaged`` for a text that kept undecodable bytes, pointing at the first of them."""
    from .rules import finding  # the rules import the models, not the reader: kept that way

    if doc.damage is None:
        return []
    first = doc.damage.first
    return [finding("text_damaged", spans=(Span(start=first, end=first + 1),), count=doc.damage.count, offset=first)]


def decode(data: bytes, source: str | None = None, declared: str | None = None) -> str:
    """Bytes → text. Strict decodes first, in order: a BOM's encoding, the ``declared`` one (an
    HTML page's charset), UTF-16 without a BOM, UTF-8, GB18030 (covers GBK/GB2312).

    If none reads every byte, the one with the fewest errors is kept and each byte it cannot read
    becomes U+FFFD (``Document.damage``; the report gets a ``text_damaged`` finding): one bad byte
    must not lose a report. NUL bytes become U+FFFD too. Only input that is mostly undecodable or
    control characters (a binary file) is refused.
    """
    name = source or "input"
    refuse_oversized(data, name)
    if not data.strip():
        raise EmptyInputError(f"{name}: the file is empty; nothing to parse")
    encodings = _encodings(data, declared)
    text = _decode_strict(data, encodings) or _decode_lenient(data, encodings)
    text = _newlines(text).replace("\x00", REPLACEMENT)
    if len(text) - len(_DAMAGED.sub("", text)) > MAX_DAMAGED_SHARE * len(text):
        raise EncodingError(
            f"{name}: not readable as UTF-8, UTF-16 or GB18030 text (a binary file?); "
            "save the report as text, .docx, .pdf or .html"
        )
    return text


def _encodings(data: bytes, declared: str | None) -> list[str]:
    """The encodings to try, most likely first."""
    if data.startswith(b"\xef\xbb\xbf"):
        return ["utf-8-sig"]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ["utf-16"]
    return ([declared] if declared else []) + _utf16_without_bom(data) + ["utf-8", "gb18030"]


def _utf16_without_bom(data: bytes) -> list[str]:
    """["utf-16-le"] or ["utf-16-be"] for UTF-16 text that has no BOM, else [].

    UTF-16 puts a NUL byte beside every ASCII character (digits, spaces, line ends), which text
    in UTF-8 or GB18030 never has; of the two byte orders the right one reads as common
    characters, the wrong one as rare ideographs and symbols.
    """
    sample = data[:8192]
    if sample.count(0) < len(sample) // 100:
        return []
    sample = sample[: len(sample) // 2 * 2]
    share = {e: _common_share(sample.decode(e, "replace")) for e in ("utf-16-le", "utf-16-be")}
    best = max(share, key=lambda e: share[e])
    return [best] if share[best] > 0.9 else []


def _common_share(text: str) -> float:
    return len(_COMMON.findall(text)) / max(1, len(text))


def _decode_strict(data: bytes, encodings: list[str]) -> str | None:
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeError, LookupError):
            continue
    return None


def _decode_lenient(data: bytes, encodings: list[str]) -> str:
    """The decode with the fewest undecodable bytes (each a U+FFFD); the likelier on a tie."""
    best: str | None = None
    for encoding in encodings:
        try:
            text = data.decode(encoding, "replace")
        except (UnicodeError, LookupError):
            continue
        if best is None or text.count(REPLACEMENT) < best.count(REPLACEMENT):
            best = text
    assert best is not None  # utf-8 is always among the encodings
    return best


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def refuse_oversized(data: bytes, source: str) -> None:
    """Every reader starts here: bytes past MAX_BYTES are refused before any work."""
    if len(data) > MAX_BYTES:
        raise InputTooLargeError(_too_large(source, f"{len(data)} bytes"))


def refuse_long_text(length: int, source: str) -> None:
    """Text past MAX_TEXT_CHARS (a reader checks as it extracts, so a bomb stops early)."""
    if length > MAX_TEXT_CHARS:
        raise InputTooLargeError(
            f"{source}: the text read out of it runs past the {MAX_TEXT_CHARS} characters gongkai reads "
            "(no report is this long); split the file or check that it is a report"
        )


def _too_large(source: str, size: str) -> str:
    return f"{source}: {size} is past the {MAX_BYTES} bytes ({MAX_BYTES // 2**20} MiB) gongkai reads; no report is this large"


def read_text(text: str, source: str | None = None) -> Document:
    """A Document from text already decoded (a notebook string, a database field)."""
    name = source or "input"
    if not text.strip():
        raise EmptyInputError(f"{name}: the text is empty; nothing to parse")
    refuse_long_text(len(text), name)
    return Document(text=_newlines(text).replace("\x00", REPLACEMENT), source=source)


def read(path: str | os.PathLike[str]) -> Document:
    """A Document from a file; the format follows the suffix (.txt and unknown suffixes: text).

    Only a regular file is read, at most MAX_BYTES of it; every failure is a GongkaiError that
    names the path.
    """
    p = Path(path)
    data = _read_file(p)
    source = str(p)
    reader = _READERS.get(p.suffix.lower())
    if reader is None:
        doc = Document(text=decode(data, source), source=source)
    else:
        if not data.strip():
            raise EmptyInputError(f"{source}: the file is empty; nothing to parse")
        doc = reader(data, source)
    refuse_long_text(len(doc.text), source)
    return doc


def _read_file(p: Path) -> bytes:
    """The bytes of a regular file.

    Anything else is refused before a byte is read: a FIFO blocks forever, a device (/dev/zero)
    never ends. The read stops one byte past MAX_BYTES whatever size the file claims (it can grow
    while read; /proc files claim 0). Every OSError (no permission, EIO) becomes a GongkaiError
    with the path.
    """
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (FileNotFoundError, NotADirectoryError):
        raise FileNotReadableError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise FileNotReadableError(_is_directory(p)) from None
    except OSError as exc:
        raise FileNotReadableError(f"{p}: cannot open the file ({exc.strerror or exc})") from exc
    try:
        status = os.fstat(fd)
        _refuse_unreadable_kind(p, status)
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, min(_CHUNK, MAX_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BYTES:
            raise InputTooLargeError(_too_large(str(p), f"more than {MAX_BYTES} bytes read (it claims {status.st_size})"))
        return b"".join(chunks)
    except OSError as exc:
        raise FileNotReadableError(f"{p}: cannot read the file ({exc.strerror or exc})") from exc
    finally:
        os.close(fd)


def _refuse_unreadable_kind(p: Path, status: os.stat_result) -> None:
    """A directory, pipe, device or socket; a format read elsewhere; a size past MAX_BYTES."""
    if stat.S_ISDIR(status.st_mode):
        raise FileNotReadableError(_is_directory(p))
    if not stat.S_ISREG(status.st_mode):
        raise FileNotReadableError(
            f"{p}: not a regular file (a pipe, device or socket); save the report to a file and parse that"
        )
    suffix = p.suffix.lower()
    if suffix in _UNSUPPORTED:
        raise UnsupportedFormatError(f"{p}: {suffix} files are not read directly; {_UNSUPPORTED[suffix]}")
    if status.st_size > MAX_BYTES:
        raise InputTooLargeError(_too_large(str(p), f"{status.st_size} bytes"))


def _is_directory(p: Path) -> str:
    return f"{p}: is a directory; use `gongkai corpus DIR` for many files"


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
