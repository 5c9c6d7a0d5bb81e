"""facts: Document + sections → narrative Facts by declarative rules (rules/narrative.toml).

The narrative is every section's text except the statistical tables: the regions the table
stage located (decided there, once), the lines holding a tab (rows of a table nobody maps),
and the pre-2019 统计表 when it is a section of its own. The 总体情况 of a 2021 report often tells its counts before the table.

Matching runs on the folded text with in-paragraph whitespace removed (``466 条`` → ``466条``,
a PDF line break inside ``主动公开政府\\n信息``, page footers ``- 3 -``), kept as an
``OffsetText`` so every span points back into ``Document.text``. Whitespace between two digits
is kept: joining ``11 36`` would invent a number.

A rule either holds one ``{count}`` (the number read with cn2an only when it is Chinese, on
that span alone) or states a ``value`` — a negation such as 未收到政府信息公开申请, a zero and
not a miss. Overlapping matches are settled by ``resolve_overlaps``; counts inside quotation
marks or book titles (“三安全一稳定”, 《…20条》) are names, and a count whose clause names
another year than the report's (a multi-year history) is not this year's count. Both guards
(``Guards``) read a region once, so the stage stays linear in the length of the text. A count
after 其中 is linked to the count before it (``Fact.parent``). Counts no rule names are kept
as ``narrative.other`` with a subject phrase found with jieba, imported only then.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

import regex
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import RuleError
from .models import Fact, Number, Section, Span
from .read import Document, OffsetText
from .rules import _compiles, compiled, read_toml

# A pre-2019 statistics table printed as a section of its own is never narrative.
_SKIPPED_KINDS = ("statistics",)
# Facts whose subject phrase is looked up (jieba) when the rule did not capture one.
_OTHER = "narrative.other"
_SUBJECT_KEYS = (_OTHER, "narrative.proactive.category")
_BLOCK_REF = regex.compile(r"\{([a-z_]+)\}")
# Whitespace runs are dropped unless they stand between two digits (see the module docstring).
_WHITESPACE = r"(?<!\s)(?:(?<!\d)\s++|\s++(?!\d))"
# Characters that close a clause when looking for a subject phrase.
_CLAUSE_MARKS = "\uff0c,\u3002\uff1b;\uff1a:\u3001\uff08(\uff09)\"\u300a\u300b"
# How far from a count its subject phrase is looked for: a clause, never the whole text.
_SUBJECT_WINDOW = 200
# Up to three spaces or punctuation marks between a count and the 其中 after it.
_PUNCT_RUN = regex.compile(r"[\s\p{P}]{0,3}")
_INTEGER, _DECIMAL = regex.compile(r"\d+"), regex.compile(r"\d+\.\d+")


# --- rule files -------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Lexicon(_Strict):
    """rules/lexicon.toml: named regex blocks, referenced from rules as {name}."""

    blocks: dict[str, str]


class NarrativeRule(_Strict):
    """One [[rules]] entry of rules/narrative.toml."""

    id: str = Field(pattern=r"^[a-z_]+(?:\.[a-z0-9_]+)+$")
    key: str = Field(pattern=r"^narrative\.")
    pattern: str
    priority: int = 0
    units: tuple[str, ...] = ()
    value: Number | None = None
    unit: str = ""
    also: tuple[str, ...] = ()
    fallback: bool = False  # the key's count only where no other rule of the key found another
    examples: tuple[tuple[str, Number], ...]
    counterexamples: tuple[str, ...]

    @field_validator("examples", "counterexamples")
    @classmethod
    def _at_least_one(cls, value: tuple) -> tuple:
        if not value:
            raise ValueError("needs at least one example and one counterexample")
        return value


class Relabel(_Strict):
    """A [[relabel]] entry: a 其中 child of a ``parent`` fact, or a fact in the sentence after a
    ``lead`` phrase (主要类别有：), takes ``to_key`` in place of ``from_key``."""

    id: str
    parent: str | None = None
    lead: str | None = None
    from_key: str
    to_key: str
    skip_units: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_trigger(self) -> Relabel:
        if (self.parent is None) == (self.lead is None):
            raise ValueError("needs exactly one of parent or lead")
        if self.lead is not None:
            _compiles(self.lead)
        return self


class Parts(_Strict):
    """A [[parts]] entry: counts of ``key`` that add up exactly to an earlier count of ``key``
    are its parts (by unit, by level), not the total: they take ``to_key``."""

    id: str
    key: str
    to_key: str


class NarrativeFile(_Strict):
    rules: tuple[NarrativeRule, ...]
    relabel: tuple[Relabel, ...] = ()
    parts: tuple[Parts, ...] = ()
    labels: dict[str, str]

    @model_validator(mode="after")
    def _every_key_labelled(self) -> NarrativeFile:
        keys = {k for rule in self.rules for k in (rule.key, *rule.also)}
        keys |= {r.to_key for r in self.relabel if not r.to_key.endswith(".")}
        keys |= {p.to_key for p in self.parts}
        missing = sorted(keys - set(self.labels))
        if missing:
            raise ValueError(f"keys without a [labels] entry: {', '.join(missing)}")
        return self

    @model_validator(mode="after")
    def _unique_ids(self) -> NarrativeFile:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule {rule.id}: duplicate id")
            seen.add(rule.id)
        return self


@dataclass(frozen=True)
class CompiledRule:
    """A rule with its pattern expanded from the lexicon and compiled."""

    rule: NarrativeRule
    regex: regex.Pattern[str]


@dataclass(frozen=True)
class Catalogue:
    """Everything facts() needs from the rule files, compiled once."""

    rules: tuple[CompiledRule, ...]
    relabel: tuple[Relabel, ...]
    parts: tuple[Parts, ...]
    labels: dict[str, str]
    blocks: dict[str, str]
    join: regex.Pattern[str]
    table_line: regex.Pattern[str]
    of_which: regex.Pattern[str]
    share_of: regex.Pattern[str]
    sentence_end: regex.Pattern[str]
    clause_end: regex.Pattern[str]
    year: regex.Pattern[str]
    name: regex.Pattern[str]


def expand(pattern: str, blocks: dict[str, str], *, where: str, _seen: tuple[str, ...] = ()) -> str:
    """``pattern`` with every {block} replaced by its (expanded) lexicon regex."""

    def one(m: regex.Match[str]) -> str:
        name = m.group(1)
        if name not in blocks:
            raise RuleError(f"{where}: unknown block {{{name}}}")
        if name in _seen:
            raise RuleError(f"{where}: block {{{name}}} refers to itself")
        return "(?:" + expand(blocks[name], blocks, where=where, _seen=_seen + (name,)) + ")"

    return _BLOCK_REF.sub(one, pattern)


def _compile(pattern: str, where: str) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern)
    except regex.error as exc:
        raise RuleError(f"{where}: bad regex: {exc}") from exc


def _validated(data: dict, model: type[BaseModel], file: str) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RuleError(f"{file}: {_name_rule(exc, data)}") from exc


def _name_rule(exc: ValidationError, data: dict) -> str:
    """A pydantic error with the id of the rule it is about, when it is about one."""
    lines = []
    for err in exc.errors():
        loc = err["loc"]
        where = ".".join(map(str, loc))
        if len(loc) >= 2 and loc[0] in ("rules", "relabel") and isinstance(loc[1], int):
            entries = data.get(loc[0], [])
            rule_id = entries[loc[1]].get("id", "?") if loc[1] < len(entries) else "?"
            where = f"rule {rule_id}: " + ".".join(map(str, loc[2:]))
        lines.append(f"{where} {err['msg']}")
    return "; ".join(lines)


def build_catalogue(lexicon: dict, narrative: dict, file: str = "rules/narrative.toml") -> Catalogue:
    """Validate raw rule data (as read from TOML) and compile it; RuleError says file, id, reason."""
    lex = _validated(lexicon, Lexicon, "rules/lexicon.toml")
    rules = _validated(narrative, NarrativeFile, file)
    return compile_rules(lex, rules, file)  # type: ignore[arg-type]


def compile_rules(lexicon: Lexicon, narrative: NarrativeFile, file: str = "rules/narrative.toml") -> Catalogue:
    """Expand and compile every rule; RuleError names the file, the rule id and the reason."""
    blocks = lexicon.blocks
    units = set(blocks.get("unit", "").strip("'").split("|"))
    built = []
    for rule in narrative.rules:
        where = f"{file}: rule {rule.id}"
        counts = rule.pattern.count("{count}")
        if counts > 1:
            raise RuleError(f"{where}: holds {{count}} {counts} times; one count per rule")
        if (counts == 1) == (rule.value is not None):
            raise RuleError(f"{where}: needs either one {{count}} or a value (a stated zero), not both or neither")
        unknown_units = set(rule.units) - units
        if unknown_units:
            raise RuleError(f"{where}: units {sorted(unknown_units)} are not in the lexicon's unit block")
        built.append(CompiledRule(rule, _compile(expand(rule.pattern, blocks, where=where), where)))
    lex = "rules/lexicon.toml"

    def block(name: str) -> regex.Pattern[str]:
        if name not in blocks:
            raise RuleError(f"{lex}: missing block {name}")
        return _compile(expand(blocks[name], blocks, where=f"{lex}: {name}"), f"{lex}: {name}")

    return Catalogue(
        rules=tuple(built),
        relabel=narrative.relabel,
        parts=narrative.parts,
        labels=narrative.labels,
        blocks=blocks,
        join=_compile(f"(?:{expand(blocks['page_footer'], blocks, where=lex)})|{_WHITESPACE}", lex),
        table_line=block("table_line"),
        of_which=block("of_which"),
        share_of=block("share_of"),
        sentence_end=block("sentence_end"),
        clause_end=block("clause_end"),
        year=block("year"),
        name=block("name"),
    )


@cache
def catalogue() -> Catalogue:
    """The rule catalogue, loaded, validated and compiled once."""
    return build_catalogue(read_toml("lexicon"), read_toml("narrative"))


# --- regions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """A stretch of narrative: original offsets, the section kind, the joined matching text."""

    start: int
    kind: str
    joined: OffsetText

    def span(self, start: int, end: int) -> Span:
        local = self.joined.span(start, end)
        return Span(start=self.start + local.start, end=self.start + local.end)


def narrative_regions(doc: Document, sections: tuple[Section, ...],
                      tables: tuple[tuple[int, int], ...] = ()) -> list[Region]:
    """The narrative parts of the sections: what the table stage did not take (``tables``,
    its regions), without the tab-separated lines of a table it could not map."""
    folded = doc.folded
    regions: list[Region] = []
    for section in sections:
        if section.kind in _SKIPPED_KINDS:
            continue
        pos, end = section.span.start, section.span.end
        for t_start, t_end in sorted(tables):
            if t_end <= pos or t_start >= end:
                continue
            _lines_cut(folded, pos, t_start, section.kind, regions)
            pos = max(pos, t_end)
        _lines_cut(folded, pos, end, section.kind, regions)
    return [r for r in regions if r.joined.text]


def _lines_cut(folded: str, start: int, end: int, kind: str, out: list[Region]) -> None:
    """Regions of [start, end) between the lines that hold a tab (rows of a table)."""
    pos = start
    for line in catalogue().table_line.finditer(folded, start, end):
        out.append(_region(folded, pos, line.start(), kind))
        pos = line.end()
    if end > pos:
        out.append(_region(folded, pos, end, kind))


def _region(folded: str, start: int, end: int, kind: str) -> Region:
    return Region(start, kind, OffsetText.dropping(folded[start:end], catalogue().join))


# --- matching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One rule match before overlaps are settled (offsets in the region's joined text)."""

    rule: NarrativeRule
    start: int
    end: int
    value: Number
    unit: str
    approximate: bool
    percent: float | None = None
    subject: str = ""
    anchor: int = -1  # where the number starts (the match start for a stated zero)


