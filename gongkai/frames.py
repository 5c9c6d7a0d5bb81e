"""frame: Reports as tables of one fixed schema — wide, long, and findings (the [frame] extra).

The columns come from the field catalogue (``gongkai.fields.value_keys``), never from the batch:
two batches written to Parquet read back as one dataset with the same dtypes. Three shapes:

- **wide**: one row per report (or per file that failed: ``error_type`` set, values null). Meta
  columns (dates as dates), then per key a nullable integer or decimal column and a companion
  ``<key>:state`` column — ``printed``, ``blank`` (a blank, /, — cell: value null),
  ``not_printed`` (the report has no such row: value null) or ``unreadable`` (printed, but
  gongkai could not read a number: see the report's cell_* findings).
- **long**: one row per value: report id, key, printed label, value, state, unit, source
  (``table`` / ``narrative``), page, span. The rows of a 2019/2021 standard table the report
  does not print are there as ``not_printed``; other absent keys have no row.
- **findings**: one row per finding: report id, code, severity, message, keys, page, span.

Rows are plain dicts (``wide_row``, ``long_rows``, ``finding_rows``), built where a report is
parsed (a worker process); pyarrow and pandas are imported only to turn rows into tables.
docs/data.md is ``markdown()`` (``python -m gongkai.frames > docs/data.md``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cache
from typing import Any, Literal

from .errors import MissingExtraError
from .models import SCHEMA_VERSION, Cell, Report

Shape = Literal["wide", "long", "findings"]
STATE = ":state"  # suffix of a value column's companion
STATES = ("printed", "blank", "not_printed", "unreadable")
# Codes of a number gongkai could not read: a None cell they name is unreadable, not blank.
_READING_CODES = frozenset({"cell_unreadable", "cell_ambiguous", "identities_broken", "split_capped"})
# Keys that hold decimals: 万元/元 amounts and rates. Every other key is a count.
_DECIMAL_KEYS = ("*.amount", "legacy.fees*", "legacy.org.budget*", "narrative.fees.collected",
                 "narrative.applications.completion_rate")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string, int, decimal, date
    doc: str


_META_DOC = ""  # the Meta field's own description (with its Chinese label), filled in by ``_meta_columns``

_META = (
    Column("report_id", "string", "the path as given; for a Report from text, its source or `text:` + a hash"),
    Column("source", "string", "`Report.source`"),
    Column("format", "string", "txt, pdf, docx or html"),
    Column("error_type", "string", "null for a report; for a file that failed, the GongkaiError subclass "
           "(the input: EncodingError, NotAReportError …) or what failed in gongkai (WorkerCrashed, "
           "Timeout, or the exception type)"),
    Column("error", "string", "the error message"),
    Column("agency", "string", _META_DOC),
    Column("agency_key", "string", "the agency as grouped across years (`gongkai.harmonise.agency_key`)"),
    Column("year", "int", _META_DOC),
    Column("template", "string", "2021, 2019 or pre2019"),
    Column("period_start", "date", _META_DOC),
    Column("period_end", "date", _META_DOC),
    Column("published", "date", _META_DOC),
    Column("title", "string", _META_DOC),
    Column("phone", "string", _META_DOC),
    Column("address", "string", _META_DOC),
    Column("website", "string", _META_DOC),
    Column("sections", "string", "the section kinds found, comma-separated"),
    Column("findings", "int", "number of findings"),
    Column("errors", "int", "findings of severity error"),
    Column("codes", "string", "the finding codes, comma-separated, in order"),
    Column("repetition", "decimal", "share (0–1) of the narrative repeating the same agency's report of the "
           "year before (`series_repeated_text`) when that report is in the batch (`gongkai corpus`: "
           "parsed earlier in the run); else null"),
)

_LONG = (
    Column("report_id", "string", "as in the wide frame"),
    Column("key", "string", "canonical key (docs/fields.md); `narrative.other` for counts no rule names"),
    Column("label", "string", "the printed row·column label of a cell, what a narrative count counts"),
    Column("value", "decimal", "the number; null unless state is printed"),
    Column("state", "string", "printed, blank, not_printed or unreadable"),
    Column("unit", "string", "a narrative count's unit as printed (`Fact.unit`); null for table cells"),
    Column("source", "string", "table or narrative"),
    Column("table", "string", "the table kind of a cell (proactive, applications, review, legacy)"),
    Column("raw", "string", "the surface as printed"),
    Column("page", "int", "1-based PDF page, where known"),
    Column("span_start", "int", "start of the surface in `Report.text`"),
    Column("span_end", "int", "end (exclusive)"),
    Column("error_type", "string", "for a file that failed (`gongkai corpus`), its one row: as in the wide frame"),
    Column("error", "string", "the error message"),
)

_FINDINGS = (
    Column("report_id", "string", "as in the wide frame"),
    Column("code", "string", "stable finding code (docs/checks.md)"),
    Column("severity", "string", "error, warning or info"),
    Column("message", "string", "the message, with the arithmetic"),
    Column("keys", "string", "the keys involved, comma-separated"),
    Column("page", "int", "page of the first span, where known"),
    Column("span_start", "int", "the first span's start in `Report.text`"),
    Column("span_end", "int", "the first span's end"),
)


def _meta_columns() -> tuple[Column, ...]:
    from .models import Meta

    fields = Meta.model_fields
    return tuple(Column(c.name, c.type, c.doc or str(fields[c.name].description)) for c in _META)


@cache
def _is_decimal(key: str) -> bool:
    return any(fnmatch(key, pattern) for pattern in _DECIMAL_KEYS)


@cache
def columns(shape: Shape = "wide") -> tuple[Column, ...]:
    """The fixed columns of a shape, in order."""
    if shape == "long":
        return _LONG
    if shape == "findings":
        return _FINDINGS
    if shape != "wide":
        raise ValueError(f"shape must be wide, long or findings, not {shape!r}")
    from .fields import value_keys

    labels = _labels()
    out = list(_meta_columns())
    for key in value_keys():
        out.append(Column(key, "decimal" if _is_decimal(key) else "int", labels.get(key, "")))
        out.append(Column(key + STATE, "string", f"state of `{key}`"))
    return tuple(out)


@cache
def _labels() -> dict[str, str]:
    from .fields import CUMULATIVE, catalogue

    out: dict[str, str] = {}
    for f in catalogue():
        out.setdefault(f.key, f.label)
        out.setdefault(f.key + CUMULATIVE, f"{f.label} (cumulative)")
    return out


# --- rows --------------------------------------------------------------------------------------


def report_id(report: Report) -> str:
    """The id rows of one report share: its source, else a hash of its text."""
    return report.source or "text:" + hashlib.sha1(report.text.encode("utf-8")).hexdigest()[:16]


def _unreadable(report: Report) -> set[str]:
    return {k for f in report.findings if f.code in _READING_CODES for k in f.keys}


def _state(cell: Cell, unreadable: set[str]) -> str:
    if cell.value is not None:
        return "printed"
    return "unreadable" if cell.key in unreadable else "blank"


def _first_cells(report: Report) -> dict[str, tuple[str, Cell]]:
    """Each key's first cell (as ``Report.values`` takes it), with its table's kind."""
    out: dict[str, tuple[str, Cell]] = {}
    for table in report.tables:
        for cell in table.cells:
            if cell.key is not None and cell.key not in out:
                out[cell.key] = (table.kind, cell)
    return out


def wide_row(report: Report, rid: str | None = None, repetition: float | None = None) -> dict[str, Any]:
    """One report as a wide row (every column of ``columns('wide')``)."""
    from .fields import value_keys
    from .harmonise import agency_key

    m = report.meta
    row: dict[str, Any] = {
        "report_id": rid or report_id(report), "source": report.source, "format": report.format,
        "error_type": None, "error": None, "agency": m.agency, "agency_key": agency_key(m.agency),
        "year": m.year, "template": m.template, "period_start": m.period_start, "period_end": m.period_end,
        "published": m.published, "title": m.title, "phone": m.phone, "address": m.address,
        "website": m.website, "sections": ",".join(s.kind for s in report.sections),
        "findings": len(report.findings), "errors": sum(f.severity == "error" for f in report.findings),
        "codes": ",".join(f.code for f in report.findings), "repetition": repetition,
    }
    cells, unreadable = _first_cells(report), _unreadable(report)
    facts = {f.key: f.value for f in reversed(report.facts)}  # the first fact of a key wins
    for key in value_keys():
        decimal = _is_decimal(key)
        value, state = None, "not_printed"
        if key in cells:
            value, state = cells[key][1].value, _state(cells[key][1], unreadable)
        elif key in facts:
            value, state = facts[key], "printed"
        if value is not None and not decimal and value != int(value):
            value, state = None, "unreadable"  # a fraction where a count belongs: the long frame keeps it
        row[key] = value if value is None or decimal else int(value)
        row[key + STATE] = state
    return row


def error_row(rid: str, error_type: str, message: str) -> dict[str, Any]:
    """A wide row for a file that failed: its id and error, no values, no states."""
    return {"report_id": rid, "source": rid, "error_type": error_type, "error": message}


def _standard_keys(report: Report) -> list[str]:
    """The cell keys of the standard tables of the report's 2019/2021 generation."""
    from .template import Generation, generations

    for g in generations():
        if isinstance(g, Generation) and g.name == report.meta.template:
            return [k for t in g.tables.values() for row in t.rows for k in t.cell_keys(row.key)] + [
                k for t in g.tables.values() if t.shape == "single_row" for k, _ in t.columns]
    return []


