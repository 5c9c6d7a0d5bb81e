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

import collections
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
SECONDS_PER_CASE = 60

CHILD = r"""
import json, signal, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
from fuzz import damaged_copies, damaged_docx_parts
from gongkai.errors import GongkaiError
import importlib
reader, count, start = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sources = json.loads(sys.stdin.read())
module = importlib.import_module(f"gongkai.read_{reader}")

def cases():
    for path in sources:
        data = open(path, "rb").read()
        yield from damaged_copies(data, count, seed=1)
        if reader == "docx":
            yield from damaged_docx_parts(data, count, seed=2)

def timeout(*_):
    raise TimeoutError

signal.signal(signal.SIGALRM, timeout)
for i, (name, data) in enumerate(cases()):
    if i < start:
        continue
    print(json.dumps({"case": i, "name": name}), flush=True)
    began = time.perf_counter()
    signal.alarm(%d)
    try:
        module.read(data, name)
        outcome = "Document"
    except GongkaiError as exc:
        outcome = type(exc).__name__
    except TimeoutError:
        outcome = "HANG"
    except Exception as exc:
        outcome = f"ESCAPED {type(exc).__name__}: {str(exc)[:120]}"
    finally:
        signal.alarm(0)
    print(json.dumps({"case": i, "name": name, "outcome": outcome, "ms": (time.perf_counter() - began) * 1000}), flush=True)
""" % SECONDS_PER_CASE


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
    """Run the reader's cases in child processes, starting a new one after a crash."""
    outcomes: collections.Counter[str] = collections.Counter()
    escaped, crashed, times = [], [], []
    start = 0
    while True:
        run = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), reader, str(count), str(start)],
                             input=json.dumps(files), capture_output=True, text=True)
        lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
        for line in lines:
            if "outcome" in line:
                outcomes[line["outcome"].split(":")[0]] += 1
                times.append(line["ms"])
                if line["outcome"].startswith(("ESCAPED", "HANG")):
                    escaped.append(f"{line['name']}: {line['outcome']}")
        if run.returncode == 0:
            break
        last = lines[-1] if lines else {"case": start, "name": "?"}
        crashed.append(f"{last['name']}: exit {run.returncode}")
        outcomes["CRASH"] += 1
        start = last["case"] + 1
    times.sort()
    return {"reader": reader, "files": len(files), "cases": sum(outcomes.values()), "outcomes": dict(outcomes),
            "escaped": escaped, "crashed": crashed, "median_ms": times[len(times) // 2] if times else 0,
            "max_ms": times[-1] if times else 0}


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
