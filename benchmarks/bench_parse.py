"""Throughput and import time, run by hand: python benchmarks/bench_parse.py [N]

Parses every .txt report of the corpus (seeds and ../shared text files) N times on one core
and prints reports/second and ms/report, then the cold `import gongkai` time, then the real
PDFs of ../shared/corpus/pdf end to end (`gongkai.parse(path)`: reading, cell boxes and all). Numbers go in
docs/performance.md with the machine they were measured on; tests never assert timings.
"""

import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import gongkai
from gongkai.read import read

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT.parent / "shared" / "corpus").rglob("*.txt"))
PDFS = sorted((ROOT.parent / "shared" / "corpus" / "pdf").glob("*.pdf"))


def per_report_ms(docs, rounds: int) -> list[float]:
    from gongkai.report import build

    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        for doc in docs:
            build(doc)
        timings.append((time.perf_counter() - start) * 1000 / len(docs))
    return timings


def import_ms() -> float:
    code = "import time; t = time.perf_counter(); import gongkai; print((time.perf_counter() - t) * 1000)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(5)]
    return statistics.median(runs)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    docs = [read(p) for p in FILES]
    gongkai.parse(FILES[0])  # load and compile the rules once, as a long-running process would
    timings = per_report_ms(docs, rounds)
    best = min(timings)
    tracemalloc.start()
    per_report_ms(docs, 1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()  # tracing slows everything after it several times over
    print(f"{len(docs)} text reports x {rounds} rounds, one core")
    print(f"  build (segment+tables+facts+reconcile): best {best:.2f} ms/report, "
          f"median {statistics.median(timings):.2f} ms -> {1000 / best:.0f} reports/s/core")
    print(f"  peak traced memory for one pass: {peak / 1e6:.1f} MB")
    print(f"  cold `import gongkai`: {import_ms():.0f} ms (median of 5)")
    for pdf in PDFS:
        gongkai.parse(pdf)  # warm
        runs = []
        for _ in range(max(3, rounds // 5)):
            start = time.perf_counter()
            gongkai.parse(pdf)
            runs.append((time.perf_counter() - start) * 1000)
        print(f"  {pdf.name}: gongkai.parse best {min(runs):.0f} ms, median {statistics.median(runs):.0f} ms")


if __name__ == "__main__":
    main()