def read_number(text: str) -> Number:
    """A matched numeral as a number: 1,136 → 1136, 1.2万 → 12000, 三十 → 30, 百 → 100."""
    multiplier = 1
    wan = catalogue().blocks["wan"][0]
    if text.endswith(wan):
        text, multiplier = text[:-1], 10000
    text = text.replace(",", "")
    if _INTEGER.fullmatch(text):
        value: Number = int(text)
    elif _DECIMAL.fullmatch(text):
        value = float(text)
    else:
        import cn2an  # the rule found this numeral; cn2an reads this span only

        digits = catalogue().blocks["chinese"]
        if text[0] not in digits.split("]")[0]:
            text = "\u4e00" + text  # a bare 百/千 (近百) is one hundred/thousand
        value = cn2an.cn2an(text, "smart")
    value = value * multiplier
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value


def _candidate(rule: NarrativeRule, m: regex.Match[str]) -> Candidate | None:
    groups = m.groupdict()
    percent = float(groups["percent"]) if groups.get("percent") else None
    subject = groups.get("subject") or ""
    if rule.value is not None:
        return Candidate(rule, m.start(), m.end(), rule.value, rule.unit, False, percent, subject, m.start())
    unit = groups["unit"]
    if rule.units and unit not in rule.units:
        return None
    try:
        value = read_number(groups["number"])
    except (ValueError, TypeError):
        return None
    approximate = bool(groups.get("pre") or groups.get("post") or groups.get("upper"))
    return Candidate(rule, m.start(), m.end(), value, unit, approximate, percent, subject, m.start("number"))


