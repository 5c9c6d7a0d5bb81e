"""harmonise: one view across template generations, and agency names for grouping years.

``panel(data)`` turns the wide frame (or reports, or paths) into one row per report with the
common measures of rules/panel.toml — applications received, closed, granted, proactive total,
review and litigation totals … — read from whichever keys the report's generation prints, so a
measure can be plotted from 2008 to today. docs/panel.md (``python -m gongkai.harmonise``) lists the
mapping and what does not carry over.

``agency_key(name)`` is the name a series is grouped by: the printed agency less a leading 关于,
its higher places (淮安市洪泽区人民政府 → 洪泽区), a place's government suffix, and an office name
changed in 2018 (环境保护局 → 生态环境局); rules/series.toml holds the vocabulary and examples.
Two different offices whose innermost place and name agree (a 鼓楼区 in two cities) share a key:
group within a province or a crawl, not across the country. ``group_by_agency`` orders each
group's reports by year, ready for ``reconcile_series``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import regex
from pydantic import field_validator, model_validator

from .models import Report
from .rules import _compiles, _Rules, load

# --- agency names ----------------------------------------------------------------------------


class AgencyRules(_Rules):
    lead: str
    place: str
    not_place: str
    government: str
    renamed: dict[str, str]
    examples: tuple[tuple[str, str], ...]

    _check = field_validator("lead", "place", "not_place", "government")(_compiles)


@cache
def agency_rules() -> AgencyRules:
    return load("series", AgencyRules, "agency")


def _places(name: str) -> tuple[list[str], str]:
    """The leading place components of a name, and the rest (the office)."""
    rules = agency_rules()
    place, not_place = regex.compile(rules.place), regex.compile(rules.not_place)
    places: list[str] = []
    while (m := place.match(name)) and not not_place.search(m.group()):
        places.append(m.group())
        name = name[m.end():]
    return places, name


def agency_key(name: str | None) -> str | None:
    """The key an agency's reports are grouped by across years (see the module docstring)."""
    if not name:
        return None
    rules = agency_rules()
    name = regex.sub(rules.lead, "", "".join(name.split()))
    for old, new in rules.renamed.items():
        if name.endswith(old):
            name = name[: -len(old)] + new
    places, office = _places(name)
    if not places:
        return name
    if regex.match(rules.government, office):
        office = ""
    return places[-1] + office


def group_by_agency(reports: Iterable[Report]) -> dict[str, list[Report]]:
    """Reports by ``agency_key``, each group ordered by year; reports without agency or year
    are left out (they cannot be placed in a series)."""
    groups: dict[str, list[Report]] = {}
    for r in reports:
        key = agency_key(r.meta.agency)
        if key is not None and r.meta.year is not None:
            groups.setdefault(key, []).append(r)
    return {k: sorted(v, key=lambda r: r.meta.year or 0) for k, v in sorted(groups.items())}


# --- measures ----------------------------------------------------------------------------------


class Measure(_Rules):
    name: str
    label: str
    ways: dict[str, tuple[tuple[str, ...], ...]]  # generation → ways, each a sum of keys

    @model_validator(mode="before")
    @classmethod
    def _ways(cls, data: Any) -> Any:
        """Generations are the other members of the entry; a way is 'key + key'."""
        if isinstance(data, dict) and "ways" not in data:
            ways = {g: [tuple(k.strip() for k in way.split("+")) for way in v]
                    for g, v in data.items() if g not in ("name", "label")}
            data = {"name": data.get("name"), "label": data.get("label"), "ways": ways}
        return data


class PanelRules(_Rules):
    measures: tuple[Measure, ...]
    not_carried: dict[str, str]

    @model_validator(mode="after")
    def _known_keys(self) -> PanelRules:
        from .fields import value_keys
        from .template import generations

        keys, names = set(value_keys()), {g.name for g in generations()}
        for m in self.measures:
            for generation, ways in m.ways.items():
                if generation not in names:
                    raise ValueError(f"{m.name}: no template generation {generation!r}")
                unknown = [k for way in ways for k in way if k not in keys]
                if unknown:
                    raise ValueError(f"{m.name}: keys no rule defines: {unknown}")
        return self


@cache
def panel_rules() -> PanelRules:
    return load("panel", PanelRules)


def panel(data: Any, workers: int | None = 1) -> Any:
    """A pandas DataFrame, one row per report: report_id, agency, agency_key, year, template,
    then each measure (nullable) and ``<measure>:key``, the key(s) it was read from.

    ``data`` is a wide frame (``gongkai.frame``, or one read back from Parquet), or Reports or
    paths, framed first. Rows that failed to parse keep their id with every measure null.
    """
    import pandas as pd

    from .frames import frame

    wide = data if isinstance(data, pd.DataFrame) else frame(data, shape="wide", workers=workers)
    out = wide[["report_id", "agency", "agency_key", "year", "template"]].copy()
    for m in panel_rules().measures:
        value = pd.Series(pd.NA, index=wide.index, dtype="Float64")
        source = pd.Series(pd.NA, index=wide.index, dtype="string")
        for generation, ways in m.ways.items():
            for way in ways:
                columns = [wide[k] for k in way if k in wide]
                if len(columns) < len(way):
                    continue
                take = (wide["template"] == generation).fillna(False) & value.isna()
                for c in columns:
                    take &= c.notna()
                value = value.mask(take, sum(c.astype("Float64") for c in columns))
                source = source.mask(take, " + ".join(way))
        out[m.name] = value if (value.dropna() % 1 != 0).any() else value.astype("Int64")
        out[f"{m.name}:key"] = source
    return out


def markdown() -> str:
    """docs/panel.md: each measure with its keys per generation, then what does not carry over."""
    rules = panel_rules()
    generations = list(dict.fromkeys(g for m in rules.measures for g in m.ways))  # as the rule file lists them
    head = ("# The panel across template generations\n\n"
            "`gongkai.panel(frame_or_reports)` gives one row per report with the measures below, "
            "read from the keys of the report's template generation (`meta.template`) in the order "
            "listed: the first way whose every key the report printed with a number. A blank or "
            "absent operand never counts as 0, so a measure is null rather than guessed; the "
            "`<measure>:key` column says which keys gave it. Generated from "
            "`gongkai/rules/panel.toml` by `python -m gongkai.harmonise > docs/panel.md`.\n\n"
            "Agencies are grouped across years by `agency_key` (rules/series.toml): "
            + ", ".join(f"{a} → {b}" for a, b in agency_rules().examples) + ".\n")
    table = "\n| measure | what | " + " | ".join(generations) + " |\n|---|---|" + "---|" * len(generations) + "\n"
    for m in rules.measures:
        cells = [", then ".join(" + ".join(f"`{k}`" for k in way) for way in m.ways.get(g, ())) or "—"
                 for g in generations]
        table += f"| `{m.name}` | {m.label} | " + " | ".join(cells) + " |\n"
    missing = "\n## What does not carry over\n\n" + "".join(
        f"- `{what}`: {why}\n" for what, why in rules.not_carried.items())
    return head + table + missing


if __name__ == "__main__":
    print(markdown(), end="")