def long_rows(report: Report, rid: str | None = None) -> list[dict[str, Any]]:
    """One report as long rows: every keyed cell and fact, then standard rows not printed."""
    rid = rid or report_id(report)
    labels, unreadable, out = _labels(), _unreadable(report), []
    for table in report.tables:
        for cell in table.cells:
            if cell.key is None:
                continue
            out.append({"report_id": rid, "key": cell.key, "label": "·".join(filter(None, (cell.row, cell.column))),
                        "value": cell.value, "state": _state(cell, unreadable), "unit": None, "source": "table",
                        "table": table.kind, "raw": cell.raw, "page": cell.page,
                        "span_start": cell.span.start if cell.span else None,
                        "span_end": cell.span.end if cell.span else None})
    for fact in report.facts:
        out.append({"report_id": rid, "key": fact.key, "label": fact.subject or labels.get(fact.key, ""),
                    "value": fact.value, "state": "printed", "unit": fact.unit or None, "source": "narrative",
                    "table": None, "raw": fact.surface, "page": None,
                    "span_start": fact.span.start, "span_end": fact.span.end})
    printed = {r["key"] for r in out}
    out.extend({"report_id": rid, "key": k, "label": labels.get(k, ""), "state": "not_printed", "source": "table"}
               for k in dict.fromkeys(_standard_keys(report)) if k not in printed)
    return out