def match_rule(rule: CompiledRule, text: str) -> list[Candidate]:
    """Every match of one rule in a joined text."""
    out = []
    for m in rule.regex.finditer(text):
        if m.end() == m.start():
            continue
        cand = _candidate(rule.rule, m)
        if cand is not None:
            out.append(cand)
    return out


def resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """The overlap policy: higher priority, then the longer match, then the earlier start.

    Candidates are taken in that order; one that overlaps a match already taken is dropped.
    The result is in text order. What is taken never overlaps, so a candidate is checked
    against its two neighbours only (a bisection, not a pass over everything taken).
    """
    starts: list[int] = []
    taken: list[Candidate] = []
    for cand in sorted(candidates, key=lambda c: (-c.rule.priority, -(c.end - c.start), c.start)):
        i = bisect_right(starts, cand.start)
        if (i and taken[i - 1].end > cand.start) or (i < len(taken) and taken[i].start < cand.end):
            continue
        starts.insert(i, cand.start)
        taken.insert(i, cand)
    return taken


@dataclass(frozen=True)
class Guards:
    """What the two guards need of one joined text, each found in one pass over it, so a
    candidate costs a binary search, never a rescan from the text's start (issue 12)."""

    name_starts: tuple[int, ...]  # “…” and 《…》 names, in text order, never overlapping
    name_ends: tuple[int, ...]
    clause_starts: tuple[int, ...]  # 0 and the end of each 。；…
    year_ends: tuple[int, ...]  # year mentions outside names, in text order
    years: tuple[tuple[int, int], ...]  # (start, year) of each

    @classmethod
    def of(cls, text: str) -> Guards:
        cat = catalogue()
        names = [m.span() for m in cat.name.finditer(text)]
        starts, ends = tuple(s for s, _ in names), tuple(e for _, e in names)
        found = [m for m in cat.year.finditer(text) if not _covered(starts, ends, m.start())]
        return cls(starts, ends, (0, *(m.end() for m in cat.clause_end.finditer(text))),
                   tuple(m.end() for m in found), tuple((m.start(), int(m.group("year"))) for m in found))

    def inside_name(self, pos: int) -> bool:
        """A count inside “…” or 《…》 is part of a name (“三安全一稳定”, 《…20条》). A name never
        runs past its sentence (lexicon ``name``), so one unmatched mark silences nothing after it."""
        return _covered(self.name_starts, self.name_ends, pos)

    def other_year(self, pos: int, year: int | None) -> bool:
        """The clause before the count names a year other than the report's (a history). A year
        in a name, or dating when a law took effect (lexicon ``year``), names no period."""
        if year is None:
            return False
        clause_start = self.clause_starts[bisect_right(self.clause_starts, pos) - 1]
        i = bisect_right(self.year_ends, pos) - 1
        return i >= 0 and self.years[i][0] >= clause_start and self.years[i][1] != year


