"""dask: the corpus beyond one machine (the [dask] extra), the same functions mapped.

``frame(paths)`` is a Dask DataFrame of the fixed wide (or long) schema of ``gongkai.frames``,
one partition per ``files_per_partition`` files, each made by ``gongkai.frame`` on a worker:
``gongkai.dask.frame(paths).to_parquet("out/")`` runs on whatever scheduler is active (a
``distributed.Client`` connected to a cluster, or the local threads). A file that fails is an
error row, as everywhere; a worker that dies (a segfault, the OOM killer) fails its whole
partition, which Dask retries on another worker and then reports — use the corpus command for a
run that must survive those file by file. ``gongkai corpus --scheduler ADDRESS`` is the streaming, resumable
alternative; docs/data.md says how to run either on a real cluster.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any, Literal

from .corpus import report_files
from .errors import MissingExtraError


def _partition(paths: list[str], shape: str) -> Any:
    from .frames import frame as local_frame

    return local_frame(paths, shape=shape, workers=1)  # type: ignore[arg-type]


def frame(paths: Iterable[str | os.PathLike[str]], shape: Literal["wide", "long"] = "wide",
          files_per_partition: int = 64) -> Any:
    """A Dask DataFrame of every report under ``paths`` (files and folders), fixed schema."""
    try:
        import dask.dataframe as dd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingExtraError("dask is needed: pip install 'gongkai[dask]'") from exc
    from .frames import arrow_schema

    files = report_files(paths)
    chunks = [files[i : i + files_per_partition] for i in range(0, len(files), files_per_partition)] or [[]]
    meta = arrow_schema(shape).empty_table().to_pandas()
    return dd.from_map(_partition, chunks, shape=shape, meta=meta, enforce_metadata=False)
