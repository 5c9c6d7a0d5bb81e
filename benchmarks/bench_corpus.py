"""`gongkai corpus` at scale, run by hand: python benchmarks/bench_corpus.py [N]

Lays out N report files (default 10,000: the corpus's text reports copied under new names, in
folders of 1,000) in a temporary folder, then times `gongkai corpus DIR -o OUT` as a user runs
it: reports/s with 1 and 2 workers on N, the peak resident memory of the whole process tree (the
parent and its workers, sampled from /proc every 50 ms) for 2,000, N/2 and N reports, and the
size of each output (CSV, long Parquet and JSONL on 2,000). Numbers go in docs/performance.md with the machine and date; tests never
assert timings.
"""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT.parent / "shared" / "corpus").rglob("*.txt"))


def lay_out(folder: Path, n: int) -> Path:
    """n report files under folder/reports, 1,000 to a subfolder."""
    reports = folder / f"reports-{n}"
    for i in range(n):
        sub = reports / f"{i // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        source = SOURCES[i % len(SOURCES)]
        shutil.copy(source, sub / f"{i:05d}-{source.name}")
    return reports


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total


def run(reports: Path, output: Path, workers: int, shape: str = "wide") -> dict:
    """One `gongkai corpus` run: seconds, peak tree RSS, output bytes."""
    cmd = [sys.executable, "-m", "gongkai", "corpus", str(reports), "-o", str(output), "-j", str(workers),
           "--shape", shape]
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    summary = process.stderr.read().splitlines() if process.stderr else []
    size = sum(f.stat().st_size for f in output.rglob("*")) if output.is_dir() else output.stat().st_size
    return {"seconds": seconds, "peak_mb": peak / 1e6, "mb": size / 1e6,
            "summary": next((line for line in summary if line.startswith("parsed")), "")}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    small = min(2_000, n)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sizes = sorted({small, n // 2, n})
        trees = {size: lay_out(folder, size) for size in sizes}
        print(f"{len(SOURCES)} distinct text reports, copied to {n} files")
        for workers in (1, 2):
            r = run(trees[n], folder / f"w{workers}.parquet", workers)
            print(f"  {n} reports, -j {workers}, parquet wide: {r['seconds']:.0f} s -> {n / r['seconds']:.1f} reports/s, "
                  f"peak RSS {r['peak_mb']:.0f} MB, output {r['mb']:.1f} MB  [{r['summary']}]", flush=True)
        for size in sizes[:-1]:
            r = run(trees[size], folder / f"rss{size}.parquet", 2)
            print(f"  {size} reports, -j 2: peak RSS {r['peak_mb']:.0f} MB ({size / r['seconds']:.1f} reports/s)", flush=True)
        for name, shape in (("out.csv", "wide"), ("long.parquet", "long"), ("out.jsonl", "wide")):
            r = run(trees[small], folder / name, 2, shape)
            print(f"  {small} reports, -j 2, {name} ({shape}): {r['mb']:.1f} MB ({1000 * r['mb'] / small:.1f} MB per "
                  f"1,000 reports), {small / r['seconds']:.1f} reports/s, peak RSS {r['peak_mb']:.0f} MB", flush=True)


if __name__ == "__main__":
    main()