def _covered(starts: tuple[int, ...], ends: tuple[int, ...], pos: int) -> bool:
    """Whether one of the sorted, non-overlapping spans (starts[i], ends[i]) has ``pos`` inside."""
    i = bisect_right(starts, pos) - 1
    return i >= 0 and starts[i] < pos < ends[i]


def candidates(text: str, year: int | None = None, rules: tuple[CompiledRule, ...] | None = None) -> list[Candidate]:
    """Settled matches of the rules in one joined text."""
    guards = Guards.of(text)
    found = []
    for rule in rules if rules is not None else catalogue().rules:
        for cand in match_rule(rule, text):
            if guards.inside_name(cand.anchor) or guards.other_year(cand.anchor, year):
                continue
            found.append(cand)
    return resolve_overlaps(found)


# --- parents, relabelling, subjects -----------------------------------------------------------


def _link_parents(region: Region, cands: list[Candidate]) -> dict[int, int]:
    """child position → parent position (in ``cands``, settled: in text order, never
    overlapping, so their ends are sorted too) for every 其中 breakdown."""
    cat = catalogue()
    text = region.joined.text
    starts, ends = [c.start for c in cands], [c.end for c in cands]
    links: dict[int, int] = {}
    for m in cat.of_which.finditer(text):
        parent = bisect_right(ends, m.start()) - 1  # the last count before 其中
        if parent < 0 or not _PUNCT_RUN.fullmatch(text, cands[parent].end, m.start()):
            continue
        end_m = cat.sentence_end.search(text, m.end())
        scope_end = end_m.start() if end_m else len(text)
        for i in range(bisect_left(starts, m.end()), bisect_left(starts, scope_end)):
            c = cands[i]
            if cat.of_which.match(text, c.end + _punct_run(text, c.end)):
                break  # a new total with its own breakdown
            links.setdefault(i, parent)
    return links


