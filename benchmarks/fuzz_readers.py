"""Fuzz every reader with damaged copies of real files, run by hand:

    python benchmarks/fuzz_readers.py [CASES_PER_FILE]      (default 100)

Damage is tests/fuzz.py's (truncations, flipped bits, overwritten, inserted, deleted and
duplicated chunks), seeded, so a case is reproduced from its name. The files: the three real
PDFs of ../shared/corpus/pdf; the DOCX built from seed 002 (damaged as a zip, and with its
document.xml damaged inside an intact zip); the real pingtan web page and the HTML built from
seed 002. Each reader runs in a child process, so a crash (a segfault in a C library) is counted
with the case that caused it instead of ending the run. Prints, per reader: cases, Documents
returned, each GongkaiError, anything else that escaped, crashes, hangs (no answer in 60 s) and
the time per case. The figures go in docs/robustness.md with the machine and date.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from children import run

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
SECONDS_PER_CASE = 60

CHILD = r"""
import sys
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
import importlib, json
from fuzz import damaged_copies, damaged_docx_parts, run_cases
reader, count, seconds, start = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
sources = json.loads(sys.stdin.read())
module = importlib.import_module(f"gongkai.read_{reader}")

def cases():
    for path in sources:
        data = open(path, "rb").read()
        yield from damaged_copies(data, count, seed=1)
        if reader == "docx":
            yield from damaged_docx_parts(data, count, seed=2)

def read(name, data):
    module.read(data, name)
    return "Document"

run_cases(cases(), read, start, seconds)
"""


def sources(tmp: Path) -> dict[str, list[str]]:
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from test_readers import _seed_paragraphs, build_docx, build_html, seed_tables

    docx = tmp / "seed-002.docx"
    build_docx(docx, _seed_paragraphs(), seed_tables())
    html = tmp / "seed-002.html"
    html.write_bytes(build_html(_seed_paragraphs(), seed_tables()))
    return {
        "pdf": [str(p) for p in sorted((SHARED / "pdf").glob("*.pdf"))],
        "docx": [str(docx)],
        "html": [str(SHARED / "pingtan" / "2015-qu.html"), str(html)],
    }


def fuzz(reader: str, files: list[str], count: int) -> dict:
    """Run the reader's cases in child processes (benchmarks/children.py)."""
    result = run(CHILD, [str(ROOT), reader, str(count), str(SECONDS_PER_CASE)], json.dumps(files))
    return {"reader": reader, "files": len(files), **result}


def main() -> None:
    import tempfile

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory() as tmp:
        for reader, files in sources(Path(tmp)).items():
            began = time.time()
            result = fuzz(reader, files, count)
            result["seconds"] = round(time.time() - began)
            print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
