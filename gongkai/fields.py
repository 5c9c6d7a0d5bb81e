"""fields: every canonical key gongkai fills, with its Chinese label, from the rule files.

``catalogue()`` is what a user needs to label a DataFrame's columns or check a key; docs/fields.md
is its ``markdown()`` (``python -m gongkai.fields > docs/fields.md``; a test keeps them equal).
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache

import regex

from .errors import UnknownKeyError
from .facts import catalogue as narrative_catalogue
from .models import Meta
from .template import Generation, generations, legacy

# A pre-2019 label is a pattern; its first spelling is shown: (?:A|B) → A, [他它] → 他, x? → x.
_FIRST_ALTERNATIVE = regex.compile(r"\(\?:([^()|]*)(?:\|[^()]*)?\)")
_FIRST_OF_CLASS = regex.compile(r"\[([^\]])[^\]]*\]")
_SYNTAX = regex.compile(r"\\s\*|[\^$?]")


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    source: str  # "2021 table 三", "2019 table 二", "pre2019", "narrative"


def _spelling(pattern: str) -> str:
    previous = None
    while previous != pattern:
        previous, pattern = pattern, _FIRST_ALTERNATIVE.sub(r"\1", pattern)
    return _SYNTAX.sub("", _FIRST_OF_CLASS.sub(r"\1", pattern))


def _standard_fields(rules: Generation) -> list[Field]:
    out = []
    for table in rules.tables.values():
        source = f"{rules.name} table {table.number}"
        if table.shape == "single_row":
            out += [Field(key, printed, source) for key, printed in table.columns]
            continue
        for row in table.rows:
            out += [Field(key, f"{row.label}·{printed}", source)
                    for key, (_, printed) in zip(table.cell_keys(row.key), table.columns_of(row.key))]
    return out


def _legacy_fields() -> list[Field]:
    """One key per printed row; a 历年累计 column adds ``.cumulative`` to it."""
    aliases = legacy().aliases
    groups = {a.key: _spelling(a.label) for a in aliases if a.group}
    out, seen = [], set()
    for alias in aliases:
        key = f"legacy.{alias.key}"
        if key in seen:
            continue
        seen.add(key)
        label = _spelling(alias.label)
        if alias.within in groups:  # a label repeated under several groups (乡镇 under 查阅点, 接待人数)
            label = f"{groups[alias.within]}·{label}"
        out.append(Field(key, label, "pre2019"))
    return out


def _narrative_fields() -> list[Field]:
    return [Field(key, label, "narrative") for key, label in narrative_catalogue().labels.items()]


def _meta_fields() -> list[Field]:
    return [Field(f"meta.{name}", info.description or "", "meta") for name, info in Meta.model_fields.items()]


def catalogue() -> list[Field]:
    """Every key of the meta, the 2021, 2019 and pre-2019 tables and the narrative, in printed order."""
    standard = [f for g in generations() if isinstance(g, Generation) for f in _standard_fields(g)]
    return [*_meta_fields(), *standard, *_legacy_fields(), *_narrative_fields()]


CUMULATIVE = ".cumulative"  # a pre-2019 历年累计 column: the row's key plus this


@cache
def value_keys() -> tuple[str, ...]:
    """Every key ``Report.values()`` can hold, in catalogue order; a pre-2019 row's 历年累计
    (``.cumulative``) right after the row."""
    out: dict[str, None] = {}  # the 2019 and 2021 tables share most keys
    for f in catalogue():
        if f.source != "meta":
            out.update(dict.fromkeys([f.key, f.key + CUMULATIVE] if f.source == "pre2019" else [f.key]))
    return tuple(out)


@cache
def table_kinds() -> tuple[str, ...]:
    """The kinds ``Report.table`` knows: each generation's tables, the pre-2019 one, unmapped rows."""
    kinds = {kind: None for g in generations() if isinstance(g, Generation) for kind in g.tables}
    return (*kinds, "legacy", "unmapped")


def _unknown(what: str, name: str, known: tuple[str, ...]) -> UnknownKeyError:
    close = get_close_matches(name, known, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else "; docs/fields.md lists them all"
    return UnknownKeyError(f"{name!r} is not a {what} gongkai knows{hint}")


def require_key(key: str) -> None:
    """Raise UnknownKeyError for a key no rule defines (a typo); a real key passes."""
    if key not in set(value_keys()):
        raise _unknown("key", key, value_keys())


def require_table_kind(kind: str) -> None:
    if kind not in table_kinds():
        raise _unknown("table kind", kind, table_kinds())


def markdown() -> str:
    head = ("# Canonical keys\n\nEvery key `Report.values()` can hold (and the `Report.meta` fields), with the "
            "label the report prints (or, for narrative keys, what the sentence counts). Generated from "
            "gongkai/rules/*.toml by "
            "`python -m gongkai.fields > docs/fields.md`; a test keeps this file current.\n")
    parts = [head]
    groups: dict[str, list[Field]] = {}
    for f in catalogue():
        groups.setdefault(f.source.split()[0], []).append(f)
    titles = {"meta": "Report metadata (`Report.meta`)", "narrative": "Narrative facts",
              "pre2019": "Pre-2019 statistics tables (a cumulative column adds `.cumulative` to the key)"}
    for name, fields in groups.items():
        parts.append(f"\n## {titles.get(name, f'{name} template')}\n\n| key | label | table |\n|---|---|---|\n")
        parts.extend(f"| `{f.key}` | {f.label} | {f.source} |\n" for f in fields)
    return "".join(parts)


if __name__ == "__main__":
    print(markdown(), end="")