def _punct_run(text: str, pos: int) -> int:
    m = _PUNCT_RUN.match(text, pos)
    return m.end() - pos if m else 0


def _lead_scopes(text: str) -> list[tuple[Relabel, int, int]]:
    """(rule, start, end) for each ``lead`` phrase: from its end to the end of the sentence."""
    cat = catalogue()
    out = []
    for r in cat.relabel:
        if r.lead is not None:
            for m in compiled(r.lead).finditer(text):
                end = cat.sentence_end.search(text, m.end())
                out.append((r, m.end(), end.start() if end else len(text)))
    return out


def _relabel(fact: Fact, parent: Fact | None, at: int, scopes: list[tuple[Relabel, int, int]]) -> Fact:
    """The key a 其中 child or a listed kind takes (``at``: its offset in the region's text)."""
    triggered = [r for r in catalogue().relabel if parent is not None and parent.key == r.parent]
    triggered += [r for r, start, end in scopes if start <= at < end]
    for r in triggered:
        if fact.key.startswith(r.from_key) and fact.unit not in r.skip_units:
            return fact.model_copy(update={"key": r.to_key + fact.key[len(r.from_key):], "rule_id": r.id})
    return fact


def _subject(text: str, start: int, end: int) -> str:
    """The noun phrase a count is about: the nouns just before it in its clause, else after it."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    floor, ceiling = max(0, start - _SUBJECT_WINDOW), min(len(text), end + _SUBJECT_WINDOW)
    lo = max((text.rfind(ch, floor, start) for ch in _CLAUSE_MARKS), default=-1) + 1 or floor
    hi = min((i for i in (text.find(ch, end, ceiling) for ch in _CLAUSE_MARKS) if i >= 0), default=ceiling)
    before = _noun_run(list(jieba.posseg.cut(text[lo:start])), from_end=True)
    return before or _noun_run(list(jieba.posseg.cut(text[end:hi])), from_end=False)


def _noun_run(words: list, *, from_end: bool) -> str:
    """The last (or first) run of nouns in a segmented clause."""
    seq = list(reversed(words)) if from_end else words
    run: list[str] = []
    for w in seq:
        if w.flag.startswith(("n", "vn", "j", "l")) and not w.flag.startswith("nr"):
            run.append(w.word)
        elif run:
            break
    if from_end:
        run.reverse()
    return "".join(run)


# --- the stage --------------------------------------------------------------------------------


def facts(doc: Document, sections: tuple[Section, ...], year: int | None = None,
          tables: tuple[tuple[int, int], ...] = ()) -> tuple[Fact, ...]:
    """Every count the narrative states, each with its span and rule id. ``year`` (the report's)
    tells a count from a year in the same clause; ``tables`` are the regions the table stage took."""
    out: list[Fact] = []
    for region in narrative_regions(doc, sections, tables):
        _region_facts(doc, region, year, out)
    return tuple(_without_fallbacks(_with_parts(_with_shares(doc, out))))


# --- totals among several counts of one key -----------------------------------------------------

_PARTS_WINDOW = 400  # characters after a total within which its parts are stated


def _with_shares(doc: Document, out: list[Fact]) -> list[Fact]:
    """A share printed right after a count (1397条，占73%) is that count's ``percent``."""
    out = list(out)
    share_of = catalogue().share_of
    for i in range(1, len(out)):
        count, share = out[i - 1], out[i]
        if share.unit != "%" or count.unit == "%" or count.percent is not None:
            continue
        if share_of.match("".join(doc.folded[count.span.end : share.span.start].split())):
            out[i - 1] = count.model_copy(update={"percent": share.value})
    return out


def _with_parts(out: list[Fact]) -> list[Fact]:
    """Counts after a count of the same key that are its parts (区直各单位303条 + 各乡镇122条 of
    主动公开政府信息425条) take the part key and link to it: they add up to it exactly, or their
    printed shares add up to 100% (then the reconcile stage checks the sum and each share)."""
    out = list(out)
    for rule in catalogue().parts:
        same = [i for i, f in enumerate(out) if f.key == rule.key]
        starts = [out[i].span.start for i in same]  # facts come in text order
        for n, i in enumerate(same):
            if out[i].key != rule.key:
                continue  # already a part of an earlier total
            later = same[n + 1 : bisect_right(starts, out[i].span.end + _PARTS_WINDOW)]
            for end in range(len(later), 1, -1):  # the longest run of following counts that are its parts
                run = [out[j] for j in later[:end]]
                if sum(f.value for f in run) == out[i].value or _shares_complete(run):
                    for j in later[:end]:
                        out[j] = out[j].model_copy(update={"key": rule.to_key, "rule_id": rule.id, "parent": i})
                    break
    return out


def _shares_complete(parts: list[Fact]) -> bool:
    """Every part prints its share and the shares add up to 100% (within their rounding)."""
    shares = [f.percent for f in parts]
    return all(s is not None for s in shares) and abs(sum(shares) - 100) <= 0.5 * len(shares)  # type: ignore[arg-type]


def _without_fallbacks(out: list[Fact]) -> list[Fact]:
    """A fallback rule's count that differs from what a stronger rule of its key found is some
    other count (one office's share, say): it takes narrative.other."""
    fallback = {c.rule.id for c in catalogue().rules if c.rule.fallback}
    strong = {(f.key, f.value) for f in out if f.rule_id not in fallback}
    strong_keys = {key for key, _ in strong}
    return [f.model_copy(update={"key": _OTHER}) if f.rule_id in fallback and f.key in strong_keys
            and (f.key, f.value) not in strong else f for f in out]


def find(text: str, year: int | None = None, rules: tuple[CompiledRule, ...] | None = None) -> tuple[Fact, ...]:
    """The facts of a bare text (a sentence, a rule example): all of it is narrative."""
    doc = Document(text=text)
    out: list[Fact] = []
    _region_facts(doc, _region(doc.folded, 0, len(text), "text"), year, out, rules)
    return tuple(out)


def _region_facts(doc: Document, region: Region, year: int | None, out: list[Fact],
                  rules: tuple[CompiledRule, ...] | None = None) -> None:
    """Append the facts of one region to ``out`` (parents are indices into ``out``)."""
    cands = candidates(region.joined.text, year, rules)
    links = _link_parents(region, cands)
    scopes = _lead_scopes(region.joined.text)
    index: dict[int, int] = {}  # candidate position → index of its fact in ``out``
    for i, c in enumerate(cands):
        span = region.span(c.start, c.end)
        parent = index.get(links[i]) if i in links else None
        fact = Fact(
            key=c.rule.key, value=c.value, unit=c.unit, approximate=c.approximate, span=span,
            surface=doc.text[span.start : span.end], rule_id=c.rule.id, section=region.kind,
            subject=c.subject, parent=parent, percent=c.percent,
        )
        fact = _relabel(fact, out[parent] if parent is not None else None, c.start, scopes)
        if fact.key in _SUBJECT_KEYS and not fact.subject:
            fact = fact.model_copy(update={"subject": _subject(region.joined.text, c.start, c.end)})
        index[i] = len(out)
        out.append(fact)
        out.extend(fact.model_copy(update={"key": extra}) for extra in c.rule.also)
