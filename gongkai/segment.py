"""segment: Document → sections and Meta.

Headings are found two ways. A *line* heading is a short line that starts with a numbering
(一、 2、 十一.) — this is how DOCX/PDF text prints them. An *inline* heading is a numbering
followed by a known title anywhere in a line — crawler text runs a whole report into one line,
so ``…0000000四、政府信息公开行政复议、行政诉讼情况行政复议…`` must still be found. Then:

- 2019/2021 layout: the six standard kinds are taken in order, each the first candidate after
  the previous one; a missing one is looked for by its standard cue (``section_recovered``) and
  otherwise reported (``section_missing``).
- pre-2019 layout: the numbered headings 一、二、三… in sequence, classified by title where the
  title is a known one (``legacy`` otherwise), plus the 统计表.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

import regex

from .models import SECTION_KINDS, Finding, Meta, Section, Span
from .read import Document, fold
from .rules import compiled, finding, meta_rules, section_rules
from .template import generations



@dataclass(frozen=True)
class _Candidate:
    start: int  # where the heading (its numbering) begins
    end: int  # where the heading line / title ends
    number: str  # the printed numbering, e.g. 一、
    value: int | None  # the numbering as a number
    title: str
    kind: str | None  # None: a numbered line of unknown title
    at_line_start: bool


def _numeral(text: str) -> int | None:
    """A heading's numbering as a number: 7 → 7, and the Chinese 1–99 (十一 → 11)."""
    if text.isdigit():
        return int(text)
    r = section_rules()
    digit = {ch: i for i, ch in enumerate(r.numerals, 1)}
    if r.ten not in text:
        return digit.get(text)
    tens, _, units = text.partition(r.ten)
    return digit.get(tens, 1) * 10 + digit.get(units, 0) if all(c in digit for c in tens + units) else None


@cache
def _patterns() -> dict[str, regex.Pattern[str]]:
    r = section_rules()
    kinds = "|".join(f"(?P<{k.kind}>{k.title})" for k in r.kinds)
    number = f"(?P<num>{r.numbering_cn}|{r.numbering_digit})\\s*{r.numbering_mark}"
    return {
        "line": regex.compile(
            rf"^[ \t]*(?P<number>{number})[ \t]*(?P<title>[^\n]{{1,{r.max_title_length}}}?)[ \t：:]*$",
            regex.M,
        ),
        "inline": regex.compile(
            rf"(?<!{r.open_paren})(?P<number>(?P<num>{r.numbering_cn})\s*{r.numbering_mark})\s*(?P<title>{kinds})"
        ),
        "spaced": regex.compile(
            rf"(?:^|(?<={r.inline_before}))(?P<number>(?P<num>{r.numbering_cn})\s*{r.numbering_mark})\s*"
            rf"(?P<title>[^\s{r.inline_before[1:-1]}]{{2,30}}?{r.legacy_title_end})(?=\s|{r.first_item})",
            regex.M,
        ),
        "inline_statistics": regex.compile(
            rf"(?:^|(?<={r.inline_before}))(?:{r.attachment})?"
            rf"(?P<title>[^\s{r.inline_before[1:-1]}]{{0,30}}?{r.statistics_word})(?={r.statistics_follows})",
            regex.M,
        ),
        "bare_line": regex.compile(
            rf"^[ \t]*(?:{r.attachment})?(?P<title>[^\n]{{0,30}}?{r.statistics_word})[ \t]*$", regex.M
        ),
        "title": regex.compile(rf"^(?:{kinds}){r.title_suffix}$"),
        "sentence_end": regex.compile(r.sentence_end),
    }


def _classify(title: str) -> str | None:
    m = _patterns()["title"].match(title.strip())
    if not m:
        return None
    return next(k for k, v in m.groupdict().items() if v is not None)


