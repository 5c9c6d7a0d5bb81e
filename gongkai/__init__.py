"""gongkai: read 政府信息公开工作年度报告 into typed, source-linked numbers and findings.

>>> import gongkai
>>> r = gongkai.parse_text("某某局2023年政府信息公开工作年度报告\\n一、总体情况\\n")
>>> r.meta.year
2023
"""

from __future__ import annotations

import os

from .errors import GongkaiError
from .models import Box, Cell, Fact, Finding, Meta, Report, Section, Span, Table
from .read import Document, read, read_text
from .reconcile import reconcile_series
from .report import build

__version__ = "0.1.0"

__all__ = [
    "Box", "Cell", "Document", "Fact", "Finding", "GongkaiError", "Meta", "Report", "Section", "Span",
    "Table", "parse", "parse_text", "reconcile_series", "__version__",
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
