"""Article extraction from web pages: gongkai's reader against trafilatura, run by hand.

    python benchmarks/html_article.py      (trafilatura is optional: pip install trafilatura)

The pages are the site shapes of tests/test_read_html.py (seed 002 laid out by several kinds of
site builder) and the real page ../shared/corpus/pingtan/2015-qu.html. For each page and each
extractor: the share of the report's gold values the full gongkai pipeline reads from the
extracted text (trafilatura's text goes through gongkai.parse_text), whether the six (or
pre-2019) sections are all found, how many strings of site chrome leaked in, and the time to
extract. Figures go in docs/robustness.md.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import gongkai  # noqa: E402
from gongkai.read_html import decode_html, read  # noqa: E402
from test_read_html import CHROME, PAGES  # noqa: E402


def pages() -> list[tuple[str, bytes, str]]:
    """(name, page bytes, gold id)."""
    out = [(name, make().encode("utf-8"), "002_8f8da75a091af576") for name, make in PAGES.items()]
    real = ROOT.parent / "shared" / "corpus" / "pingtan" / "2015-qu.html"
    if real.exists():
        out.append(("pingtan-2015-qu (real)", real.read_bytes(), "pingtan-2015-qu"))
    return out


def gongkai_text(data: bytes) -> str:
    return read(data, "page.html").text


def trafilatura_text(data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(decode_html(data), include_tables=True, include_comments=False,
                               favor_recall=True) or ""


def score(text: str, gold: dict) -> tuple[float, bool, int]:
    """Share of gold values read, all gold sections found, chrome strings present."""
    try:
        report = gongkai.parse_text(text)
    except gongkai.GongkaiError:
        return 0.0, False, 0
    values = report.values()
    hits = sum(values.get(k) == v for k, v in gold["values"].items())
    sections = [[s.kind, s.title] for s in report.sections] == gold["sections"]
    return hits / len(gold["values"]), sections, sum(c in text for c in CHROME)


def main() -> None:
    extractors = {"gongkai": gongkai_text}
    try:
        import trafilatura

        extractors[f"trafilatura {trafilatura.__version__}"] = trafilatura_text
    except ImportError:
        print("trafilatura is not installed: gongkai alone")
    print(f"{'page':28} {'extractor':18} {'values':>7} {'sections':>8} {'chrome':>6} {'ms':>7}")
    for name, data, gold_id in pages():
        gold = json.loads((ROOT / "corpus" / "gold" / f"{gold_id}.json").read_text(encoding="utf-8"))
        for label, extract in extractors.items():
            extract(data)  # warm up
            start = time.perf_counter()
            text = extract(data)
            ms = (time.perf_counter() - start) * 1000
            share, sections, chrome = score(text, gold)
            print(f"{name:28} {label:18} {share:7.1%} {'all' if sections else 'missing':>8} {chrome:6d} {ms:7.1f}")


if __name__ == "__main__":
    main()
