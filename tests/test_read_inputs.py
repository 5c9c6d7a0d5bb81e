"""Issue 12 (the reader half): paths that are not plain files, damaged text, DOCX bombs, limits.

Every reproducer is made here, small: a FIFO, /dev/zero, an OS call that fails, a seed report
with one bad byte, a zip whose document part inflates past a lowered budget.
"""

from __future__ import annotations

import errno
import os
import random
import struct
import sys
import threading
import tracemalloc

import pytest

import gongkai
from gongkai.errors import EncodingError, FileNotReadableError, GongkaiError, InputTooLargeError
from gongkai.read import MAX_BYTES, MAX_TEXT_CHARS, decode, read, read_text
from conftest import SEEDS, zip_of

read_module = sys.modules["gongkai.read"]  # the module; ``gongkai.read`` is the function
SEED = next(p for p in SEEDS if p.name.startswith("002_"))
SEED_TEXT = SEED.read_text(encoding="utf-8")


def _finishes(call, seconds: float = 20.0):
    """What ``call()`` raised (or returned) — failing the test, not hanging it, if it blocks."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:  # noqa: BLE001 - handed to the test to judge
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    return outcome[0]


# ---------------------------------------------------------------- paths (issue 12 item 4)

def test_a_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    outcome = _finishes(lambda: gongkai.parse(fifo))
    assert isinstance(outcome, FileNotReadableError), outcome
    assert str(outcome) == f"{fifo}: not a regular file (a pipe, device or socket); save the report to a file and parse that"


def test_a_device_is_refused_not_read_without_end():
    outcome = _finishes(lambda: gongkai.parse("/dev/zero"))
    assert isinstance(outcome, FileNotReadableError), outcome
    assert str(outcome).startswith("/dev/zero: not a regular file")


def _failing(monkeypatch, target: str, error: OSError, path=None) -> None:
    """os.<target> raises ``error`` (for ``path`` only, if given): tests run as root, and root
    ignores chmod 000, so a permission or I/O error is simulated at the OS call."""
    original = getattr(os, target)

    def fail(first, *args, **kwargs):
        if path is None or os.fspath(first) == os.fspath(path):
            raise error
        return original(first, *args, **kwargs)

    monkeypatch.setattr(os, target, fail)


def test_a_file_in_an_unreadable_directory(tmp_path, monkeypatch):
    """Before: PermissionError escaped from Path.exists()."""
    locked = tmp_path / "locked"
    locked.mkdir()
    path = locked / "report.txt"
    path.write_text(SEED_TEXT, encoding="utf-8")
    for call in ("stat", "lstat", "open"):  # whichever the reader calls first
        _failing(monkeypatch, call, PermissionError(errno.EACCES, "Permission denied"), path)
    with pytest.raises(FileNotReadableError, match=rf"^{path}: cannot open the file \(Permission denied\)$"):
        gongkai.parse(path)


def test_an_io_error_while_reading_names_the_file(tmp_path, monkeypatch):
    path = tmp_path / "report.txt"
    path.write_text(SEED_TEXT, encoding="utf-8")
    _failing(monkeypatch, "read", OSError(errno.EIO, "Input/output error"))
    with pytest.raises(FileNotReadableError, match=rf"^{path}: cannot read the file \(Input/output error\)$"):
        gongkai.parse(path)


def test_the_read_is_bounded_by_bytes_read_not_the_size_claimed(tmp_path, monkeypatch):
    """A file that says it is empty (as /proc files do) or that grows while read stops at the limit."""
    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 5000)
    monkeypatch.setattr(read_module, "MAX_BYTES", 1000)
    real_fstat = os.fstat
    monkeypatch.setattr(os, "fstat", lambda fd: os.stat_result((*real_fstat(fd)[:6], 0, *real_fstat(fd)[7:])))
    taken: list[int] = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: taken.append(n) or real_read(fd, n))
    with pytest.raises(InputTooLargeError, match=rf"^{path}: more than 1000 bytes read \(it claims 0\) is past the 1000 bytes"):
        gongkai.parse(path)
    assert sum(taken) == 1001


# ---------------------------------------------------------------- damaged text (issue 12 item 6)

def _damaged(data: bytes, at: int, bad: bytes) -> bytes:
    return data[:at] + bad + data[at:]


@pytest.mark.parametrize("bad", [b"\x00", b"\xff", b"\x80"], ids=["nul", "ff", "stray-continuation"])
def test_one_bad_byte_is_read_with_a_finding(tmp_path, bad):
    clean = gongkai.parse(SEED)
    data = SEED_TEXT.encode("utf-8")
    at = data.index("。".encode()) + len("。".encode())  # after the first sentence
    path = tmp_path / "damaged.txt"
    path.write_bytes(_damaged(data, at, bad))
    report = gongkai.parse(path)
    offset = len(data[:at].decode("utf-8"))
    assert report.text == SEED_TEXT[:offset] + "\ufffd" + SEED_TEXT[offset:]
    damaged = [f for f in report.findings if f.code == "text_damaged"]
    assert [(f.severity, f.spans[0].start, f.spans[0].end) for f in damaged] == [("warning", offset, offset + 1)]
    assert "文本有1处无法解码的字符" in damaged[0].message and f"第{offset}个字符" in damaged[0].message
    assert report.meta == clean.meta and report.values() == clean.values()


def test_gbk_with_a_bad_byte_stays_gbk():
    data = SEED_TEXT.encode("gbk")
    text = decode(_damaged(data, 40, b"\xff"))
    assert text.count("\ufffd") == 1 and text.replace("\ufffd", "") == SEED_TEXT


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_detected(tmp_path, encoding):
    path = tmp_path / "r.txt"
    path.write_bytes(SEED_TEXT.encode(encoding))
    report = gongkai.parse(path)
    assert report.text == SEED_TEXT
    assert "text_damaged" not in {f.code for f in report.findings}


def test_english_utf16_without_a_bom_is_detected():
    assert decode("Annual report 2023\nTotal: 12\n".encode("utf-16-le")) == "Annual report 2023\nTotal: 12\n"


def test_clean_text_has_no_damage():
    assert read(SEED).damage is None
    assert "text_damaged" not in {f.code for f in gongkai.parse(SEED).findings}


@pytest.mark.parametrize("data", [
    random.Random(12).randbytes(20_000),
    bytes(range(256)) * 40,
    b"\x00" * 4096,
    SEED_TEXT.encode("utf-8")[:300] + random.Random(3).randbytes(5000),  # a text head on a binary body
], ids=["random", "every-byte", "nuls", "text-then-binary"])
def test_mostly_binary_is_still_refused(data):
    with pytest.raises(EncodingError, match="not readable as UTF-8, UTF-16 or GB18030 text"):
        decode(data, "junk.txt")


def test_a_declared_charset_that_is_no_page_charset_is_ignored(tmp_path):
    """utf-7 and the escape codecs decode bytes into lone surrogates; a page never uses them."""
    page = "<html><head><meta charset=unicode_escape></head><body><p>某某局2023年政府信息公开工作年度报告 \\ud800</p></body></html>"
    path = tmp_path / "p.html"
    path.write_bytes(page.encode("utf-8"))
    assert "\\ud800" in gongkai.read(path).text


# ---------------------------------------------------------------- DOCX bombs (issue 12 item 5)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _document_xml(paragraphs: list[str]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'.encode("utf-8")


def _docx_of_size(megabytes: int) -> bytes:
    """A DOCX whose document part is ``megabytes`` MB of paragraphs, compressed ~1000×."""
    line = "本年度主动公开政府信息206条。" * 20
    count = megabytes * 1024 * 1024 // len(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>".encode("utf-8"))
    return zip_of({"word/document.xml": _document_xml([line] * count)})


def test_a_docx_that_inflates_past_the_budget_stops_at_the_budget(monkeypatch):
    """The budget counts bytes as they are inflated: the refusal comes within one chunk of it,
    and memory stays near the budget, not near what the zip would expand to."""
    import gongkai.read_docx as read_docx

    monkeypatch.setattr(read_docx, "MAX_DOCUMENT_XML_BYTES", 1024 * 1024)
    data = _docx_of_size(8)
    assert len(data) < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(InputTooLargeError, match=r"^bomb\.docx: word/document\.xml inflates past the 1048576 bytes") as caught:
            read_docx.read(data, "bomb.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    inflated = int(str(caught.value).split("stopped after ")[1].split(")")[0])
    assert 1024 * 1024 < inflated <= 1024 * 1024 + read_docx.INFLATE_CHUNK
    assert peak < 4 * 1024 * 1024, peak


def _lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with ``name``'s uncompressed size in both headers replaced by ``size``."""
    out = bytearray(data)
    encoded = name.encode()
    at = out.find(b"PK\x03\x04")
    while at >= 0:
        local_name = out[at + 30 : at + 30 + struct.unpack("<H", out[at + 26 : at + 28])[0]]
        if local_name == encoded:
            out[at + 22 : at + 26] = struct.pack("<I", size)
        at = out.find(b"PK\x03\x04", at + 4)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        central_name = out[at + 46 : at + 46 + struct.unpack("<H", out[at + 28 : at + 30])[0]]
        if central_name == encoded:
            out[at + 24 : at + 28] = struct.pack("<I", size)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def test_zip_headers_that_understate_the_size_do_not_lift_the_budget(monkeypatch):
    import gongkai.read_docx as read_docx

    monkeypatch.setattr(read_docx, "MAX_DOCUMENT_XML_BYTES", 1024 * 1024)
    data = _lie_about_size(_docx_of_size(8), "word/document.xml", 100)
    with pytest.raises(GongkaiError) as caught:
        read_docx.read(data, "liar.docx")
    assert type(caught.value).__name__ in ("CorruptFileError", "InputTooLargeError")


