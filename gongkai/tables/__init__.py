"""tables: Document + sections → Tables (standard tables located, cells keyed and spanned).

The stage runs once per report, in the order of the data:

- ``layout``  a table's text → rows of cells with spans, whatever the layout (DOCX dumps, a cell
  per line, tab grids, PDF lines, markdown, whitespace tables, pre-2019 label-unit-value rows);
- ``keyed``   rows → cells keyed by their printed labels (2019, 2021, any declared generation);
- ``legacy``  rows → cells of the pre-2019 statistics table, keyed by alias;
- ``digits``  cells a crawler ran together, decoded by the table's identities.

The rows, columns and identities come from ``gongkai.template`` (rules/table_*.toml). What does
not map (a renamed row, a custom 近三年 table) is kept as a Table of kind ``unmapped``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Cell, Finding, Section, Table
from ..read import Document
from ..rules import finding
from ..template import generation, newest
from .keyed import parse_value, read_table, unmapped_tables
from .legacy import legacy_tables

__all__ = ["Tables", "parse_value", "tables"]


@dataclass(frozen=True)
class Tables:
    """What the table stage found: the tables, its findings, and the stretches of text the
    tables occupy (the narrative is what is left)."""

    tables: tuple[Table, ...]
    findings: list[Finding]
    regions: tuple[tuple[int, int], ...]


def tables(doc: Document, sections: tuple[Section, ...], template: str | None) -> Tables:
    """The statistical tables of the report, with findings for missing or truncated ones."""
    if template == "pre2019":
        legacy, legacy_findings = legacy_tables(doc)
        return Tables(tuple(legacy), legacy_findings, tuple((t.span.start, t.span.end) for t in legacy if t.span))
    rules = generation(template) if template is not None and template != "pre2019" else newest()
    out: list[Table] = []
    findings: list[Finding] = []
    unmapped: list[Cell] = []
    taken: list[tuple[int, int]] = []  # regions whose table was read
    regions: list[tuple[int, int]] = []  # every region located, read or not: never narrative
    for table_rules in rules.tables.values():
        table, reading = read_table(doc, sections, table_rules, rules.name)
        findings.extend(reading.findings)
        if reading.region is not None:
            regions.append(reading.region)
            if table is not None:
                taken.append(reading.region)
        unmapped.extend(reading.unmapped)
        if table is None:
            findings.append(finding("table_missing", table=table_rules.number, title=table_rules.title))
            continue
        out.append(table)
    if unmapped:
        out.append(Table(kind="unmapped", template=rules.name, title="unmapped rows of the standard tables",
                         cells=tuple(unmapped)))
    out.extend(unmapped_tables(doc, taken))
    return Tables(tuple(out), findings, tuple(regions))
