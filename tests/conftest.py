"""Shared paths, and small files built in tests. Reports under ../shared are used in place;
tests skip when it is absent."""

import io
import zipfile
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared" / "corpus"
SEEDS = sorted(CORPUS.glob("[0-9][0-9][0-9]_*.txt"))


def shared(relative: str) -> Path:
    """A file under ../shared/corpus, or a skip saying it is absent."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not beside this checkout)")
    return path


@cache
def parsed_shared(relative: str):
    """A shared report parsed once per test session (Reports are immutable, so sharing is safe)."""
    import gongkai

    return gongkai.parse(shared(relative))


def shared_files() -> list[Path]:
    return sorted(p for p in SHARED.rglob("*") if p.is_file() and p.name != "SOURCES.md") if SHARED.exists() else []


def pdf_of(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of ``objects`` (numbered from 1, the first the catalog) with its xref table;
    ``trailer``: more entries for the trailer dictionary (/Encrypt …)."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def zip_of(entries: dict[str, bytes]) -> bytes:
    """A zip (deflated) holding ``entries``: a DOCX, or a damaged one."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()
