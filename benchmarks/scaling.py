"""Time and memory against input size, run by hand: python benchmarks/scaling.py [--sizes 1,2,4,8,16] [--rounds 2]

Builds inputs of 1, 2, 4, 8 and 16 MB from the real corpus and parses each with
`gongkai.parse(path)` in a fresh subprocess, measuring the parse's wall time and the process's
peak resident memory (VmHWM, its own high-water mark). Each size is run --rounds times and the
minimum kept (the machine may be shared; the minimum is the least disturbed run).

- txt: every text report of the corpus (seeds and ../shared text files: narrative and tables as
  the converters print them) concatenated, over and over, until the size is reached;
- html: the article of a real site's page (seed 002's paragraphs and its three tables in
  <table>/<tr>/<td> markup with row and column spans, as tests/test_read_html.py lays it out,
  and the body of the real page ../shared/corpus/pingtan/2015-qu.html) repeated inside one page;
- docx: seed 002 written by python-docx (paragraphs, Word tables with merged cells), its body
  repeated until word/document.xml, the part gongkai inflates and limits, has the size.

The step columns are the growth from the size before, per MB: flat steps are linear growth.
The floor is measured in the same run: the RSS of a subprocess that only imports gongkai, and
the time and RSS of parsing one normal corpus report. The table prints time and RSS per MB;
growth is linear when time/MB stays flat as the size doubles. Past a documented limit
(docs/robustness.md, "Limits") the row shows the InputTooLargeError instead. Numbers go in
docs/performance.md with the machine, the floor and the date; tests never assert timings.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
SOURCES = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT.parent / "shared" / "corpus").rglob("*.txt"))
PINGTAN = ROOT.parent / "shared" / "corpus" / "pingtan" / "2015-qu.html"
MB = 1024 * 1024
# Past the documented limits (docs/robustness.md): 24 MiB of reports is ~9.9 M characters (past
# read.MAX_TEXT_CHARS), 32 MiB of the page ~1.06 M tags (past read_html.MAX_TAGS), a 17 MiB
# word/document.xml past read_docx.MAX_DOCUMENT_XML_BYTES. Each must be a clear InputTooLargeError.
BEYOND = {"txt": 24, "html": 32, "docx": 17}

# Run in the child: import, parse, print what it cost. Nothing of the parent is inherited but the path.
CHILD = r"""
import json, resource, sys, time
import gongkai
from gongkai.errors import GongkaiError
out = {}
if len(sys.argv) > 1:
    start = time.perf_counter()
    try:
        for path in sys.argv[1:]:
            gongkai.parse(path)
    except GongkaiError as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
    out["seconds"] = time.perf_counter() - start
