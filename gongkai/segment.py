"""segment: Document → sections and Meta.

Headings are found two ways. A *line* heading is a short line that starts with a numbering
(一、 2、 十一.) — this is how DOCX/PDF text prints them. An *inline* heading is a numbering
followed by a known title anywhere in a line — crawler text runs a whole report into one line,
so ``…0000000四、政府信息公开行政复议、行政诉讼情况行政复议…`` must still be found. Then:

- 2019/2021 layout: the six standard kinds are taken in order, each the first candidate after
  the previous one; a missing one is looked for between its neighbours — its heading misprinted
  (三、收到和处理政府信息公开申倩况) or without its number, else its standard cue — and starts
  there, never inside the section before (``section_recovered``); otherwise ``section_missing``.
- pre-2019 layout: the numbered headings 一、二、三… in sequence, classified by title where the
  title is a known one (``legacy`` otherwise), plus the 统计表.

Meta comes from the title (agency first, year first, 关于…, over up to three lines, page header
lines and markdown marks left out), else the signature or the opening paragraph; the year from
the title, else the statistics period, else the opening. The template generation is decided by
the tables' own header words and row labels (rules/table_*.toml ``marker``), checked against the
report year (``since``); without tables, by the generation's document the text cites.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

import regex

from .models import SECTION_KINDS, Finding, Meta, Section, Span
from .read import Document, fold
from .rules import compiled, expand_blocks, finding, meta_rules, section_rules
from .template import Generation, LegacyGeneration, generations, legacy



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
        # a line that is only a standard section's printed title, without its numbering
        "printed_line": regex.compile(
            "^[ \t]*(?P<title>" + "|".join(regex.escape(k.printed) for k in r.kinds if k.kind in SECTION_KINDS)
            + ")[ \t：:]*$", regex.M
        ),
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
    for m in p["printed_line"].finditer(folded):
        if m.start("title") not in found:
            found[m.start("title")] = _Candidate(
                m.start("title"), m.end("title"), "", None, m.group("title"), _classify(m.group("title")), True
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
        choice = _best_heading(cands, index, options)
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
        found = _recover(doc, index, lo, hi)
        if found is not None:
            recovered, cue = found
            picked[index] = recovered
            findings.append(
                finding("section_recovered", spans=[recovered.span], number=section_rules().numerals[index], title=title,
                        cue=cue)
            )
        else:
            findings.append(finding("section_missing", number=section_rules().numerals[index], title=title))
    return [p for p in picked if p is not None], findings


def _best_heading(cands: list[_Candidate], index: int, options: list[_Candidate]) -> _Candidate | None:
    """The heading of standard section ``index`` among its ``options`` (in text order): the one
    numbered as the template numbers it (二 for 主动公开…); else the one printing the template's
    own title, when it comes before the next section's first heading — a narrative sub-topic
    such as 三、主动公开工作情况 inside 总体情况 must not take the table section's place; else the first.
    """
    if not options:
        return None
    numbered = [c for c in options if c.value == index + 1]
    if numbered:
        return numbered[0]
    kind = SECTION_KINDS[index]
    bound = min((c.start for c in cands if c.kind in SECTION_KINDS[index + 1 :] and c.start > options[0].start),
                default=None)
    printed = _standard_title(kind)
    titled = [c for c in options
              if c.title.replace(" ", "").rstrip("：:。") == printed and (bound is None or c.start < bound)]
    return (titled or options)[0]


def _start(p: _Candidate | Section) -> int:
    return p.start if isinstance(p, _Candidate) else p.span.start


def _end(p: _Candidate | Section) -> int:
    return p.end if isinstance(p, _Candidate) else p.span.end


def _standard_title(kind: str) -> str:
    """The heading the 2021 template prints for a standard kind."""
    return next(k.printed for k in section_rules().kinds if k.kind == kind)


def _recover(doc: Document, index: int, lo: int, hi: int) -> tuple[Section, str] | None:
    """A standard section whose heading was not found, between the sections found around it,
    and the text it was found by.

    It starts at its own heading when one is there, misprinted (三、收到和处理政府信息公开申倩况)
    or without its number, and keeps that title; else at its standard cue's line — in one-line
    web text, where that line holds the sections before, at the cue or at the section's numbering
    just before it — and takes the template's title, since none is printed. Never earlier: the
    section before keeps its text.
    """
    kind = SECTION_KINDS[index]
    cue = _cue(doc, kind, lo, hi)
    heading = _misprinted_heading(doc, index, lo, hi, cue.start() if cue else hi)
    if heading is not None:
        number, title = heading
        printed = doc.text[title[0] : title[1]]
        return Section(kind=kind, title=printed, number=doc.text[number[0] : number[1]],
                       span=Span(start=number[0], end=number[0]), heading=None, recovered=True), printed
    if cue is None:
        return None
    line_start = doc.folded.rfind("\n", 0, cue.start()) + 1
    start = line_start if line_start >= lo else _number_before(doc, index, lo, cue.start())
    return Section(kind=kind, title=_standard_title(kind), span=Span(start=start, end=start),
                   heading=None, recovered=True), doc.text[cue.start() : cue.end()]


def _cue(doc: Document, kind: str, lo: int, hi: int) -> regex.Match[str] | None:
    """The first standard cue of a section (its table's first words, 信息处理费 …) in lo–hi."""
    for cue in section_rules().recover:
        if cue.kind == kind:
            m = compiled(cue.cue).search(doc.folded, lo, hi)
            if m:
                return m
    return None


@cache
def _misprint_patterns(index: int) -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """A section's heading as its numbering and the template's title with a few characters wrong,
    and its known titles without a numbering (after a line start, a space or a sentence end)."""
    r = section_rules()
    kind = next(k for k in r.kinds if k.kind == SECTION_KINDS[index])
    errors = len(kind.printed) // r.misprint_chars_per_error
    number = f"(?P<num>{r.numerals[index]}|{index + 1})\\s*{r.numbering_mark}"
    misprinted = rf"(?e)(?<!{r.open_paren})(?P<number>{number})\s*(?P<title>(?:{regex.escape(kind.printed)}){{e<={errors}}})"
    unnumbered = rf"(?:^|(?<={r.inline_before}))(?P<title>{kind.title})"
    return regex.compile(misprinted), regex.compile(unnumbered, regex.M)


def _misprinted_heading(doc: Document, index: int, lo: int, hi: int, before: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(numbering span, title span) of the last heading of section ``index`` starting before
    ``before``: numbered with a misprinted title, else a known title printed without its number."""
    misprinted, unnumbered = _misprint_patterns(index)
    for pattern in (misprinted, unnumbered):
        found = [m for m in pattern.finditer(doc.folded, lo, hi) if m.start() < before]
        if found:
            m = found[-1]
            number = m.span("number") if "number" in m.groupdict() else (m.start(), m.start())
            return number, m.span("title")
    return None


def _number_before(doc: Document, index: int, lo: int, cue: int) -> int:
    """Where a section whose cue is at ``cue`` starts in one-line text: at its numbering (三、)
    when only a heading-like text (no digits, no sentence) stands between it and the cue, else
    at the cue."""
    r = section_rules()
    window = doc.folded[max(lo, cue - r.max_title_length - _NUMBERING_CHARS) : cue]
    offset = cue - len(window)
    numbering = compiled(f"(?:{r.numerals[index]}|{index + 1})\\s*{r.numbering_mark}")
    for m in reversed(list(numbering.finditer(window))):
        if compiled(r.heading_gap).fullmatch(window[m.end() :]):
            return offset + m.start()
    return cue


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

_HEAD_CHARS = 3000  # the title, the opening paragraph and a web page's header stand in the first lines
_TITLE_LINES = 3  # a title is printed over at most three lines
_SIGNATURE_CHARS = 40  # a signature's agency stands just before its date
_NUMBERING_CHARS = 4  # a heading's numbering with its mark and spaces: 十一、 or 三 、
_HEADER_CHARS = 1500  # a web page's 发布时间 stands above the report
_LATEST = 3  # a report is published within a few years after its year, never before it ends
_LINE = regex.compile(r"[^\n]+")


@cache
def _meta_patterns() -> dict[str, regex.Pattern[str]]:
    return {name: regex.compile(rule.pattern) for name, rule in meta_rules().rules().items()}


def _year_number(text: str) -> int:
    """2023, a PDF's 2 0 2 3 or a written 二〇二三 as an int."""
    return _date_number("".join(text.split()))


def _clean_line(doc: Document, start: int, end: int) -> tuple[str, str]:
    """A line as printed and folded, without markdown marks (#, **) and outer spaces."""
    folded = doc.folded[start:end]
    marks = [m.span() for m in _meta_patterns()["markup"].finditer(folded)]
    lo = max((e for s, e in marks if s == 0), default=0)
    hi = min((s for s, e in marks if e == len(folded) and s >= lo), default=len(folded))
    original = doc.text[start + lo : start + hi]
    return original.strip(), fold(original).strip()


def _title(doc: Document) -> str | None:
    """The title as printed: a web header line, else the lines up to the one ending in 报告.

    A title split over two or three lines is joined (blank lines and page numbers between are
    skipped); a page header line (来源：, a breadcrumb, the site's name, a date) starts the title
    afresh, so it never becomes part of the agency; body text ends the search. Failing that, a
    title-like phrase inside the first lines (one-line web text).
    """
    p = _meta_patterns()
    head = doc.folded[:_HEAD_CHARS]
    header = p["title_header"].search(head)
    if header:
        return _clean_line(doc, header.start("title"), header.end("title"))[0]
    lines: list[str] = []
    for m in _LINE.finditer(head):
        line, folded = _clean_line(doc, m.start(), m.end())
        if not folded or folded.isdigit():
            continue
        if p["header_line"].search(folded):
            lines = []
            continue
        if p["body_line"].search(folded) or len(folded) > meta_rules().title_max_length:
            break
        lines = (lines + [line])[-_TITLE_LINES:]
        if p["title_end"].search(folded):
            return "".join(lines)
    first = p["title_fallback"].search(head)
    return _clean_line(doc, first.start("title"), first.end("title"))[0] if first else None


def _title_parts(title: str) -> tuple[str | None, int | None]:
    """Agency and year as the title writes them: agency first, year first, or no year."""
    folded = fold(title)
    agency: str | None = None
    year: int | None = None
    for name in ("title_agency_first", "title_year_first", "title_no_year"):
        m = _meta_patterns()[name].search(folded)
        if m is None:
            continue
        if year is None and m.groupdict().get("year"):
            year = _year_number(m.group("year"))
        if agency is None and m.group("agency").strip():
            agency = title[m.start("agency") : m.end("agency")].strip()
        if agency and year:
            break
    return agency, year


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


def _body_agency(doc: Document) -> str | None:
    """When the title names no agency: the signature at the end (the last one), else the opening
    paragraph's 本报告由X编制 / 现将X…报告."""
    p = _meta_patterns()
    for day in reversed(list(_date_pattern().finditer(doc.folded))):  # a signature ends in a date
        m = p["signature"].search(doc.folded, max(0, day.start() - _SIGNATURE_CHARS), day.end() + 2)
        if m:
            break
    else:
        m = p["opening_agency"].search(doc.folded, 0, _HEAD_CHARS)
    return doc.text[m.start("agency") : m.end("agency")].strip() if m else None


@cache
def _date_pattern() -> regex.Pattern[str]:
    return regex.compile(expand_blocks("{date}", meta_rules().blocks))


def _period(doc: Document) -> tuple[date | None, date | None]:
    """The statistics period by days, else by months (2023年1-12月: from the 1st to the last day)."""
    p = _meta_patterns()
    m = p["period"].search(doc.folded)
    try:
        if m:
            y1 = _year_number(m.group("y1"))
            y2 = _year_number(m.group("y2")) if m.group("y2") else y1
            return date(y1, int(m.group("m1")), int(m.group("d1"))), date(y2, int(m.group("m2")), int(m.group("d2")))
        m = p["period_months"].search(doc.folded)
        if m:
            y, m1, m2 = _year_number(m.group("y1")), int(m.group("m1")), int(m.group("m2"))
            return date(y, m1, 1), date(y, m2, monthrange(y, m2)[1])
    except ValueError:
        pass
    return None, None


def _year(doc: Document, title_year: int | None, start: date | None) -> int | None:
    """The report year: the title's, else the statistics period's, else the opening's
    (现将2023年度政府信息公开工作情况报告如下)."""
    if title_year is not None:
        return title_year
    if start is not None:
        return start.year
    m = _meta_patterns()["body_year"].search(doc.folded, 0, _HEAD_CHARS)
    return _year_number(m.group("year")) if m else None


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


# --- the template generation ---------------------------------------------------------------


@cache
def _marker_pattern(words: tuple[tuple[str, tuple[str, ...]], ...]) -> regex.Pattern[str]:
    """One pattern for every generation's header words; group ``g<i>w<j>`` = word j of generation i."""
    return regex.compile("|".join(f"(?P<g{i}w{j}>{w})" for i, (_, ws) in enumerate(words) for j, w in enumerate(ws)))


def _table_evidence(doc: Document) -> dict[str, int]:
    """Per generation, how many of its distinct header words and row labels the report prints in
    table-like text: a table's line, or beside another header word in run-together web text.
    Spaces are dropped first, as PDF and web text put them inside words (计量 单位)."""
    words = tuple((g.name, g.marker) for g in generations())
    text = doc.folded.replace(" ", "")
    hits = [(m.start(), m.end(), m.lastgroup or "") for m in _marker_pattern(words).finditer(text)]
    table_lines: dict[int, bool] = {}  # line start → whether the line is table-like
    found: dict[str, set[str]] = {}
    for i, (_, _, group) in enumerate(hits):
        if _glued(text, hits, i) or _table_line(text, hits[i][0], table_lines):
            gen = words[int(group[1 : group.index("w")])][0]
            found.setdefault(gen, set()).add(group)
    return {gen: len(groups) for gen, groups in found.items()}


def _glued(text: str, hits: list[tuple[int, int, str]], i: int) -> bool:
    """Whether a header word is glued to the one before or after it, as a table's header is."""
    gap = _meta_patterns()["table_gap"]
    start, end, _ = hits[i]
    before = text[hits[i - 1][1] : start] if i > 0 and hits[i - 1][1] <= start else "\n"
    after = text[end : hits[i + 1][0]] if i + 1 < len(hits) else "\n"
    return any("\n" not in g and gap.search(g) for g in (before, after))


def _table_line(text: str, at: int, seen: dict[int, bool]) -> bool:
    """Whether the line holding ``at`` reads as a table's line (short, no sentence; or cells)."""
    start = text.rfind("\n", 0, at) + 1
    if start not in seen:
        end = text.find("\n", at)
        seen[start] = bool(_meta_patterns()["table_line"].search(text[start : end if end >= 0 else len(text)].strip()))
    return seen[start]


@cache
def _citation(document: str) -> regex.Pattern[str] | None:
    """The document number of a generation (国办公开办函〔2021〕30号) as a report may cite it:
    spaces anywhere, any bracket or none."""
    p = _meta_patterns()
    number = p["document_number"].search(fold(document))
    if number is None:
        return None
    chars = [f"{p['document_bracket'].pattern}?" if p["document_bracket"].fullmatch(c) else regex.escape(c)
             for c in number.group()]
    return regex.compile(r"\s*".join(chars))


def _choose_template(doc: Document, year: int | None) -> str | None:
    """The generation whose tables the report prints (most distinct header words; the newer on a
    tie), never one that came after the report year; without tables, the one whose document the
    text cites; else None."""
    evidence = _table_evidence(doc)
    fits = [g for g in generations() if evidence.get(g.name, 0) >= meta_rules().template_evidence
            and (year is None or g.since <= year)]
    if fits:
        return max(fits, key=lambda g: (evidence[g.name], g.since)).name
    for g in generations():  # newest first
        cited = _citation(g.document)
        if cited is not None and cited.search(doc.folded) and (year is None or g.since <= year):
            return g.name
    return None


def _too_new(doc: Document, year: int) -> Generation | LegacyGeneration | None:
    """A generation whose tables the report prints although it came after the report year."""
    later = [g for g in generations() if g.since > year]
    if not later:
        return None
    evidence = _table_evidence(doc)
    return next((g for g in later if evidence.get(g.name, 0) >= meta_rules().template_evidence), None)


def template_of(doc: Document) -> str | None:
    """The template generation the report's tables follow, checked against the report year."""
    title = _title(doc)
    start, _ = _period(doc)
    return _choose_template(doc, _year(doc, _title_parts(title)[1] if title else None, start))


def meta(doc: Document, template: str | None) -> tuple[Meta, list[Finding]]:
    """Agency, year, period, template and contacts, with findings for what is missing."""
    findings: list[Finding] = []
    title = _title(doc)
    agency, title_year = _title_parts(title) if title else (None, None)
    agency = _fuller_agency(doc, agency) if agency else _body_agency(doc)
    start, end = _period(doc)
    year = _year(doc, title_year, start)
    if year is None:
        findings.append(finding("year_missing"))
    if agency is None:
        findings.append(finding("agency_missing"))
    too_new = _too_new(doc, year) if year is not None else None
    if too_new is not None:
        findings.append(finding("template_year_conflict", year=year, template=too_new.name, since=too_new.since))
    if template is None:
        if year is not None and year < min(g.since for g in generations() if isinstance(g, Generation)):
            template = legacy().name  # before the first national format there was only the free layout
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