def test_zip_headers_that_overstate_the_size_are_not_believed():
    """A small document part that claims 2 GB is read: only inflated bytes count."""
    import gongkai.read_docx as read_docx

    data = _lie_about_size(zip_of({"word/document.xml": _document_xml(["一、总体情况"])}), "word/document.xml", 2**31 - 1)
    assert read_docx.read(data, "boast.docx").text == "一、总体情况"


def test_other_parts_of_a_docx_are_never_inflated(monkeypatch):
    """An image or any other part, however large it expands, costs nothing."""
    import gongkai.read_docx as read_docx

    monkeypatch.setattr(read_docx, "MAX_DOCUMENT_XML_BYTES", 1024 * 1024)
    data = zip_of({"word/document.xml": _document_xml(["一、总体情况"]), "word/media/fill.bin": b"\x00" * (8 * 1024 * 1024)})
    assert read_docx.read(data, "media.docx").text == "一、总体情况"


def test_docx_text_is_capped_as_it_is_extracted(monkeypatch):
    import gongkai.read_docx as read_docx

    monkeypatch.setattr(read_module, "MAX_TEXT_CHARS", 10_000)
    data = zip_of({"word/document.xml": _document_xml(["主动公开政府信息206条"] * 5000)})
    with pytest.raises(InputTooLargeError, match=r"^long\.docx: the text read out of it runs past the 10000 characters"):
        read_docx.read(data, "long.docx")


