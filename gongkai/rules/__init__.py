"""Rule files: the Chinese vocabulary of gongkai, read with tomllib and validated by pydantic.

Each ``*.toml`` beside this module is loaded once, on first use, into a pydantic model. A bad
file fails here with its name and the reason, never later as a confusing match.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any, TypeVar

import regex
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from ..errors import RuleError

M = TypeVar("M", bound=BaseModel)


def _compiles(pattern: str) -> str:
    try:
        regex.compile(pattern)
    except regex.error as exc:
        raise ValueError(f"bad regex {pattern!r}: {exc}") from exc
    return pattern


class _Rules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SectionKind(_Rules):
    kind: str
    printed: str
    standard: bool
    title: str

    _check = field_validator("title")(_compiles)


class RecoverCue(_Rules):
    kind: str
    cue: str
    examples: tuple[str, ...]  # texts in which the cue is found
    counterexamples: tuple[str, ...]  # texts in which it is not

    _check = field_validator("cue")(_compiles)

    @model_validator(mode="after")
    def _has_examples(self) -> RecoverCue:
        if not self.examples or not self.counterexamples:
            raise ValueError(f"recover cue of {self.kind}: needs at least one example and one counterexample")
        return self


class SectionRules(_Rules):
    numbering_cn: str
    numbering_digit: str
    numbering_mark: str
    numerals: str
    ten: str
    max_title_length: int
    legacy_title_end: str
    statistics_follows: str
    inline_before: str
    first_item: str
    open_paren: str
    attachment: str
    statistics_word: str
    title_suffix: str
    sentence_end: str
    misprint_chars_per_error: int
    heading_gap: str
    kinds: tuple[SectionKind, ...]
    recover: tuple[RecoverCue, ...]

    _check = field_validator(
        "numbering_cn", "numbering_digit", "numbering_mark", "sentence_end", "legacy_title_end",
        "statistics_follows", "inline_before", "first_item", "open_paren", "attachment", "statistics_word",
        "title_suffix", "heading_gap",
    )(
        _compiles
    )


_BLOCK_REF = regex.compile(r"\{([a-z_]+)\}")  # {year}: a named block; {1,2} stays a quantifier


def expand_blocks(pattern: str, blocks: dict[str, str]) -> str:
    """``pattern`` with each ``{name}`` replaced by the block's regex (blocks may use blocks)."""

    def one(m: regex.Match[str]) -> str:
        name = m.group(1)
        if name not in blocks:
            raise ValueError(f"unknown block {{{name}}}")
        return "(?:" + expand_blocks(blocks[name], {k: v for k, v in blocks.items() if k != name}) + ")"

    return _BLOCK_REF.sub(one, pattern)


class MetaRule(_Rules):
    """One pattern of rules/meta.toml with the examples that show what it reads.

    An example is ``{text = "…", <group> = "…"}``: the pattern, searched in the folded text,
    finds the named groups (``match`` = the whole match) as given. A counterexample is a text in
    which it finds nothing. tests/test_meta_rules.py runs each as its own test case.
    """

    pattern: str
    examples: tuple[dict[str, str], ...]
    counterexamples: tuple[str, ...]

    @model_validator(mode="after")
    def _examples_fit(self) -> MetaRule:
        if not self.examples or not self.counterexamples:
            raise ValueError("needs at least one example and one counterexample")
        for example in self.examples:
            if "text" not in example:
                raise ValueError(f"example {example} has no text")
        return self


