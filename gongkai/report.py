"""report: run the stages over one Document into a Report; render a Report for people."""

from __future__ import annotations

from typing import TypeVar

from .errors import NotAReportError
from .facts import facts
from .models import Fact, Finding, Report, Table
from .read import Document, damage_findings
from .reconcile import reconcile
from .segment import meta, sections, template_of
from .tables import tables

F = TypeVar("F", Fact, Finding)


def build(doc: Document) -> Report:
    """Document → Report: meta once, sections, tables, the narrative the tables leave, then
    reconcile over the whole."""
    report_meta, meta_findings = meta(doc, template_of(doc))
    found_sections, section_findings = sections(doc, report_meta.template)
    found = tables(doc, found_sections, report_meta.template)
    if not (found_sections or found.tables or report_meta.template or report_meta.period_start):
        raise NotAReportError(
            f"{doc.source or 'input'}: not a government information-disclosure annual report "
            "(no section, statistics table, template header or statistics period of one); give the report itself")
    report = Report(
        source=doc.source,
        format=doc.format,
        text=doc.text,
        meta=report_meta,
        sections=found_sections,
        tables=_placed(doc, found.tables),
        facts=tuple(_paged(doc, f) for f in facts(doc, found_sections, report_meta.year, found.regions)),
        findings=tuple(damage_findings(doc) + meta_findings + section_findings + found.findings),
        page_starts=doc.page_starts,
    )
    found_findings = report.findings + tuple(reconcile(report))
    # A new Report rather than model_copy: constructing it binds the parts to it, for display.
    return Report.model_validate(dict(report) | {"findings": tuple(_paged(doc, f) for f in found_findings)})


def _paged(doc: Document, item: F) -> F:
    """A fact or finding with the PDF page of its first character (None elsewhere)."""
    spans = [item.span] if isinstance(item, Fact) else list(item.spans)
    if not spans or not doc.page_starts:
        return item
    return item.model_copy(update={"page": doc.page_of(spans[0].start)})


def _placed(doc: Document, found: tuple[Table, ...]) -> tuple[Table, ...]:
    """Tables of a PDF with each cell's box on its page (``pages``, imported for PDFs only)."""
    if doc.data is None:
        return found
    from .pages import cell_boxes

    return cell_boxes(doc, found)


def summary(report: Report) -> str:
    """A few readable lines: who, which year, which sections, how many values and findings."""
    m = report.meta
    values = report.values()
    lines = [
        f"{report.source or '<text>'}",
        f"  agency:   {m.agency}",
        f"  year:     {m.year}   template: {m.template}   period: {m.period_start} – {m.period_end}",
        f"  sections: {', '.join(s.kind + ('*' if s.recovered else '') for s in report.sections) or '-'}",
        f"  tables:   {', '.join(t.kind for t in report.tables) or '-'}   "
        f"values: {sum(v is not None for v in values.values())} of {len(values)}   facts: {len(report.facts)}",
    ]
    for f in report.findings:
        lines.append(f"  [{f.severity}] {f.code}: {f.message}")
    return "\n".join(lines)
