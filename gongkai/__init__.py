"""gongkai: read 政府信息公开工作年度报告 into typed, source-linked numbers and findings.

>>> import gongkai
>>> r = gongkai.parse_text("某某局2023年政府信息公开工作年度报告\\n一、总体情况\\n")
>>> r.meta.year
2023
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any, Literal

from .corpus import Failure, parse_many
from .errors import GongkaiError, NotAReportError, UnknownKeyError
from .models import Box, Cell, Fact, Finding, Meta, Report, Section, Span, Table
from .read import Document, read, read_text
from .reconcile import reconcile_series
from .report import build

__version__ = "0.1.0"

__all__ = [
    "Box", "Cell", "Document", "Fact", "Failure", "Finding", "GongkaiError", "Meta", "NotAReportError", "Report",
    "Section", "Span", "Table", "UnknownKeyError", "agency_key", "findings_frame", "frame", "group_by_agency",
    "panel", "parse", "parse_many", "parse_text", "reconcile_series", "__version__",
]


def parse(path: str | os.PathLike[str]) -> Report:
    """Parse one report file (.txt; .pdf/.docx/.html with their extras) into a Report.

    >>> r = gongkai.parse("corpus/000_fe1734465fe07058.txt")
    >>> r.meta.agency, r.value("applications.new.total")
    ('济宁市投资促进局', 0)
    """
    return build(read(path))


def parse_text(text: str, source: str | None = None) -> Report:
    """Parse a report already in memory as text.

    >>> gongkai.parse_text("某某局2023年政府信息公开工作年度报告\\n一、总体情况\\n").meta.year
    2023
    """
    return build(read_text(text, source))


# The frame functions live in modules that `python -m` runs to write docs/data.md and
# docs/panel.md; importing them here would run them twice. They import pandas only when called.


def frame(data: Any, shape: Literal["wide", "long"] = "wide", workers: int | None = 1) -> Any:
    """Reports or paths (files, folders) as one pandas DataFrame of the fixed schema
    (docs/data.md): a row per report (wide) or per value (long); a failed file is an error row.

    >>> len(gongkai.frame(["corpus/000_fe1734465fe07058.txt"]))
    1
    """
    from .frames import frame as make

    return make(data, shape, workers)


def findings_frame(data: Any, workers: int | None = 1) -> Any:
    """One row per finding of the reports or paths given; the same columns when there is none.

    >>> "code" in gongkai.findings_frame(["corpus/000_fe1734465fe07058.txt"]).columns
    True
    """
    from .frames import findings_frame as make

    return make(data, workers)


def panel(data: Any, workers: int | None = 1) -> Any:
    """The harmonised measures across template generations, one row per report (docs/panel.md).

    >>> len(gongkai.panel(["corpus/000_fe1734465fe07058.txt"]))
    1
    """
    from .harmonise import panel as make

    return make(data, workers)


def agency_key(name: str | None) -> str | None:
    """The printed agency name as grouped across years (淮安市洪泽区人民政府 → 洪泽区).

    >>> gongkai.agency_key("淮安市洪泽区人民政府") == gongkai.agency_key("洪泽区人民政府")
    True
    """
    from .harmonise import agency_key as key

    return key(name)


def group_by_agency(reports: Iterable[Report]) -> dict[str, list[Report]]:
    """Reports by ``agency_key``, each group ordered by year, for ``reconcile_series``.

    >>> r = gongkai.parse("corpus/000_fe1734465fe07058.txt")
    >>> [len(g) for g in gongkai.group_by_agency([r]).values()]
    [1]
    """
    from .harmonise import group_by_agency as group

    return group(reports)
