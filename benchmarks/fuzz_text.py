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

import collections
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS_PER_CASE = 60

CHILD = r"""
import json, signal, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
from fuzz import mutated_texts
import gongkai
from gongkai.errors import GongkaiError
count, start = int(sys.argv[2]), int(sys.argv[3])
sources = json.loads(sys.stdin.read())
import jieba, jieba.posseg  # loaded once per process (about a second), not inside the first case's time
jieba.setLogLevel(60)
list(jieba.posseg.cut("主动公开政府信息"))

def cases():
    for name, path in sources:
        text = gongkai.read(path).text
        for case, damaged in mutated_texts(text, count, seed=1):
            yield f"{name}:{case}", damaged

def spans_hold(report):
    cells = all(report.text[c.span.start:c.span.end] == c.raw for t in report.tables for c in t.cells if c.span)
    facts = all(report.text[f.span.start:f.span.end] == f.surface for f in report.facts)
    return cells and facts

def timeout(*_):
    raise TimeoutError

signal.signal(signal.SIGALRM, timeout)
for i, (name, text) in enumerate(cases()):
    if i < start:
        continue
    print(json.dumps({"case": i, "name": name}), flush=True)
    began = time.perf_counter()
    signal.alarm(%d)
    try:
        report = gongkai.parse_text(text, name)
        outcome = "Report" if spans_hold(report) else "SPANS"
    except GongkaiError as exc:
        outcome = type(exc).__name__
    except TimeoutError:
        outcome = "HANG"
    except Exception as exc:
        outcome = f"ESCAPED {type(exc).__name__}: {str(exc)[:120]}"
    finally:
        signal.alarm(0)
    print(json.dumps({"case": i, "name": name, "outcome": outcome, "ms": (time.perf_counter() - began) * 1000}),
          flush=True)
""" % SECONDS_PER_CASE


def sources() -> list[tuple[str, str]]:
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from inject import source_paths

    return [(name, str(path)) for name, path in source_paths()]


def fuzz(files: list[tuple[str, str]], count: int) -> dict:
    """Run the cases in child processes, starting a new one after a crash."""
    outcomes: collections.Counter[str] = collections.Counter()
    bad, times, slowest = [], [], []
    start = 0
    while True:
        run = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(count), str(start)],
                             input=json.dumps(files), capture_output=True, text=True)
        lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
        for line in lines:
            if "outcome" in line:
                outcomes[line["outcome"].split(":")[0]] += 1
                times.append(line["ms"])
                slowest.append((round(line["ms"]), line["name"]))
                if line["outcome"].startswith(("ESCAPED", "HANG", "SPANS")):
                    bad.append(f"{line['name']}: {line['outcome']}")
        if run.returncode == 0:
            break
        last = lines[-1] if lines else {"case": start, "name": "?"}
        bad.append(f"{last['name']}: exit {run.returncode} {run.stderr[-300:]}")
        outcomes["CRASH"] += 1
        start = last["case"] + 1
    times.sort()
    return {"texts": len(files), "cases": sum(outcomes.values()), "outcomes": dict(outcomes), "bad": bad,
            "median_ms": round(times[len(times) // 2], 1) if times else 0,
            "max_ms": round(times[-1]) if times else 0, "slowest": sorted(slowest, reverse=True)[:5]}


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