class MetaRules(_Rules):
    """rules/meta.toml: the report's title, agency, year, period, contacts and template evidence.

    ``{name}`` in a pattern is a block of ``[blocks]``; patterns are expanded and checked on load,
    and an example may name only groups its pattern has.
    """

    blocks: dict[str, str]
    title_max_length: int
    template_evidence: int
    title_header: MetaRule
    header_line: MetaRule
    body_line: MetaRule
    markup: MetaRule
    title_end: MetaRule
    title_agency_first: MetaRule
    title_year_first: MetaRule
    title_no_year: MetaRule
    title_fallback: MetaRule
    bare_level: MetaRule
    name_stop: MetaRule
    period: MetaRule
    period_months: MetaRule
    body_year: MetaRule
    opening_agency: MetaRule
    signature: MetaRule
    published_header: MetaRule
    signed: MetaRule
    phone: MetaRule
    address: MetaRule
    website: MetaRule
    website_cue: MetaRule
    document_number: MetaRule
    document_bracket: MetaRule
    table_line: MetaRule
    table_gap: MetaRule

    @model_validator(mode="before")
    @classmethod
    def _expand(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        blocks = data.get("blocks", {})
        out = dict(data)
        for name, rule in data.items():
            if isinstance(rule, dict) and "pattern" in rule:
                try:
                    pattern = expand_blocks(rule["pattern"], blocks)
                    groups = set(regex.compile(pattern).groupindex) | {"text", "match"}
                except (ValueError, regex.error) as exc:
                    raise ValueError(f"{name}: bad pattern: {exc}") from exc
                for example in rule.get("examples", ()):
                    unknown = set(example) - groups if isinstance(example, dict) else set()
                    if unknown:
                        raise ValueError(f"{name}: example names groups the pattern lacks: {sorted(unknown)}")
                out[name] = dict(rule, pattern=pattern)
        return out

    def rules(self) -> dict[str, MetaRule]:
        """Every pattern rule by name (the examples' test runs them all)."""
        return {name: value for name, value in self if isinstance(value, MetaRule)}


def read_toml(name: str) -> dict[str, Any]:
    """The raw content of ``gongkai/rules/<name>.toml``; RuleError when it is not valid TOML."""
    try:
        data = resources.files(__package__).joinpath(f"{name}.toml").read_bytes()
        return tomllib.loads(data.decode("utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RuleError(f"rules/{name}.toml: {exc}") from exc


@cache
def compiled(pattern: str) -> regex.Pattern[str]:
    """A rule's regex, compiled once per process (rule patterns are few and reused per report)."""
    return regex.compile(pattern)


def load(name: str, model: type[M], table: str | None = None) -> M:
    """Validate ``rules/<name>.toml`` — or its ``[table]`` alone — into ``model``; RuleError
    names the file, the table and the reason."""
    where = f"rules/{name}.toml" + (f" [{table}]" if table else "")
    data = read_toml(name)
    try:
        return model.model_validate(data if table is None else data[table])
    except KeyError:
        raise RuleError(f"{where}: no such table") from None
    except ValidationError as exc:
        raise RuleError(f"{where}: {exc}") from exc


@cache
def section_rules() -> SectionRules:
    return load("sections", SectionRules)


@cache
def meta_rules() -> MetaRules:
    return load("meta", MetaRules)


class FindingCode(_Rules):
    severity: str
    summary: str
    message: str

    @field_validator("severity")
    @classmethod
    def _severity(cls, value: str) -> str:
        if value not in ("error", "warning", "info"):
            raise ValueError(f"severity must be error, warning or info, not {value!r}")
        return value


class FindingRules(_Rules):
    codes: dict[str, FindingCode]


@cache
def finding_rules() -> FindingRules:
    return load("findings", FindingRules)


_WIDE_GAP = regex.compile(r"(?<=\p{Han})\s+(?=\p{Han})")


def _one_line(text: str) -> str:
    """A surface quoted from PDF or web text, as one line: breaks between two Chinese characters
    dropped (受理政府\n信息公开), other runs of whitespace one space."""
    return " ".join(_WIDE_GAP.sub("", text).split())


def finding(code: str, *, keys=(), spans=(), severity: str | None = None, **fields: Any):
    """A Finding for ``code`` with its message template (rules/findings.toml) filled in."""
    from ..models import Finding  # the models do not depend on the rules; this keeps it so

    try:
        spec = finding_rules().codes[code]
    except KeyError:
        raise RuleError(f"rules/findings.toml: no finding code {code!r}") from None
    fields = {k: _one_line(v) if isinstance(v, str) else v for k, v in fields.items()}
    try:
        message = spec.message.format(**fields)
    except (KeyError, IndexError) as exc:
        raise RuleError(f"rules/findings.toml: {code}: message needs field {exc}") from exc
    return Finding(
        code=code,
        severity=severity or spec.severity,  # type: ignore[arg-type]
        message=message,
        keys=tuple(keys),
        spans=tuple(spans),
    )


class DisplayRules(_Rules):
    labels: dict[str, str]
    measures: tuple[str, ...]
    sentence_end: str


@cache
def display_rules() -> DisplayRules:
    """Labels of the pages and notebook views (display.py) and the key measures they show."""
    return load("display", DisplayRules)
