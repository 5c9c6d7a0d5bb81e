"""corpus: many files → Reports or rows, and the gold-standard evaluation.

``run`` parses files in a process pool, one failure never stopping the rest (a failed file
gives a row with its error). ``evaluate`` compares Reports with the hand-checked gold in
``corpus/gold/*.json`` field by field.

Gold file format (one per report)::

    {"sources": ["corpus/000_x.txt", "../shared/corpus/pdf/a.pdf"],   # each must give the gold
     "meta": {"agency": …, "year": …, "template": …, "period_start": "2023-01-01", …},
     "sections": [["general", "总体情况"], …],                            # kind, printed title
     "values": {"applications.new.total": 0, …},                        # table cells, null = blank
     "facts": [["narrative.proactive.total", 206], …],                  # narrative counts
     "findings": ["template_outdated", …],                               # expected finding codes
     "known_failures": {"values.x": "why", "values.z@a.txt": "why"},    # strict: must still fail
     "notes": {"values.y": "why the gold says what it says"}}            # for people; not compared

Paths in ``sources`` are relative to the gold file's project root (the parent of ``corpus/``).
A source under ``../shared`` that is absent is skipped, with the reason, not failed.

A known failure names one field, never a group: ``values.<key>``, ``meta.<key>``, a missing fact
``facts.["<key>", <value>]`` and a spurious one ``facts.unexpected.["<key>", <value>]`` (``#2``,
``#3`` … for the second, third of equal items). It counts as not matched. Beside the groups,
``Evaluation.accuracy`` reports rows that zeros and catch-alls cannot flatter: ``values_nonzero``
(gold numbers other than 0 and blank), ``facts_keyed`` and ``facts_other`` (``narrative.other``).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import GongkaiError
from .models import Report

NARRATIVE_PREFIX = "narrative."
OTHER_FACT = "narrative.other"  # the catch-all key: a count no rule could name


def _parse(path: str) -> Report:
    from . import parse

    return parse(path)


def _row(path: str) -> dict[str, Any]:
    """One flat row per file: meta, counts, every value; the error instead when it failed."""
    try:
        report = _parse(path)
    except GongkaiError as exc:
        return {"path": path, "error": f"{type(exc).__name__}: {exc}"}
    row: dict[str, Any] = {"path": path, "error": None}
    row.update({f"meta.{k}": v for k, v in report.meta.model_dump(mode="json").items()})
    row["sections"] = ",".join(s.kind for s in report.sections)
    row["findings"] = ",".join(f.code for f in report.findings)
    row["errors"] = sum(f.severity == "error" for f in report.findings)
    row.update(report.values())
    return row


def report_files(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Files to parse: the files given, and the report files inside the folders given."""
    suffixes = {".txt", ".pdf", ".docx", ".html", ".htm"}
    out: list[str] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(str(f) for f in sorted(p.rglob("*"))
                       if f.suffix.lower() in suffixes and f.is_file() and f.name.upper() != "README.TXT")
        else:
            out.append(str(p))
    return out


def run(paths: Iterable[str | os.PathLike[str]], workers: int | None = None) -> Iterator[dict[str, Any]]:
    """Rows for every report file, in input order; a process pool when workers != 1."""
    files = report_files(paths)
    if workers == 1 or len(files) < 4:
        yield from map(_row, files)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_row, files, chunksize=8)


def to_arrow(rows: Iterable[dict[str, Any]]):
    """Rows (from ``run``) as a pyarrow Table, one column per key (the ``[frame]`` extra)."""
    try:
        import pyarrow as pa
    except ImportError as exc:  # pragma: no cover - depends on the environment
        from .errors import MissingExtraError

        raise MissingExtraError("pyarrow is needed: pip install 'gongkai[frame]'") from exc
    rows = list(rows)
    columns = sorted({k for row in rows for k in row}, key=lambda k: (k != "path", "." in k, k))
    return pa.table({c: [row.get(c) for row in rows] for c in columns})


def to_pandas(rows: Iterable[dict[str, Any]]):
    """Rows as a pandas DataFrame (the ``[frame]`` extra)."""
    import importlib.util

    if importlib.util.find_spec("pandas") is None:  # pyarrow's to_pandas needs it: say so here
        from .errors import MissingExtraError

        raise MissingExtraError("pandas is needed: pip install 'gongkai[frame]'")
    return to_arrow(rows).to_pandas()


def dask_bag(paths: Iterable[str | os.PathLike[str]], partition_size: int = 64):
    """A Dask bag of rows for a cluster (the ``[dask]`` extra): the same function, mapped."""
    try:
        import dask.bag as db
    except ImportError as exc:  # pragma: no cover - depends on the environment
        from .errors import MissingExtraError

        raise MissingExtraError("dask is needed: pip install 'gongkai[dask]'") from exc
    return db.from_sequence(report_files(paths), partition_size=partition_size).map(_row)


# --- evaluation against gold ---------------------------------------------------------------


@dataclass
class Comparison:
    """One gold field compared with what gongkai read."""

    gold_id: str
    source: str
    field: str  # e.g. meta.agency, values.applications.new.total, facts, sections
    expected: Any
    actual: Any
    known_failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.expected == self.actual

    @property
    def matched(self) -> bool:
        """Read right and not excused: a known failure never counts as matched."""
        return self.ok and self.known_failure is None

    @property
    def group(self) -> str:
        return self.field.split(".")[0]

    @property
    def subset(self) -> str | None:
        """The row that reports this field apart, so that zeros and catch-alls cannot flatter."""
        if self.group == "values":
            gold = self.expected  # a number, None (printed blank) or "<absent>" (not printed)
            number = isinstance(gold, (int, float)) and not isinstance(gold, bool)
            return "values_nonzero" if number and gold != 0 else None
        if self.group == "facts":
            key = (self.expected or self.actual)[0]  # an unexpected fact has only the actual
            return "facts_other" if key == OTHER_FACT else "facts_keyed"
        return None