def test_a_huge_grid_span_is_capped():
    import gongkai.read_docx as read_docx

    cell = '<w:tc><w:tcPr><w:gridSpan w:val="999999999"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>'
    xml = f'<w:document xmlns:w="{W_NS}"><w:body><w:tbl><w:tr>{cell}</w:tr></w:tbl></w:body></w:document>'
    text = read_docx.read(zip_of({"word/document.xml": xml.encode()}), "span.docx").text
    assert text.strip() == "x"


RUN_PIECES = (
    "<w:t>主动公开</w:t><w:tab/><w:t xml:space='preserve'> 206 </w:t>",
    "<w:t>a</w:t><w:br/><w:t>b</w:t><w:br w:type='page'/><w:t>c</w:t><w:br w:type='column'/><w:cr/>",
    "<w:noBreakHyphen/><w:ptab w:relativeTo='margin' w:alignment='right' w:leader='none'/><w:t/>",
    "<w:rPr><w:b/></w:rPr><w:t>粗体</w:t><w:fldChar w:fldCharType='begin'/><w:instrText>PAGE</w:instrText>",
)
PARAGRAPHS = (
    *(f"<w:p><w:r>{run}</w:r></w:p>" for run in RUN_PIECES),
    "<w:p><w:pPr><w:jc w:val='center'/></w:pPr><w:hyperlink r:id='rId1'><w:r><w:t>链接</w:t></w:r></w:hyperlink>"
    "<w:r><w:t>后</w:t></w:r></w:p>",
    "<w:p><w:ins w:id='1' w:author='x'><w:r><w:t>inserted</w:t></w:r></w:ins><w:smartTag><w:r><w:t>tag</w:t></w:r>"
    "</w:smartTag><w:fldSimple w:instr='PAGE'><w:r><w:t>3</w:t></w:r></w:fldSimple><w:r><w:t>kept</w:t></w:r></w:p>",
)


