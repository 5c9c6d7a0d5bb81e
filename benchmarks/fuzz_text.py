"""Fuzz the parse with damaged text, and parse from several threads at once, run by hand:

    python benchmarks/fuzz_text.py [CASES_PER_TEXT] [THREAD_ROUNDS]     (defaults 350 and 3)

Text: every source text a gold file names (the seeds and ../shared, as `gongkai.read` gives
them) gets CASES_PER_TEXT damaged copies, tests/fuzz.py's TEXT_MUTATIONS in turn (cut, copied,
noise, swapped lines, changed digits, joined lines, broken lines), seeded, so a case is
reproduced from its name. Each is parsed with `gongkai.parse_text` in a child process, so a
crash is counted with its case; a case with no answer in 60 s is a hang. A Report must keep
its spans true (each cell's and fact's span holds its printed text). Prints the cases, the
Reports, each GongkaiError, anything else, broken spans, crashes, hangs and the time per case.

Threads: every corpus file (text, PDF, HTML) parsed in 4 threads, THREAD_ROUNDS times each,
against the same files parsed one at a time: the values, facts and finding codes must be the
same. The figures go in docs/robustness.md with the machine and date.
"""

from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from children import run

ROOT = Path(__file__).resolve().parent.parent
SECONDS_PER_CASE = 60

CHILD = r"""
import sys
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
import json
import jieba, jieba.posseg  # loaded once per process (about a second), not inside the first case's time
from fuzz import mutated_texts, run_cases
import gongkai
count, seconds, start = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
sources = json.loads(sys.stdin.read())
jieba.setLogLevel(60)
list(jieba.posseg.cut("主动公开政府信息"))

def cases():
    for name, path in sources:
        text = gongkai.read(path).text
        for case, damaged in mutated_texts(text, count, seed=1):
            yield f"{name}:{case}", damaged

def parse(name, text):
    report = gongkai.parse_text(text, name)
    cells = all(report.text[c.span.start:c.span.end] == c.raw for t in report.tables for c in t.cells if c.span)
    facts = all(report.text[f.span.start:f.span.end] == f.surface for f in report.facts)
    return "Report" if cells and facts else "SPANS"

run_cases(cases(), parse, start, seconds)
"""


def sources() -> list[tuple[str, str]]:
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from inject import source_paths

    return [(name, str(path)) for name, path in source_paths()]


def fuzz(files: list[tuple[str, str]], count: int) -> dict:
    """Run the cases in child processes (benchmarks/children.py)."""
    return {"texts": len(files), **run(CHILD, [str(ROOT), str(count), str(SECONDS_PER_CASE)], json.dumps(files))}


def _digest(report) -> tuple:
    return (tuple(sorted(report.values().items(), key=lambda kv: kv[0])),
            tuple(sorted((f.key, f.value, f.span.start) for f in report.facts)),
            tuple(sorted(f.code for f in report.findings)))


def threads(files: list[tuple[str, str]], rounds: int, workers: int = 4) -> dict:
    """Each file parsed ``rounds`` times from ``workers`` threads, compared with one thread."""
    import gongkai

    paths = sorted({path for _, path in files})
    alone = {path: _digest(gongkai.parse(path)) for path in paths}
    began = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda p: (p, _digest(gongkai.parse(p))), paths * rounds))
    differ = sorted({Path(p).name for p, digest in results if digest != alone[p]})
    return {"files": len(paths), "parses": len(results), "threads": workers, "differ": differ,
            "seconds": round(time.perf_counter() - began, 1)}


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 350
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    files = sources()
    began = time.time()
    result = fuzz(files, count)
    result["seconds"] = round(time.time() - began)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    print(json.dumps(threads(files, rounds), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
