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
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

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

    _check = field_validator("cue")(_compiles)


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
    kinds: tuple[SectionKind, ...]
    recover: tuple[RecoverCue, ...]

    _check = field_validator(
        "numbering_cn", "numbering_digit", "numbering_mark", "sentence_end", "legacy_title_end",
        "statistics_follows", "inline_before", "first_item", "open_paren", "attachment", "statistics_word",
        "title_suffix",
    )(
        _compiles
    )


class MetaRules(_Rules):
    title_end: str
    title_header: str
    title_parts: str
    title_fallback: str
    title_truncated: str
    bare_level: str
    name_stop: str
    period: str
    published_header: str
    signed: str
    phone: str
    address: str
    website: str
    website_cue: str

    _check = field_validator(
        "title_end", "title_header", "title_parts", "title_fallback", "title_truncated", "bare_level",
        "name_stop", "period", "published_header", "signed", "phone", "address", "website", "website_cue",
    )(_compiles)


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


def load(name: str, model: type[M]) -> M:
    """Validate ``rules/<name>.toml`` into ``model``; RuleError names the file and reason."""
    try:
        return model.model_validate(read_toml(name))
    except ValidationError as exc:
        raise RuleError(f"rules/{name}.toml: {exc}") from exc


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
