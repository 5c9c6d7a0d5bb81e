"""Meta, format and structure (FORMATS §8.5: FMT2–FMT7, N12, N14, R3.6): the report as a document.

The template fits the year; the title, the statistics period and the "next year" phrases name
the right years; the report came out in time; tables 3 and 4 print numbers, not blanks;
section 五 names problems and measures; section 一 covers the topics the 2021 format asks for;
applications carried into next year are explained.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..models import Span
from ..read import fold
from ..rules import compiled, finding
from ..template import Generation, generations
from ._view import Outcome, _fmt, _View, reconcile_rules

BLANK_TABLES = ("applications", "review")  # FMT4 is about tables 3 and 4: table 2 leaves 不适用 cells blank


def _standard() -> list[Generation]:
    """The standard template generations, newest first."""
    return [g for g in generations() if isinstance(g, Generation)]


# --- meta (FMT2, FMT5, FMT6, N12) ------------------------------------------------------------


def template_matches_year(view: _View) -> Iterator[Outcome]:
    """FMT2: a report uses the newest tables in force for its year: from 2021 the 2021 tables (``template_outdated``)."""
    m = view.report.meta
    if m.year is None:
        return
    used = next((g for g in _standard() if g.name == m.template), None)
    due = next((g for g in _standard() if g.since <= m.year), None)  # newest first: the one in force
    if used is not None and due is not None and used.since < due.since:
        yield finding("template_outdated", year=m.year, template=m.template)


def title_year_matches_period(view: _View) -> Iterator[Outcome]:
    """FMT5: the year in the title equals the year of the stated statistics period (``year_mismatch``)."""
    m = view.report.meta
    if not m.title or m.period_start is None:
        return
    found = compiled(reconcile_rules().title_year).search(fold(m.title))
    if found and int(found.group("year")) != m.period_start.year:
        yield finding("year_mismatch", title_year=found.group("year"), period_year=m.period_start.year)


def period_is_calendar_year(view: _View) -> Iterator[Outcome]:
    """FMT5: the statistics period runs 1 January to 31 December of the report year."""
    m = view.report.meta
    start, end = m.period_start, m.period_end
    if start is None or end is None:
        return
    if (start.month, start.day, end.month, end.day) != (1, 1, 12, 31) or start.year != end.year:
        yield finding("period_not_calendar_year", start=start.isoformat(), end=end.isoformat(),
                      year=m.year or start.year)


def published_in_time(view: _View) -> Iterator[Outcome]:
    """FMT6: published by 3月31日 of the next year (governments; every agency before 2019), by
    1月31日 (departments, 2019 条例). The date is the page's, else the report's signing date."""
    m = view.report.meta
    if m.published is None or m.year is None:
        return
    rules = reconcile_rules()
    if m.template == "pre2019" or m.year < 2019:
        month, day = rules.deadline_pre2019
    elif m.agency and compiled(rules.government).search(m.agency):
        month, day = rules.deadline_government
    else:
        month, day = rules.deadline_department
    deadline = date(m.year + 1, month, day)
    if m.published > deadline:
        yield finding("published_late", published=m.published.isoformat(), deadline=deadline.isoformat(),
                      days=(m.published - deadline).days)


def next_year_phrase(view: _View) -> Iterator[Outcome]:
    """N12: a "next year" phrase (展望YYYY年) must name the year after the report year."""
    year = view.report.meta.year
    if year is None:
        return
    folded = fold(view.report.text)
    for pattern in reconcile_rules().next_year:
        for m in compiled(pattern).finditer(folded):
            if int(m.group("year")) != year + 1:
                span = Span(start=m.start(), end=m.end())
                yield finding("next_year_mismatch", spans=[span], surface=span.of(view.report.text),
                              year=year, expected=year + 1)


# --- structure and coverage (FMT4, FMT7, N14, R3.6) ------------------------------------------


def blank_cells(view: _View) -> Iterator[Outcome]:
    """FMT4: cells of tables 3 and 4 printed blank, "/" or "—" (not 0): one finding with the count."""
    blank = [c for key, c in view.cells.items() if c.value is None and view.kind_of[key] in BLANK_TABLES
             and not any(ch.isdigit() for ch in c.raw)]
    if blank:
        empty = reconcile_rules().labels["blank"]
        marks = "、".join(dict.fromkeys(c.raw.strip() or empty for c in blank))
        yield finding("cell_blank", keys=[c.key for c in blank], spans=[c.span for c in blank if c.span],
                      count=len(blank), marks=marks)


def _section_body(view: _View, kind: str) -> str | None:
    section = view.report.section(kind)
    if section is None:
        return None
    start = section.span.start if section.heading is None else section.heading.end  # a recovered one has no heading
    return fold(view.report.text[start : section.span.end])


def problems_section(view: _View) -> Iterator[Outcome]:
    """FMT7 (2019, 2021): section 五 names problems and the measures taken, and is not just 无."""
    body = _section_body(view, "problems")
    if body is None or view.template not in {g.name for g in _standard()}:
        return
    rules = reconcile_rules()
    if compiled(rules.empty_body).match(body):
        yield finding("problems_section_thin", reason="empty")
        return
    missing = [name for name, words in (("problems", rules.problem_words), ("measures", rules.measure_words))
               if not compiled(words).search(body)]
    if missing:
        yield finding("problems_section_thin", reason="/".join(missing))


def general_coverage(view: _View) -> Iterator[Outcome]:
    """N14 (2021): section 一 总体情况 covers 主动公开, 依申请公开, 政府信息管理, 平台建设, 监督保障."""
    body = _section_body(view, "general")
    if body is None or view.template != "2021":  # a requirement of the 2021 format document only
        return
    missing = [name for name, words in reconcile_rules().general_topics.items() if not compiled(words).search(body)]
    if missing:
        yield finding("general_coverage", topics="、".join(missing))


def carry_forward_explained(view: _View) -> Iterator[Outcome]:
    """R3.6 (info): applications carried into next year are usually explained (顺延/延期答复)."""
    key = "applications.carried_forward.total"
    if not view.value(key):
        return
    if not compiled(reconcile_rules().carry_forward_words).search(fold(_narrative_text(view))):
        yield finding("carry_forward_unexplained", keys=[key], spans=view.spans([key]), count=_fmt(view.value(key)))


def _narrative_text(view: _View) -> str:
    """The report text outside its standard tables."""
    text = view.report.text
    tables = sorted((t.span.start, t.span.end) for t in view.report.tables if t.span is not None)
    out, pos = [], 0
    for start, end in tables:
        out.append(text[pos:start])
        pos = max(pos, end)
    out.append(text[pos:])
    return "".join(out)
