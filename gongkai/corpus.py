"""corpus: many files → Reports or rows, failure-isolated; and the gold-standard evaluation.

``parse_many`` parses files in worker processes and yields, in input order, a Report or a
``Failure`` for each: a GongkaiError (the input), any other exception (a bug), a worker that died
(a segfault, the OOM killer) or ran past the per-file timeout — the run goes on. ``write``
(``gongkai corpus -o``) streams rows of the fixed schema (``gongkai.frames``) into Parquet, CSV
or JSONL, resumably (``gongkai.sinks``). ``evaluate`` compares Reports with the hand-checked gold
in ``corpus/gold/*.json`` field by field.

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
import multiprocessing
import os
import signal
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from .errors import GongkaiError
from .models import SCHEMA_VERSION, Report

NARRATIVE_PREFIX = "narrative."
OTHER_FACT = "narrative.other"  # the catch-all key: a count no rule could name
READABLE = (".txt", ".pdf", ".docx", ".html", ".htm")  # the suffixes a folder is searched for


def _parse(path: str) -> Report:
    from . import parse

    return parse(path)


# --- which files ---------------------------------------------------------------------------------


@dataclass
class Listing:
    files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)


def list_files(paths: Iterable[str | os.PathLike[str]]) -> Listing:
    """The files given, and the report files inside the folders given (sorted); the other files
    of those folders are skipped, each with the reason."""
    from .read import _UNSUPPORTED

    out = Listing()
    for p in map(Path, paths):
        if not p.is_dir():
            out.files.append(str(p))
            continue
        for f in sorted(x for x in p.rglob("*") if x.is_file()):
            suffix = f.suffix.lower()
            if f.stem.upper() == "README":
                out.skipped.append((str(f), "a README, not a report"))
            elif suffix in READABLE:
                out.files.append(str(f))
            elif suffix in _UNSUPPORTED:
                out.skipped.append((str(f), f"{suffix} is not read directly: {_UNSUPPORTED[suffix]}"))
            else:
                out.skipped.append((str(f), f"not a report format ({suffix or 'no suffix'}; gongkai reads "
                                    f"{' '.join(READABLE)})"))
    return out


def report_files(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Files to parse: the files given, and the report files inside the folders given."""
    return list_files(paths).files


# --- failure-isolated parsing ----------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """A file that gave no Report. ``crash`` is False when the input is at fault (a GongkaiError:
    unreadable, not a report) and True when gongkai is (another exception, a worker that died or
    timed out).

    >>> [type(r).__name__ for r in gongkai.parse_many(["no-such-report.txt"], workers=1)]
    ['Failure']
    """

    source: str
    error: str  # the exception's type name, or WorkerCrashed / Timeout
    message: str
    crash: bool = False

    def record(self) -> dict[str, Any]:
        """The JSON line of a failed file (docs/data.md).

        >>> Failure("a.txt", "NotAReportError", "not a report").record()["error_type"]
        'NotAReportError'
        """
        return {"schema_version": SCHEMA_VERSION, "source": self.source, "error_type": self.error,
                "error": self.message}


def attempt(work: Callable[[str], Any], path: str) -> Any:
    """``work(path)``, or the Failure that says why not; nothing escapes but a dying process."""
    try:
        return work(path)
    except GongkaiError as exc:
        return Failure(path, type(exc).__name__, str(exc))
    except Exception as exc:  # a bug: the row says so and the run goes on
        return Failure(path, type(exc).__name__, f"gongkai failed: {exc!r}", crash=True)


def _serve(conn: Connection, work: Callable[[str], Any]) -> None:
    """A worker: (index, path) in, (index, result) out, until None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while (task := conn.recv()) is not None:
        index, path = task
        result = attempt(work, path)
        try:
            conn.send((index, result))
        except Exception as exc:  # a result that does not pickle
            conn.send((index, Failure(path, type(exc).__name__, f"gongkai failed: {exc!r}", crash=True)))


@dataclass
class _Worker:
    process: Any
    conn: Connection
    task: tuple[int, str] | None = None
    started: float = 0.0


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"the worker was killed by {signal.Signals(-exitcode).name} (a crash or the OOM killer)"
    return f"the worker exited with status {exitcode} while parsing this file"