def _candidates(folded: str) -> list[_Candidate]:
    p = _patterns()
    found: dict[int, _Candidate] = {}
    for m in p["line"].finditer(folded):
        title = m.group("title").strip()
        if p["sentence_end"].search(title):
            continue
        found[m.start("number")] = _Candidate(
            m.start("number"), m.end("title"), m.group("number"), _numeral(m.group("num")),
            title, _classify(title), True,
        )
    for m in p["inline"].finditer(folded):
        if m.start("number") in found:
            continue
        kind = next(k for k, v in m.groupdict().items() if v is not None and k not in ("number", "num", "title"))
        found[m.start("number")] = _Candidate(
            m.start("number"), m.end("title"), m.group("number"), _numeral(m.group("num")),
            m.group("title"), kind, False,
        )
    for m in p["spaced"].finditer(folded):
        if m.start("number") not in found:
            title = m.group("title")
            found[m.start("number")] = _Candidate(
                m.start("number"), m.end("title"), m.group("number"), _numeral(m.group("num")),
                title, _classify(title), True,
            )
    for m in p["inline_statistics"].finditer(folded):
        if m.start("title") not in found and _classify(m.group("title")) == "statistics":
            found[m.start("title")] = _Candidate(
                m.start("title"), m.end("title"), "", None, m.group("title"), "statistics", False
            )
    for m in p["bare_line"].finditer(folded):
        if m.start("title") not in found and _classify(m.group("title")) == "statistics":
            found[m.start("title")] = _Candidate(
                m.start("title"), m.end("title"), "", None, m.group("title").strip(), "statistics", True
            )
    return sorted(found.values(), key=lambda c: c.start)


def _standard_sections(doc: Document, cands: list[_Candidate]) -> tuple[list[_Candidate | Section], list[Finding]]:
    """Pick the six standard sections in order; recover or report the missing ones."""
    picked: list[_Candidate | Section] = []
    findings: list[Finding] = []
    pos = 0
    missing: list[int] = []
    for index, kind in enumerate(SECTION_KINDS):
        options = [c for c in cands if c.kind == kind and c.start >= pos]
        # prefer the heading numbered as printed in the template (一 for general …)
        exact = [c for c in options if c.value == index + 1]
        choice = (exact or options)[0] if exact or options else None
        if choice is None:
            missing.append(index)
            picked.append(None)  # type: ignore[arg-type]
            continue
        picked.append(choice)
        pos = choice.end
    for index in missing:
        kind = SECTION_KINDS[index]
        title = _standard_title(kind)
        lo = max((_end(c) for c in picked[:index] if c is not None), default=0)
        hi = min((_start(c) for c in picked[index + 1 :] if c is not None), default=len(doc.folded))
        recovered = _recover(doc, kind, lo, hi)
        if recovered is not None:
            picked[index] = recovered
            findings.append(
                finding("section_recovered", spans=[recovered.span], number=section_rules().numerals[index], title=title,
                        cue=recovered.title)
            )
        else:
            findings.append(finding("section_missing", number=section_rules().numerals[index], title=title))
    return [p for p in picked if p is not None], findings


def _start(p: _Candidate | Section) -> int:
    return p.start if isinstance(p, _Candidate) else p.span.start


def _end(p: _Candidate | Section) -> int:
    return p.end if isinstance(p, _Candidate) else p.span.end


def _standard_title(kind: str) -> str:
    """The heading the 2021 template prints for a standard kind."""
    return next(k.printed for k in section_rules().kinds if k.kind == kind)


def _recover(doc: Document, kind: str, lo: int, hi: int) -> Section | None:
    for cue in section_rules().recover:
        if cue.kind != kind:
            continue
        m = regex.compile(cue.cue).search(doc.folded, lo, hi)
        if m:
            line_start = doc.folded.rfind("\n", 0, m.start()) + 1
            start = max(line_start, lo)
            return Section(kind=kind, title=doc.text[m.start() : m.end()], span=Span(start=start, end=start),
                           heading=None, recovered=True)
    return None


