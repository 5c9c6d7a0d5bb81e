"""Issue 12: PDFium is not thread-safe; reading PDFs from several threads must not crash.

The threaded run is a subprocess: before the fix it died of a segfault (or a heap abort) in
about half the runs, which would take pytest down with it. A second test is deterministic: it
wraps every PDFium function and records any call made while the process-wide lock is free.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import gongkai
from conftest import ROOT, shared

PDFS = ["huaian-hongze-2023", "huaian-hongze-2024", "huaian-shi-2024"]

THREADED = """
import concurrent.futures, hashlib, json, sys
import gongkai

def digest(path):
    document = gongkai.read(path)
    return hashlib.sha256(repr((document.text, document.page_starts)).encode()).hexdigest()

paths = sys.argv[1:]
with concurrent.futures.ThreadPoolExecutor(4) as pool:
    print(json.dumps(list(pool.map(digest, paths * 4))))
"""


def _digest(path) -> str:
    """The reader's whole result: the text and where each page starts."""
    document = gongkai.read(path)
    return hashlib.sha256(repr((document.text, document.page_starts)).encode()).hexdigest()


def test_pdfs_read_from_four_threads_equal_the_single_threaded_documents():  # issue 12
    paths = [str(shared(f"pdf/{name}.pdf")) for name in PDFS]
    single = [_digest(p) for p in paths]
    run = subprocess.run([sys.executable, "-c", THREADED, *paths], cwd=ROOT, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, f"exit {run.returncode} (-11 is a segfault): {run.stderr[-2000:]}"
    assert json.loads(run.stdout) == single * 4


def test_every_pdfium_call_holds_the_lock(monkeypatch):  # issue 12
    """pdfplumber's table reading is pdfminer (pure Python); only PDFium needs the lock."""
    import pypdfium2.raw as raw

    import gongkai.read_pdf as read_pdf

    unlocked: list[str] = []

    def guarded(name, function):
        def call(*args):
            if not read_pdf.PDFIUM_LOCK.locked():
                unlocked.append(name)
            return function(*args)
        return call

    for name in dir(raw):
        function = getattr(raw, name)
        if name.startswith("FPDF") and callable(function) and not isinstance(function, type):
            monkeypatch.setattr(raw, name, guarded(name, function))
    report = gongkai.parse(shared(f"pdf/{PDFS[0]}.pdf"))
    assert report.values()["applications.new.total"] is not None
    assert unlocked == []