class _Pool:
    """Worker processes that each parse one file at a time, replaced when one dies or hangs."""

    def __init__(self, work: Callable[[str], Any], size: int, timeout: float | None) -> None:
        methods = multiprocessing.get_all_start_methods()
        self._context: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._work, self._timeout = work, timeout
        self.workers = [self._spawn() for _ in range(size)]

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child, self._work), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self.workers[self.workers.index(worker)] = self._spawn()

    def submit(self, worker: _Worker, index: int, path: str) -> None:
        worker.task, worker.started = (index, path), time.monotonic()
        worker.conn.send(worker.task)

    def collect(self) -> list[tuple[int, Any]]:
        """Wait for at least one busy worker to finish, die or time out; their results."""
        busy = [w for w in self.workers if w.task is not None]
        wait_for = None
        if self._timeout is not None:
            wait_for = max(0.0, min(w.started + self._timeout for w in busy) - time.monotonic())
        ready = set(wait([x for w in busy for x in (w.conn, w.process.sentinel)], wait_for))
        out = []
        for w in busy:
            assert w.task is not None
            index, path = w.task
            if w.conn in ready:
                try:
                    out.append(w.conn.recv())
                    w.task = None
                    continue
                except (EOFError, OSError):
                    pass  # died after or while sending: a crash below
            if w.conn in ready or w.process.sentinel in ready:
                w.process.join()
                out.append((index, Failure(path, "WorkerCrashed", _death(w.process.exitcode), crash=True)))
            elif self._timeout is not None and time.monotonic() - w.started >= self._timeout:
                out.append((index, Failure(path, "Timeout", f"no result after {self._timeout:g} s; the worker "
                                           "was stopped", crash=True)))
            else:
                continue
            self._replace(w)
        return out

    def close(self) -> None:
        for w in self.workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
        for w in self.workers:
            w.process.join(timeout=1)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.conn.close()


def imap(work: Callable[[str], Any], paths: Iterable[str], workers: int | None = None,
         timeout: float | None = None) -> Iterator[Any]:
    """``work(path)`` or its Failure for each path, in input order. ``workers`` == 1 runs in this
    process (no timeout, no protection from a dying process); otherwise a pool of that many
    processes (default: the cores), at most a few files ahead of the one yielded next."""
    paths = list(paths)
    if workers == 1:
        yield from (attempt(work, p) for p in paths)
        return
    size = max(1, min(workers or os.cpu_count() or 1, len(paths)))
    if not paths:
        return
    pool, pending = _Pool(work, size, timeout), deque(enumerate(paths))
    done: dict[int, Any] = {}
    window, following = 4 * size, 0  # files in flight or waiting to be yielded
    try:
        while following < len(paths):
            for w in pool.workers:
                if w.task is None and pending and pending[0][0] < following + window:
                    pool.submit(w, *pending.popleft())
            done.update(pool.collect())
            while following in done:
                yield done.pop(following)
                following += 1
    finally:
        pool.close()


def parse_many(paths: Iterable[str | os.PathLike[str]], workers: int | None = None,
               timeout: float | None = None) -> Iterator[Report | Failure]:
    """A Report or a Failure for each path, in input order; see ``imap`` for the workers.

    >>> [r.meta.year for r in gongkai.parse_many(["corpus/000_fe1734465fe07058.txt"], workers=1)]
    [2023]
    """
    return imap(_parse, [os.fspath(p) for p in paths], workers, timeout)