def finding_rows(report: Report, rid: str | None = None) -> list[dict[str, Any]]:
    """One row per finding; the page is the one of a cell its first span points at."""
    rid = rid or report_id(report)
    pages = {c.span: c.page for t in report.tables for c in t.cells if c.span is not None}
    out = []
    for f in report.findings:
        first = f.spans[0] if f.spans else None
        out.append({"report_id": rid, "code": f.code, "severity": f.severity, "message": f.message,
                    "keys": ",".join(f.keys), "page": pages.get(first) if first else None,
                    "span_start": first.start if first else None, "span_end": first.end if first else None})
    return out


def rows(report: Report, shape: Shape, rid: str | None = None, repetition: float | None = None
         ) -> list[dict[str, Any]]:
    """The rows of one report in a shape."""
    if shape == "wide":
        return [wide_row(report, rid, repetition)]
    return long_rows(report, rid) if shape == "long" else finding_rows(report, rid)


# --- tables ------------------------------------------------------------------------------------


def _require(module: str) -> Any:
    from importlib import import_module

    try:
        return import_module(module)
    except ImportError as exc:
        raise MissingExtraError(f"{module} is needed for frames: pip install 'gongkai[frame]'") from exc


@cache
def arrow_schema(shape: Shape = "wide") -> Any:
    """The pyarrow schema of a shape, with the pandas dtypes in its metadata (so that Parquet
    read back by pandas, pyarrow or DuckDB has the same types whatever the batch)."""
    pa, pd = _require("pyarrow"), _require("pandas")
    dtypes = {"string": "string", "int": "Int64", "decimal": "Float64", "date": pd.ArrowDtype(pa.date32())}
    empty = pd.DataFrame({c.name: pd.Series([], dtype=dtypes[c.type]) for c in columns(shape)})
    schema = pa.Schema.from_pandas(empty, preserve_index=False)
    metadata = {**schema.metadata, b"gongkai": f'{{"shape": "{shape}", "schema_version": {SCHEMA_VERSION}}}'.encode()}
    return schema.with_metadata(metadata)