# VmHWM is the peak of this process's own memory; ru_maxrss would also keep the parent's RSS
# at the fork, which Linux carries across exec (and the parent holds the inputs it built).
try:
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    out["rss_kb"] = int(status.split()[0])
except (OSError, IndexError):
    out["rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out))
"""


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, load average {load}"


def text_input(size: int) -> str:
    """Whole corpus reports, one after another, until `size` bytes of UTF-8."""
    reports = [p.read_text(encoding="utf-8") for p in SOURCES]
    parts, total, i = [], 0, 0
    while total < size:
        part = reports[i % len(reports)].rstrip("\n") + "\n\n"
        parts.append(part)
        total += len(part.encode("utf-8"))
        i += 1
    return "".join(parts)


def html_articles() -> list[str]:
    """The article bodies a page repeats: seed 002 as sites lay it out, and the real pingtan page."""
    from test_read_html import _ps, _report_parts, word_save_as_html

    articles = ["".join(_report_parts(_ps, lambda table: table))]
    word = word_save_as_html()
    articles.append(word[word.index("<div class=WordSection1"):word.rindex("</body>")])
    if PINGTAN.exists():
        page = PINGTAN.read_bytes().decode("utf-8", errors="replace")
        body = re.search(r"<body[^>]*>(.*)</body>", page, re.S | re.I)
        articles.append(body.group(1) if body else page)
    return articles


def html_input(size: int) -> str:
    """One page whose article is the articles above, repeated until `size` bytes of UTF-8."""
    articles = html_articles()
    head = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>report</title></head><body><div class="main">'
    tail = "</div></body></html>"
    parts, total, i = [head], len(head) + len(tail), 0
    while total < size:
        part = f'<div class="article">{articles[i % len(articles)]}</div>\n'
        parts.append(part)
        total += len(part.encode("utf-8"))
        i += 1
    return "".join(parts) + tail


def docx_input(size: int, path: Path) -> int:
    """A DOCX whose word/document.xml is seed 002's body (paragraphs and three Word tables with
    merged cells, as python-docx writes them) repeated until `size` bytes; returns that size.
    A DOCX is measured by its inflated main part, which is what gongkai reads and limits: the
    zip of a repeated body is a small fraction of it."""
    import zipfile

    from test_read_html import PARAGRAPHS, TABLES
    from test_readers import build_docx

    seed = path.with_name("seed.docx")
    build_docx(seed, PARAGRAPHS, TABLES)
    with zipfile.ZipFile(seed) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    head_end, tail_start = xml.index("<w:body>") + len("<w:body>"), xml.rindex("<w:sectPr")
    head, body, tail = xml[:head_end], xml[head_end:tail_start], xml[tail_start:]
    copies = max(1, round((size - len(head) - len(tail)) / len(body.encode("utf-8"))))
    main = (head + body * copies + tail).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, main if name == "word/document.xml" else data)
    seed.unlink()
    return len(main)


def child(paths: list[Path], env: dict[str, str], timeout: float) -> dict:
    cmd = [sys.executable, "-c", CHILD, *map(str, paths)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish in {timeout:.0f} s", "seconds": timeout, "rss_kb": 0}
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1:]}", "seconds": 0, "rss_kb": 0}
    return json.loads(done.stdout.strip().splitlines()[-1])


def best(paths: list[Path], env: dict[str, str], rounds: int, timeout: float) -> dict:
    """The minimum time and the minimum peak RSS over `rounds` fresh processes, each parsing `paths`."""
    runs = [child(paths, env, timeout) for _ in range(rounds)]
    if any("error" in r for r in runs):
        return next(r for r in runs if "error" in r)
    return {"seconds": min(r["seconds"] for r in runs) if paths else None, "rss_kb": min(r["rss_kb"] for r in runs)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,2,4,8,16", help="sizes in MB (MiB), comma-separated")
    ap.add_argument("--formats", default="txt,html,docx")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--keep", help="write the inputs to this folder and keep them")
    ap.add_argument("--no-beyond", action="store_true", help="skip the one input per format past the limits")
    args = ap.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    env = dict(os.environ, PYTHONPATH=str(ROOT))

    print(f"machine: {machine()}")
    import_floor = best([], env, args.rounds, args.timeout)
    one = best([SOURCES[0]], env, args.rounds, args.timeout)
    every = best(SOURCES, env, args.rounds, args.timeout)
    print(f"floor: `import gongkai` alone {import_floor['rss_kb'] / 1024:.0f} MB RSS; "
          f"one corpus report ({SOURCES[0].name}, {SOURCES[0].stat().st_size / 1024:.0f} KB) "
          f"{one['seconds'] * 1000:.0f} ms, {one['rss_kb'] / 1024:.0f} MB RSS;\n"
          f"       the corpus's {len(SOURCES)} text reports ({sum(p.stat().st_size for p in SOURCES) / 1024:.0f} KB) "
          f"in one process {every['seconds']:.1f} s, {every['rss_kb'] / 1024:.0f} MB RSS "
          "(jieba's dictionary, loaded for a narrative.other subject, is most of it)")
    print(f"min of {args.rounds} fresh processes per size; RSS/MB is the peak above the import floor, per MB\n")
    print(f"{'format':6} {'MB':>5} {'chars':>10} {'time s':>8} {'s/MB':>6} {'RSS MB':>7} {'RSS/MB':>7}"
          f" {'step s/MB':>9} {'step RSS/MB':>11}")
    floor_mb = import_floor["rss_kb"] / 1024
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for fmt in args.formats.split(","):
            before = None  # (MB, seconds, RSS MB) of the size before: the step from it shows the growth
            for size in sizes + ([] if args.no_beyond else [BEYOND[fmt]]):
                path = folder / f"scale-{size:g}mb.{fmt}"
                if fmt == "docx":
                    megabytes, chars = docx_input(int(size * MB), path) / MB, "-"
                else:
                    text = {"txt": text_input, "html": html_input}[fmt](int(size * MB))
                    path.write_text(text, encoding="utf-8")
                    megabytes, chars = path.stat().st_size / MB, f"{len(text):,}"
                result = best([path], env, args.rounds, args.timeout)
                if "error" in result:
                    print(f"{fmt:6} {megabytes:5.1f} {chars:>10} {result['error']}")
                    continue
                rss = result["rss_kb"] / 1024
                step = (f" {(result['seconds'] - before[1]) / (megabytes - before[0]):9.2f}"
                        f" {(rss - before[2]) / (megabytes - before[0]):11.0f}") if before else ""
                print(f"{fmt:6} {megabytes:5.1f} {chars:>10} {result['seconds']:8.1f} "
                      f"{result['seconds'] / megabytes:6.2f} {rss:7.0f} {(rss - floor_mb) / megabytes:7.0f}{step}",
                      flush=True)
                before = (megabytes, result["seconds"], rss)


if __name__ == "__main__":
    main()
