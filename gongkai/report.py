"""report: run the stages over one Document into a Report; render a Report for people."""

from __future__ import annotations

from .errors import NotAReportError
from .facts import facts
from .models import Report
from .read import Document
from .reconcile import reconcile
from .segment import meta, sections, template_of
from .tables import tables


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
        tables=found.tables,
        facts=facts(doc, found_sections, report_meta.year, found.regions),
        findings=tuple(meta_findings + section_findings + found.findings),
    )
    return report.model_copy(update={"findings": report.findings + tuple(reconcile(report))})


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
