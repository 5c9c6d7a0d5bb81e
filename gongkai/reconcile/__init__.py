"""reconcile: Report → Findings. Identities and cross-checks (FORMATS.md §8–9); never repairs a number.

One small function per check, by family: ``structure`` (meta, format, coverage), ``identities``
(the tables' 勾稽关系 as the template rules declare them, the pre-2019 P-rules, cell domains),
``narrative`` (what the text states against the tables) and ``series`` (across years). They are
listed in ``CHECKS`` (``reconcile``) and ``SERIES_CHECKS`` (``reconcile_series``, several years
of one agency). Each yields Findings whose message shows the arithmetic with every operand
(``行政复议：维持10+纠正1+其他0+尚未审结0=11 ≠ 总计0``), the keys involved and the spans of the
cells and facts compared.

Principles:
- a printed number is never changed, and a recomputed total never replaces a printed one;
- an operand that is blank (None) or absent makes that comparison not assessable: the check
  yields ``_Unassessable`` and ``reconcile`` folds those into one ``not_assessable`` info per
  check, naming the missing keys — never a guess, never hundreds of lines for a blank table;
- a check about a table the report does not have yields nothing (``table_missing`` and
  ``section_missing`` come from the earlier stages and are not repeated here);
- tolerance 0 for counts, ``amount_tolerance`` for 万元 amounts, the printed precision for a
  percentage;
- an error in the report (these codes) and a number gongkai could not read (``cell_ambiguous``,
  ``cell_unreadable`` from the tables stage) are different codes.

Rows, columns and identities of the tables are data in ``rules/table_<generation>.toml``
(``gongkai.template``); message labels and the phrases of the other checks in ``rules/reconcile.toml``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ..models import Finding, Report
from ..rules import finding
from ._view import Outcome, _View
from .identities import cell_domain, legacy_cumulative, legacy_partitions, legacy_subsets, table2_units, table_identities
from .narrative import (narrative_breakdown, narrative_channels, narrative_completion_rate, narrative_counts,
                        narrative_fees, narrative_percentages, narrative_proposals, narrative_statements)
from .series import Year, series_cumulative, series_identities, series_repetition
from .structure import (blank_cells, carry_forward_explained, general_coverage, next_year_phrase, period_is_calendar_year,
                        problems_section, published_in_time, template_matches_year, title_year_matches_period)

__all__ = ["CHECKS", "SERIES_CHECKS", "reconcile", "reconcile_series"]

Check = Callable[[_View], Iterable[Outcome]]
SeriesCheck = Callable[[Year, Year], Iterable[Outcome]]

CHECKS: tuple[Check, ...] = (
    template_matches_year,
    title_year_matches_period,
    period_is_calendar_year,
    published_in_time,
    next_year_phrase,
    table_identities,
    cell_domain,
    table2_units,
    legacy_partitions,
    legacy_subsets,
    legacy_cumulative,
    narrative_counts,
    narrative_statements,
    narrative_channels,
    narrative_percentages,
    narrative_breakdown,
    narrative_fees,
    narrative_completion_rate,
    narrative_proposals,
    blank_cells,
    problems_section,
    general_coverage,
    carry_forward_explained,
)

SERIES_CHECKS: tuple[SeriesCheck, ...] = (series_identities, series_cumulative, series_repetition)


def _settle(outcomes: Iterable[Outcome]) -> list[Finding]:
    """Findings in order, then one ``not_assessable`` per check naming every missing key."""
    findings: list[Finding] = []
    missing: dict[str, dict[str, None]] = {}
    counts: dict[str, int] = {}
    for outcome in outcomes:
        if isinstance(outcome, Finding):
            findings.append(outcome)
        else:
            missing.setdefault(outcome.check, {}).update(dict.fromkeys(outcome.keys))
            counts[outcome.check] = counts.get(outcome.check, 0) + 1
    for check, keys in missing.items():
        shown = list(keys)[:4]
        more = f" (+{len(keys) - len(shown)})" if len(keys) > len(shown) else ""
        findings.append(finding("not_assessable", keys=tuple(keys), check=check, count=counts[check],
                                missing=", ".join(shown) + more))
    return findings


def reconcile(report: Report) -> list[Finding]:
    """Findings for everything in the report that does not add up (CHECKS, in order)."""
    view = _View(report)
    return _settle(outcome for check in CHECKS for outcome in check(view))


def reconcile_series(reports: Sequence[Report]) -> list[Finding]:
    """Cross-year findings for several Reports of one agency, each pair of consecutive years.

    The caller groups reports by agency (names change between years: 平潭综合实验区 /
    平潭综合实验区管委会, so no grouping is guessed here). Reports are ordered by ``meta.year``;
    a report is compared with every report of the year before. The spans of a finding point
    into the later report's text; the message names both years.

    >>> years = [gongkai.parse(f"../shared/corpus/pdf/huaian-hongze-{y}.pdf") for y in (2023, 2024)]
    >>> [f.code for f in gongkai.reconcile_series(years)]
    ['series_repeated_text']
    """
    views = sorted(((_View(r), r.meta.year) for r in reports if r.meta.year is not None), key=lambda v: v[1])
    outcomes: list[Outcome] = []
    for later in views:
        for earlier in views:
            if earlier[1] == later[1] - 1:
                for check in SERIES_CHECKS:
                    outcomes.extend(check(earlier, later))
    return _settle(outcomes)
