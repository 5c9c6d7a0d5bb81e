"""sinks: where ``gongkai corpus -o`` writes, so that a run killed at any point can be resumed.

Each sink knows the files already in its output (``done``) and appends in units that are either
whole or absent after a kill:

- ``.jsonl``: a line per file, flushed; a last line without its newline is cut off on resume.
- ``.csv``: rows appended in batches after a header row; ``<out>.csv.offset`` holds the size of
  the file after the last whole batch while the run lasts, and a resumed run cuts the file back
  to it (a long-shape report spans many rows, so a half-written batch must go whole).
- ``.parquet``: a folder of part files, each written under a temporary name and renamed when
  complete; pandas, pyarrow and DuckDB read the folder as one dataset.

A failed file is recorded too (an error row or line), so a resumed run does not try it again.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from .corpus import Failure
from .errors import GongkaiError

_BATCH_ROWS = 2000  # rows held before a CSV or Parquet batch is written
_BATCH_SECONDS = 30.0  # … or this long since the last one, so a slow run still saves its work


class OutputExistsError(GongkaiError):
    """The output exists and the run was not asked to resume it."""


class _Sink:
    shape: str

    def __init__(self, path: Path, shape: str, resume: bool) -> None:
        self.path, self.shape = path, shape
        if self.path.exists() and not resume:
            raise OutputExistsError(f"{path} exists: add --resume to complete it, or remove it first")
        self.done: set[str] = self._recover() if self.path.exists() else set()

    def _recover(self) -> set[str]:
        raise NotImplementedError

    def add(self, path: str, rows: list[dict[str, Any]] | None, line: str | None) -> None:
        raise NotImplementedError

    def fail(self, failure: Failure) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class JsonlSink(_Sink):
    def _recover(self) -> set[str]:
        data = self.path.read_bytes()
        whole = data[: data.rfind(b"\n") + 1]
        if len(whole) < len(data):
            with open(self.path, "r+b") as f:
                f.truncate(len(whole))
        return {json.loads(line)["source"] for line in whole.splitlines() if line.strip()}

    def _open(self) -> Any:
        if not hasattr(self, "_file"):
            self._file = open(self.path, "a", encoding="utf-8")
        return self._file

    def _write(self, line: str) -> None:
        f = self._open()
        f.write(line + "\n")
        f.flush()

    def add(self, path: str, rows: list[dict[str, Any]] | None, line: str | None) -> None:
        assert line is not None
        self._write(line)

    def fail(self, failure: Failure) -> None:
        self._write(json.dumps(failure.record(), ensure_ascii=False))

    def close(self) -> None:
        if hasattr(self, "_file"):
            self._file.close()


class _Batched(_Sink):
    """Rows held in memory and written in batches of whole files."""

    def __init__(self, path: Path, shape: str, resume: bool) -> None:
        super().__init__(path, shape, resume)
        self._rows: list[dict[str, Any]] = []
        self._since = time.monotonic()

    def add(self, path: str, rows: list[dict[str, Any]] | None, line: str | None) -> None:
        assert rows is not None
        self._rows.extend(rows or [{"report_id": path}])  # a report without values still shows it was done
        self._maybe_flush()

    def fail(self, failure: Failure) -> None:
        self._rows.append({"report_id": failure.source, "source": failure.source, "error_type": failure.error,
                           "error": failure.message})
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if len(self._rows) >= _BATCH_ROWS or time.monotonic() - self._since >= _BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            from .frames import to_arrow

            self._write(to_arrow(self._rows, self.shape))  # type: ignore[arg-type]
            self._rows = []
        self._since = time.monotonic()

    def _write(self, table: Any) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.flush()


class CsvSink(_Batched):
    @property
    def _offset_file(self) -> Path:
        return self.path.with_name(self.path.name + ".offset")

    def _recover(self) -> set[str]:
        import pyarrow.csv as csv

        if self._offset_file.exists():  # the last run did not close: cut back to its last batch
            with open(self.path, "r+b") as f:
                f.truncate(int(self._offset_file.read_text()))
        table = csv.read_csv(self.path, convert_options=csv.ConvertOptions(include_columns=["report_id"]))
        return set(table.column("report_id").to_pylist())

    def _write(self, table: Any) -> None:
        import pyarrow.csv as csv

        header = not self.path.exists()
        with open(self.path, "ab") as f:
            csv.write_csv(table, f, csv.WriteOptions(include_header=header))
            f.flush()
            os.fsync(f.fileno())
            size = f.tell()
        tmp = self._offset_file.with_suffix(".tmp")
        tmp.write_text(str(size))
        os.replace(tmp, self._offset_file)

    def close(self) -> None:
        super().close()
        if not self.path.exists():  # nothing parsed: still a file with the header row
            import pyarrow.csv as csv

            from .frames import to_arrow

            csv.write_csv(to_arrow([], self.shape), self.path)  # type: ignore[arg-type]
        self._offset_file.unlink(missing_ok=True)


class ParquetSink(_Batched):
    def _recover(self) -> set[str]:
        import pyarrow.parquet as pq

        if not self.path.is_dir():
            raise OutputExistsError(f"{self.path} is a file, not a folder gongkai wrote; remove it or choose another name")
        for tmp in self.path.glob("*.tmp"):
            tmp.unlink()  # a part the killed run did not finish
        return {rid for part in self._parts() for rid in pq.read_table(part, columns=["report_id"]).column(0).to_pylist()}

    def _parts(self) -> list[Path]:
        return sorted(self.path.glob("part-*.parquet"))

    def _write(self, table: Any) -> None:
        import pyarrow.parquet as pq

        self.path.mkdir(parents=True, exist_ok=True)
        parts = self._parts()
        number = int(parts[-1].stem.split("-")[1]) + 1 if parts else 0
        final = self.path / f"part-{number:05d}.parquet"
        tmp = final.with_suffix(".tmp")
        pq.write_table(table, tmp)
        os.replace(tmp, final)

    def close(self) -> None:
        super().close()
        if not self.path.exists():  # nothing parsed: still a dataset with the schema
            self._rows = []
            from .frames import to_arrow

            self._write(to_arrow([], self.shape))  # type: ignore[arg-type]


class PrintSink(_Sink):
    """No file: each report as a JSON line (``json``) or a line of a tab-separated table."""

    COLUMNS = ("report_id", "agency", "year", "template", "sections", "values", "errors", "codes")

    def __init__(self, echo: Any, shape: str) -> None:
        self.echo, self.shape, self.done = echo, shape, set()
        if shape != "json":
            echo("\t".join(self.COLUMNS))

    def add(self, path: str, rows: list[dict[str, Any]] | None, line: str | None) -> None:
        if line is not None:
            self.echo(line)
            return
        assert rows
        row = rows[0]
        row["values"] = sum(v == "printed" for k, v in row.items() if k.endswith(":state"))
        self.echo("\t".join("-" if row.get(c) in (None, "") else str(row[c]) for c in self.COLUMNS))

    def fail(self, failure: Failure) -> None:
        if self.shape == "json":
            self.echo(json.dumps(failure.record(), ensure_ascii=False))
        else:
            self.echo(f"{failure.source}\tERROR\t{failure.error}: {failure.message}")

    def close(self) -> None:
        pass


def open_sink(output: str | os.PathLike[str], shape: str, resume: bool) -> _Sink:
    """The sink for an output path, by its suffix; OutputExistsError when it exists and not resume."""
    path = Path(output)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return JsonlSink(path, "json", resume)
    if suffix == ".csv":
        return CsvSink(path, shape, resume)
    if suffix == ".parquet":
        return ParquetSink(path, shape, resume)
    raise GongkaiError(f"{output}: the output must end in .parquet, .csv or .jsonl")