def _legacy_sections(cands: list[_Candidate]) -> list[_Candidate]:
    """Numbered headings 一、二、三… in sequence (pre-2019 layout), and the 统计表."""
    picked: list[_Candidate] = []
    expected = 1
    for c in cands:
        if picked and picked[-1].kind == "statistics":
            break  # the table's own rows are numbered 一、二、… too
        if c.kind == "statistics" and not c.number:
            picked.append(c)
            continue
        if c.value != expected or not c.number or c.number[0].isdigit():
            continue
        if c.kind is None and not c.at_line_start:
            continue
        picked.append(c)
        expected += 1
    return picked


def _to_sections(doc: Document, picked: Sequence[_Candidate | Section]) -> tuple[Section, ...]:
    starts = [_start(p) for p in picked]
    out = []
    for i, p in enumerate(picked):
        end = starts[i + 1] if i + 1 < len(picked) else len(doc.text)
        if isinstance(p, Section):
            out.append(p.model_copy(update={"span": Span(start=p.span.start, end=max(end, p.span.start))}))
            continue
        title_start = p.end - len(p.title) if not p.at_line_start else doc.folded.find(p.title, p.start)
        out.append(
            Section(
                kind=p.kind or "legacy",
                title=doc.text[title_start : title_start + len(p.title)],
                number=doc.text[p.start : p.start + len(p.number)],
                span=Span(start=p.start, end=max(end, p.end)),
                heading=Span(start=p.start, end=p.end),
            )
        )
    return tuple(out)


def sections(doc: Document, template: str | None) -> tuple[tuple[Section, ...], list[Finding]]:
    """The report's sections in printed order, with findings for missing or recovered ones."""
    cands = _candidates(doc.folded)
    if template == "pre2019":
        return _to_sections(doc, _legacy_sections(cands)), []
    picked, findings = _standard_sections(doc, cands)
    if template is None and len(picked) < 3:
        # neither template markers nor a standard layout: read it as the free pre-2019 layout
        legacy = _legacy_sections(cands)
        if len(legacy) > len(picked):
            return _to_sections(doc, legacy), []
    return _to_sections(doc, picked), findings


# --- meta ---------------------------------------------------------------------------------


@cache
def _meta_patterns() -> dict[str, regex.Pattern[str]]:
    r = meta_rules()
    return {
        "title_end": regex.compile(r.title_end),
        "title_header": regex.compile(r.title_header, regex.M),
        "title_parts": regex.compile(r.title_parts),
        "title_fallback": regex.compile(r.title_fallback),
        "title_truncated": regex.compile(r.title_truncated),
        "bare_level": regex.compile(r.bare_level),
        "name_stop": regex.compile(r.name_stop),
        "period": regex.compile(r.period),
        "published_header": regex.compile(r.published_header),
        "signed": regex.compile(r.signed, regex.M),
        "phone": regex.compile(r.phone),
        "address": regex.compile(r.address),
        "website": regex.compile(r.website),
        "website_cue": regex.compile(r.website_cue),
    }


def template_of(doc: Document) -> str | None:
    """The template generation whose header words the text prints (newest first); None if none."""
    for g in generations():
        if compiled(g.marker).search(doc.folded):
            return g.name
    return None


def _title(doc: Document) -> str | None:
    """The title as printed: a web header line, else the first lines up to the one ending in 报告.

    Lines are joined (a title is often split over two lines, sometimes with a blank line
    between); PDF page-number lines and blank lines are skipped.
    """
    p = _meta_patterns()
    head = doc.folded[:3000]
    header = p["title_header"].search(head)
    if header:
        return doc.text[header.start("title") : header.end("title")].strip()
    lines: list[str] = []
    for m in regex.finditer(r"[^\n]+", head):
        line = m.group().strip()
        if not line or line.isdigit():
            continue
        lines.append(doc.text[m.start() : m.end()].strip())
        if p["title_end"].search(line) or len(lines) >= 4:
            break
    joined = "".join(lines)
    if lines and p["title_end"].search(fold(lines[-1])) and p["title_parts"].search(fold(joined)):
        return joined
    first = p["title_fallback"].search(head)
    return doc.text[first.start() : first.end()].strip() if first else None