def to_arrow(batch: Iterable[dict[str, Any]], shape: Shape = "wide") -> Any:
    """Rows of a shape as a pyarrow Table of its fixed schema (absent members are null)."""
    pa = _require("pyarrow")
    schema = arrow_schema(shape)
    batch = list(batch)
    return pa.table({name: [r.get(name) for r in batch] for name in schema.names}, schema=schema)


def _inputs(data: Report | str | os.PathLike[str] | Iterable[Any]) -> list[Any]:
    if isinstance(data, (Report, str, os.PathLike)):
        return [data]
    return list(data)


def _reports(data: Any, workers: int | None) -> Iterator[tuple[str, Report | Any]]:
    """(id, Report or Failure) per input, in order; folders expanded, paths parsed by ``parse_many``."""
    from .corpus import parse_many, report_files

    items = [y for x in _inputs(data) for y in ([x] if isinstance(x, Report) else report_files([x]))]
    paths = [os.fspath(x) for x in items if not isinstance(x, Report)]
    parsed = parse_many(paths, workers=workers) if paths else iter(())
    for x in items:
        if isinstance(x, Report):
            yield report_id(x), x
        else:
            yield os.fspath(x), next(parsed)


def frame(data: Any, shape: Literal["wide", "long"] = "wide", workers: int | None = 1) -> Any:
    """Reports, paths (files or folders), or a mix, as one pandas DataFrame of the fixed schema.

    A path that fails gives a wide row with its ``error_type`` (and no long rows); folders are
    expanded like ``gongkai corpus``. ``workers`` > 1 parses paths in that many processes.
    """
    from .corpus import Failure
    from .harmonise import agency_key
    from .reconcile.series import RepetitionTracker

    tracker = RepetitionTracker(limit=None)  # the rows are in memory anyway
    out: list[dict[str, Any]] = []
    wide_at: dict[tuple[str | None, int | None], dict[str, Any]] = {}  # (agency key, year) → its row
    for rid, item in _reports(data, workers):
        if isinstance(item, Failure):
            out += [error_row(rid, item.error, item.message)] if shape == "wide" else []
            continue
        out += rows(item, shape, rid)
        if shape == "wide":
            mine = (agency_key(item.meta.agency), item.meta.year)
            wide_at.setdefault(mine, out[-1])
            for at, share in tracker.add(item).items():
                (out[-1] if at == mine else wide_at[at])["repetition"] = share
    return to_arrow(out, shape).to_pandas()


def findings_frame(data: Any, workers: int | None = 1) -> Any:
    """One row per finding of the reports or paths given (failures have none); an empty list
    gives an empty frame with the same columns."""
    from .corpus import Failure

    out = [r for rid, item in _reports(data, workers) if not isinstance(item, Failure)
           for r in finding_rows(item, rid)]
    return to_arrow(out, "findings").to_pandas()


def read(path: str | os.PathLike[str], shape: Shape = "wide") -> Any:
    """A frame written by ``gongkai corpus -o`` back as pandas, with the fixed dtypes: a Parquet
    file or folder, or a CSV file."""
    pa, pd = _require("pyarrow"), _require("pandas")
    path = os.fspath(path)
    if path.endswith(".csv"):
        csv = _require("pyarrow.csv")
        schema = arrow_schema(shape)
        table = csv.read_csv(path, convert_options=csv.ConvertOptions(column_types=schema, strings_can_be_null=True))
        return pa.table(table.select(schema.names).columns, schema=schema).to_pandas()
    return pd.read_parquet(path)


def markdown() -> str:
    """docs/data.md: the JSON and the three frame shapes, column by column."""
    from .fields import value_keys

    def table(cols: Sequence[Column]) -> str:
        return "| column | type | what |\n|---|---|---|\n" + "".join(
            f"| `{c.name}` | {c.type} | {c.doc} |\n" for c in cols)

    keys = value_keys()
    decimals = [k for k in keys if _is_decimal(k)]
    return _DOC.format(version=SCHEMA_VERSION, meta=table(_meta_columns()), n=len(keys), ncols=len(columns("wide")),
                       decimals=", ".join(f"`{k}`" for k in decimals), long=table(_LONG),
                       findings=table(_FINDINGS), states=", ".join(f"`{s}`" for s in STATES))