# --- a corpus run into a file ------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """What a worker makes of one file for ``write``: rows of a shape (or the JSON line), the
    finding codes, and the narrative sentences for the repetition share."""

    shape: str

    def __call__(self, path: str) -> dict[str, Any]:
        from .frames import rows
        from .harmonise import agency_key
        from .reconcile.series import narrative_sentences

        report = _parse(path)
        out: dict[str, Any] = {"codes": [f.code for f in report.findings]}
        if self.shape == "json":
            out["json"] = report.model_dump_json()
        else:
            out["rows"] = rows(report, self.shape, path)  # type: ignore[arg-type]
        if self.shape == "wide":
            out["series"] = (agency_key(report.meta.agency), report.meta.year, narrative_sentences(report))
        return out


@dataclass
class Summary:
    """What a corpus run did: files parsed, failed (by error type), skipped; findings by code."""

    parsed: int = 0
    already: int = 0  # in the output before a --resume
    failed: Counter[str] = field(default_factory=Counter)
    crashed: Counter[str] = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    codes: Counter[str] = field(default_factory=Counter)

    @property
    def status(self) -> int:
        """3 when gongkai crashed on a file, 2 when a file could not be read, 0 otherwise."""
        return 3 if self.crashed else 2 if self.failed else 0

    def lines(self) -> list[str]:
        out = [f"parsed {self.parsed}" + (f" (+{self.already} already in the output)" if self.already else "")
               + f", failed {sum(self.failed.values()) + sum(self.crashed.values())}, skipped {len(self.skipped)}"]
        out += [f"  failed  {n:>6}  {error}" for error, n in self.failed.most_common()]
        out += [f"  crashed {n:>6}  {error}" for error, n in self.crashed.most_common()]
        out += [f"  finding {n:>6}  {code}" for code, n in sorted(self.codes.items(), key=lambda x: (-x[1], x[0]))]
        return out


def write(paths: Iterable[str | os.PathLike[str]], output: Any, shape: str = "wide",
          workers: int | None = None, resume: bool = False, timeout: float | None = None,
          scheduler: str | None = None, progress: Callable[[str], None] | None = None,
          listing: Listing | None = None) -> Summary:
    """Parse every report under ``paths`` into ``output`` (a .parquet folder, .csv or .jsonl
    path, or a ``gongkai.sinks`` sink) and say what happened. With ``resume``, files already in
    the output are skipped; a run killed at any point leaves an output that a resumed run
    completes without loss or duplicates. ``scheduler``: the address of a Dask cluster to parse
    on instead of local processes; ``progress`` is called after each file."""
    from .reconcile.series import RepetitionTracker
    from .sinks import _Sink, open_sink

    listing = listing or list_files(paths)
    summary = Summary(skipped=listing.skipped)
    sink = output if isinstance(output, _Sink) else open_sink(output, shape, resume)
    todo = [f for f in listing.files if f not in sink.done]
    summary.already = len(listing.files) - len(todo)
    job, tracker = Job("json" if sink.shape == "json" else shape), RepetitionTracker()
    results = _on_cluster(job, todo, scheduler) if scheduler else imap(job, todo, workers, timeout)
    try:
        for path, result in zip(todo, results):
            if isinstance(result, Failure):
                (summary.crashed if result.crash else summary.failed)[result.error] += 1
                sink.fail(result)
            else:
                summary.parsed += 1
                summary.codes.update(result["codes"])
                if "series" in result:
                    share = tracker.add_sentences(*result["series"]).get(result["series"][:2])
                    result["rows"][0]["repetition"] = share
                sink.add(path, result.get("rows"), result.get("json"))
            if progress is not None:
                progress(path)
    finally:
        sink.close()
    return summary


def _on_cluster(job: Job, paths: list[str], address: str) -> Iterator[Any]:
    """``job`` over ``paths`` on an existing Dask cluster, results in input order; a worker
    lost or an exception becomes a Failure of the file."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - depends on the environment
        from .errors import MissingExtraError

        raise MissingExtraError("distributed is needed for --scheduler: pip install 'gongkai[dask]'") from exc
    with Client(address) as client:
        window = 8 * max(1, len(client.nthreads()))
        futures: deque[Any] = deque()
        todo = iter(paths)
        for path in todo:
            futures.append((path, client.submit(attempt, job, path, pure=False)))
            if len(futures) >= window:
                yield _result(*futures.popleft())
        while futures:
            yield _result(*futures.popleft())


def _result(path: str, future: Any) -> Any:
    try:
        return future.result()
    except Exception as exc:  # KilledWorker and the like: the worker died on this file
        return Failure(path, type(exc).__name__, f"the cluster could not parse this file: {exc}", crash=True)


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