def _fuller_agency(doc: Document, agency: str) -> str:
    """区投资促进中心 → 周村区投资促进中心: the place the body writes in front of a bare name."""
    p = _meta_patterns()
    if not p["bare_level"].search(agency):
        return agency
    counts: dict[str, int] = {}
    for m in regex.finditer(rf"(\p{{Han}}{{1,6}}){regex.escape(agency)}", doc.folded):
        prefix = m.group(1)
        stops = list(p["name_stop"].finditer(prefix, overlapped=True))
        if stops:
            prefix = prefix[max(s.end() for s in stops) :]
        if len(prefix) >= 2:
            counts[prefix + agency] = counts.get(prefix + agency, 0) + 1
    if not counts:
        return agency
    return max(counts.items(), key=lambda kv: (kv[1], len(kv[0])))[0]


def _period(doc: Document) -> tuple[date | None, date | None]:
    m = _meta_patterns()["period"].search(doc.folded)
    if not m:
        return None, None
    y1 = int(m.group("y1"))
    y2 = int(m.group("y2") or y1)
    try:
        return date(y1, int(m.group("m1")), int(m.group("d1"))), date(y2, int(m.group("m2")), int(m.group("d2")))
    except ValueError:
        return None, None


_HEADER_CHARS = 1500  # a web page's 发布时间 stands above the report
_LATEST = 3  # a report is published within a few years after its year, never before it ends


def _published(doc: Document, year: int | None) -> date | None:
    """The page's publication date (HTML meta, or a 发布时间 header line in web text), else the
    last signing date after the report year."""
    if doc.published is not None:
        return doc.published
    p = _meta_patterns()
    header = p["published_header"].search(doc.folded, 0, _HEADER_CHARS)
    found = [header] if header else list(p["signed"].finditer(doc.folded))
    for m in reversed(found):
        try:
            day = date(_date_number(m.group("y")), _date_number(m.group("m")), _date_number(m.group("d")))
        except ValueError:
            continue
        if year is None or year < day.year <= year + _LATEST:
            return day
    return None


def _date_number(text: str) -> int:
    """2024 / 二〇二四 (digit by digit) / 二十 → an int (cn2an, imported only for a Chinese date)."""
    if text.isdigit():
        return int(text)
    import cn2an

    return int(cn2an.cn2an(text, "normal"))


def _first(doc: Document, name: str) -> str | None:
    m = _meta_patterns()[name].search(doc.folded)
    if not m:
        return None
    return regex.sub(r"\s*\n\s*", "", doc.text[m.start("value") : m.end("value")]).strip()  # PDF line wraps


def _website(doc: Document) -> str | None:
    p = _meta_patterns()
    for m in p["website"].finditer(doc.folded):
        around = doc.folded[max(0, m.start() - 40) : m.start()] + doc.folded[m.end() : m.end() + 10]
        if p["website_cue"].search(around):
            return doc.text[m.start("value") : m.end("value")]
    return None


def meta(doc: Document, template: str | None) -> tuple[Meta, list[Finding]]:
    """Agency, year, period, template and contacts, with findings for what is missing."""
    findings: list[Finding] = []
    title = _title(doc)
    agency = year = None
    if title:
        parts = _meta_patterns()["title_parts"].search(fold(title))
        if parts:
            agency = title[parts.start("agency") : parts.end("agency")].strip() or None
            year = int(parts.group("year"))
    if agency:
        agency = _fuller_agency(doc, agency)
    start, end = _period(doc)
    if year is None and start is not None:
        year = start.year
    if year is None:
        findings.append(finding("year_missing"))
    if agency is None:
        findings.append(finding("agency_missing"))
    if template is None:
        if year is not None and year < 2019:
            template = "pre2019"  # decided by layout: no 2019/2021 table header in a pre-2019 report
        else:
            findings.append(finding("template_unknown"))
    return (
        Meta(
            agency=agency, year=year, template=template, period_start=start, period_end=end,
            published=_published(doc, year), title=title, phone=_first(doc, "phone"), address=_first(doc, "address"),
            website=_website(doc),
        ),
        findings,
    )