@pytest.mark.parametrize("xml", PARAGRAPHS, ids=["runs", "breaks", "hyphen-ptab", "fields", "hyperlink", "ins-smarttag"])
def test_paragraph_text_is_python_docx_paragraph_text(xml):
    """The element walk gives what python-docx's Paragraph.text gives, piece by piece."""
    from docx.oxml.parser import parse_xml
    from docx.text.paragraph import Paragraph

    from gongkai.read_docx import _paragraph_text

    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    p = parse_xml(f'<w:body xmlns:w="{W_NS}" xmlns:r="{rel}">{xml}</w:body>')[0]
    assert _paragraph_text(p) == Paragraph(p, None).text  # type: ignore[arg-type]


# ---------------------------------------------------------------- limits (issue 12 item 7)

@pytest.mark.parametrize("module,data", [
    ("gongkai.read_pdf", b"%PDF-1.7\n" + b"0" * 2000),
    ("gongkai.read_docx", b"PK\x03\x04" + b"0" * 2000),
    ("gongkai.read_html", b"<html><body><p>" + b"x" * 2000),
], ids=["pdf", "docx", "html"])
def test_every_reader_refuses_bytes_past_the_limit(monkeypatch, module, data):
    from importlib import import_module

    monkeypatch.setattr(read_module, "MAX_BYTES", 1000)
    with pytest.raises(InputTooLargeError, match=rf"^big: {len(data)} bytes is past the 1000 bytes \(0 MiB\) gongkai reads"):
        import_module(module).read(data, "big")


def test_decode_refuses_bytes_past_the_limit(monkeypatch):
    monkeypatch.setattr(read_module, "MAX_BYTES", 1000)
    with pytest.raises(InputTooLargeError, match=r"^big\.txt: 1200 bytes is past the 1000 bytes"):
        decode(b"x" * 1200, "big.txt")


def test_text_past_the_character_limit_is_refused(monkeypatch):
    monkeypatch.setattr(read_module, "MAX_TEXT_CHARS", 1000)
    with pytest.raises(InputTooLargeError, match=r"^input: the text read out of it runs past the 1000 characters"):
        read_text("x" * 1001)
    assert len(read_text("x" * 1000).text) == 1000


def test_html_text_past_the_character_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(read_module, "MAX_TEXT_CHARS", 1000)
    path = tmp_path / "long.html"
    path.write_bytes(("<html><body>" + "<p>主动公开政府信息206条</p>" * 200 + "</body></html>").encode("utf-8"))
    with pytest.raises(InputTooLargeError, match=r"long\.html: the text read out of it runs past the 1000 characters"):
        gongkai.parse(path)


def test_the_limits_are_documented():
    from conftest import ROOT

    doc = (ROOT / "docs" / "robustness.md").read_text(encoding="utf-8")
    assert f"{MAX_BYTES:,}" in doc and f"{MAX_TEXT_CHARS:,}" in doc