@dataclass
class Evaluation:
    comparisons: list[Comparison] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def accuracy(self) -> dict[str, tuple[int, int]]:
        """(matched, total) per field group, then ``all``, ``values_nonzero``, ``facts_keyed``,
        ``facts_other``; rows with no field are left out."""
        rows = sorted({c.group for c in self.comparisons}) + ["all", "values_nonzero", "facts_keyed", "facts_other"]
        counts = {row: [0, 0] for row in rows}
        for c in self.comparisons:
            for row in (c.group, "all", c.subset):
                if row is not None:
                    counts[row][0] += c.matched
                    counts[row][1] += 1
        return {row: (ok, total) for row, (ok, total) in counts.items() if total}



def _actual(report: Report) -> dict[str, Any]:
    return {
        "meta": report.meta.model_dump(mode="json"),
        "sections": [[s.kind, s.title] for s in report.sections],
        "values": report.values(),
        "facts": sorted([f.key, f.value] for f in report.facts),
        "findings": sorted(f.code for f in report.findings),
    }


def compare(gold_id: str, gold: dict[str, Any], source: str, report: Report) -> list[Comparison]:
    """Every field the gold names, compared: meta and values per key, the lists as wholes."""
    actual = _actual(report)
    known = _known_failures(gold, source)
    out: list[Comparison] = []
    for key, expected in gold.get("meta", {}).items():
        name = f"meta.{key}"
        out.append(Comparison(gold_id, source, name, expected, actual["meta"].get(key), known.get(name)))
    for key, expected in gold.get("values", {}).items():
        name = f"values.{key}"
        out.append(Comparison(gold_id, source, name, expected, actual["values"].get(key, "<missing>"),
                              known.get(name)))
    if "values" in gold:  # table keys the gold does not have: a row read that is not printed
        for key in sorted(set(actual["values"]) - set(gold["values"])):
            if not key.startswith(NARRATIVE_PREFIX):
                name = f"values.{key}"
                out.append(Comparison(gold_id, source, name, "<absent>", actual["values"][key], known.get(name)))
    if "sections" in gold:
        out.append(Comparison(gold_id, source, "sections", gold["sections"], actual["sections"],
                              known.get("sections")))
    if "facts" in gold:
        expected = sorted(gold["facts"])
        out.extend(_compare_multiset(gold_id, source, "facts", expected, actual["facts"], known))
    if "findings" in gold:
        out.append(Comparison(gold_id, source, "findings", sorted(gold["findings"]), actual["findings"],
                              known.get("findings")))
    return out


def _known_failures(gold: dict[str, Any], source: str) -> dict[str, str]:
    """The gold's known failures for ``source``: ``field@file`` entries hold for that source only
    (the same report read from its .txt and its .html can fail differently)."""
    name = Path(source).name
    out = {}
    for key, reason in gold.get("known_failures", {}).items():
        field_name, _, only = key.partition("@")
        if not only or only == name:
            out[field_name] = reason
    return out


def _compare_multiset(gold_id, source, name, expected, actual, known) -> list[Comparison]:
    """One comparison per expected item (recall) and one per unexpected item (precision), each
    named by its item, so a known failure excuses one item and a new spurious one fails."""
    want = Counter(json.dumps(x, ensure_ascii=False) for x in expected)
    got = Counter(json.dumps(x, ensure_ascii=False) for x in actual)
    out = []
    for item, n in want.items():
        for i in range(n):
            hit = json.loads(item) if got[item] > i else None
            field_name = f"{name}.{item}" + (f"#{i + 1}" if i else "")  # the 2nd, 3rd … of equal items
            out.append(Comparison(gold_id, source, field_name, json.loads(item), hit, known.get(field_name)))
    for item, n in (got - want).items():
        for i in range(n):
            field_name = f"{name}.unexpected.{item}" + (f"#{i + 1}" if i else "")
            out.append(Comparison(gold_id, source, field_name, None, json.loads(item), known.get(field_name)))
    return out


def gold_files(gold_dir: str | os.PathLike[str]) -> list[Path]:
    d = Path(gold_dir)
    if (d / "gold").is_dir():
        d = d / "gold"
    return sorted(d.glob("*.json"))


def evaluate(gold_dir: str | os.PathLike[str]) -> Evaluation:
    """Parse every source named by the gold files and compare field by field."""
    result = Evaluation()
    for gold_path in gold_files(gold_dir):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        root = gold_path.parent.parent.parent  # corpus/gold/x.json → project root
        for source in gold["sources"]:
            path = (root / source).resolve() if not Path(source).is_absolute() else Path(source)
            if not path.exists():
                result.skipped.append(f"{gold_path.stem}: {source} not found (../shared absent?)")
                continue
            try:
                report = _parse(str(path))
            except GongkaiError as exc:
                result.errors.append(f"{gold_path.stem}: {source}: {type(exc).__name__}: {exc}")
                continue
            result.comparisons.extend(compare(gold_path.stem, gold, source, report))
    return result