_DOC = """# Data out: JSON and frames

Generated by `python -m gongkai.frames > docs/data.md` from the code that writes the data; a test
keeps this page current.

## JSON (schema version {version})

`gongkai parse --json`, `gongkai check --json` and `gongkai corpus -o out.jsonl` write the same
shape: one Report per line, `Report.model_dump_json()`. Its members are `schema_version`
({version}), `source`, `format`, `text` (every span points into it), `meta`, `sections`, `tables`,
`facts`, `findings` and `values` (`Report.values()`). `Report.model_json_schema()` describes all
of it, and `Report.model_validate_json(line)` loads a line back into an equal Report. A file that
failed is a line `{{"schema_version": {version}, "source": …, "error_type": …, "error": …}}`
(`gongkai corpus` only; `parse` and `check` print the error on stderr).

## Frames

`gongkai.frame(reports_or_paths, shape="wide"|"long")`, `Report.to_frame()`,
`gongkai.findings_frame(…)` and `gongkai corpus -o out.parquet|out.csv [--shape wide|long]`
give the same columns whatever the batch: two batches written to Parquet read back as one
dataset (`pandas.read_parquet("dir/")`, `duckdb "select … from 'dir/*.parquet'"`) with the same
dtypes. Integers are pandas `Int64`, decimals `Float64`, text `string`, dates `date32`
(pyarrow-backed); every one of them nullable. `gongkai.frame.read(path)` reads a CSV back with
these types. pandas and pyarrow are imported only when a frame is made.

### wide: one row per report

The meta columns:

{meta}
Then for each of the {n} keys of docs/fields.md (pre-2019 rows also with their `.cumulative`
column), in that order, a value column named by the key and a companion `<key>:state` column
({ncols} columns in all). A value is an integer, except the decimals ({decimals}). The state is
one of {states}: a null value is `blank` when the report printed the cell empty, "/" or "—",
`not_printed` when the report has no such row (a truncated or different table), `unreadable`
when gongkai could not read the printed cell (a `cell_*` or `identities_broken` finding says
why). A narrative count fills its key's column when no table cell does. A file that failed has
`error_type` and `error` set and every value and state null.

### long: one row per value

{long}
Every keyed table cell and every narrative count (including `narrative.other`), then a
`not_printed` row for each cell of the report's 2019/2021 standard tables that it does not
print. Other keys the report lacks have no row. In `gongkai corpus` output, a report with no
value at all has one row with a null key, and a file that failed one row with its error.

### findings

{findings}
## Corpus runs

`gongkai corpus PATH... -o OUT` streams rows into OUT as files are parsed: `out.parquet` is a
folder of part files (each complete or absent), `out.csv` one file with a header row,
`out.jsonl` a Report per line. Failed files are rows too (`error_type`), so `--resume` skips
every file already in OUT and a killed run, resumed, loses and repeats nothing. The
`repetition` column is filled when the agency's report of the year before was parsed earlier
in the same run (files in name order usually put the years in order); `gongkai series` gives the
share for every pair.

## On a cluster

Two ways, both with the `[dask]` extra installed on the client and on every worker (the same
gongkai version, the report files on a path every worker can read: a shared file system or
object storage mounted alike):

1. Streaming and resumable, output written by the client:
   `dask scheduler` on one machine, `dask worker tcp://SCHEDULER:8786 --nworkers 8
   --nthreads 1` on each worker machine, then
   `gongkai corpus /shared/reports -o out.parquet --scheduler tcp://SCHEDULER:8786`.
   A worker lost while parsing a file (the cluster retries it, then gives up) is an error row
   (`KilledWorker`); the per-file `--timeout` applies to local workers only.
2. A Dask DataFrame, written by the workers:

   ```python
   from distributed import Client
   import gongkai.dask
   client = Client("tcp://SCHEDULER:8786")
   gongkai.dask.frame(["/shared/reports"], files_per_partition=64).to_parquet("/shared/out/")
   ```

   The file list is made on the client; each partition parses its files with
   `gongkai.frame` on a worker, with the same fixed schema (the `meta` of the DataFrame).
"""


if __name__ == "__main__":
    print(markdown(), end="")
