"""checks_doc: docs/checks.md, made by running gongkai on one example per finding code.

Every code of rules/findings.toml has a short hand-written input in rules/check_examples.toml.
``markdown()`` gives each code a section with its severity and summary, the key lines of its
input and the messages gongkai gives on it, so no example message is typed by hand
(``python -m gongkai.checks_doc > docs/checks.md``; tests/test_docs.py keeps the file current and
checks that every example raises its code).
"""

from __future__ import annotations

from functools import cache

from pydantic import model_validator

from . import parse_text, reconcile_series
from .errors import RuleError
from .models import Finding, Report, Span
from .rules import _Rules, finding_rules, load

_WHOLE = 24  # an input of at most this many lines is shown whole


class Example(_Rules):
    code: str
    note: str  # what is wrong in the input, one line
    text: str = ""  # one report
    texts: tuple[str, ...] = ()  # several years of one agency, for reconcile_series
    detail: str = ""  # prose beyond the summary in findings.toml

    @model_validator(mode="after")
    def _one_input(self) -> Example:
        if bool(self.text) == bool(self.texts):
            raise ValueError(f"{self.code}: give either text or texts")
        return self


class CheckExamples(_Rules):
    examples: tuple[Example, ...]


@cache
def examples() -> dict[str, Example]:
    """The example of each code, in the order of the file."""
    out: dict[str, Example] = {}
    for example in load("check_examples", CheckExamples).examples:
        if example.code in out:
            raise RuleError(f"rules/check_examples.toml: two examples for {example.code!r}")
        out[example.code] = example
    return out


def run(example: Example) -> tuple[tuple[Report, ...], list[Finding]]:
    """The example's reports as gongkai reads them, and its findings that carry its code."""
    if example.texts:
        reports = tuple(parse_text(t) for t in example.texts)
        findings = reconcile_series(reports)
    else:
        reports = (parse_text(example.text),)
        findings = list(reports[0].findings)
    return reports, [f for f in findings if f.code == example.code]


def _pointed_spans(example: Example, reports: tuple[Report, ...], found: list[Finding]) -> list[list[Span]]:
    """Per report, the spans the findings point at. A series finding's spans are in the later
    report only, so there each report's cells of the finding's keys are taken instead."""
    if not example.texts:
        return [[s for f in found for s in f.spans]]
    keys = {k for f in found for k in f.keys}
    return [[c.span for t in r.tables for c in t.cells if c.key in keys and c.span is not None] for r in reports]


def _key_lines(text: str, spans: list[Span]) -> list[str]:
    """A short input whole; a long one its title and the lines where the findings point at
    something other than 0 ("…" for lines left out)."""
    lines = text.rstrip("\n").split("\n")
    if len(lines) <= _WHOLE or not spans:
        return lines
    shown = sorted({0} | {text.count("\n", 0, s.start) for s in spans if s.of(text).strip() != "0"})
    out: list[str] = []
    for previous, n in zip([-1, *shown], shown):
        if n > previous + 1:
            out.append("…")
        out.append(lines[n])
    if shown[-1] < len(lines) - 1:
        out.append("…")
    return out


def _section(code: str) -> str:
    spec, example = finding_rules().codes[code], examples()[code]
    out = f"## {code}\n\n*{spec.severity}* · {spec.summary}\n"
    if example.detail:
        out += f"\n{example.detail.strip()}\n"
    reports, found = run(example)
    pointed = _pointed_spans(example, reports, found)
    shown = "\n\n".join("\n".join(_key_lines(r.text, spans)) for r, spans in zip(reports, pointed))
    messages = "".join(f"    {f.message}\n" for f in found)
    return out + f"\nExample: {example.note}\n\n```text\n{shown}\n```\n\ngives\n\n{messages}"


_HEAD = """# Finding codes

Every `Finding` has a stable `code`, a `severity` (error / warning / info), a message that shows
the arithmetic with every operand, the canonical keys involved and their spans in the source.
Codes, severities, summaries and message templates live in `gongkai/rules/findings.toml`; the
reader and table stages raise the codes about reading, the reconcile stage (`gongkai.reconcile`:
one report; `gongkai.reconcile_series`: several years of one agency) the checks. Rule ids (R3.1,
P7, N1 …) refer to FORMATS.md §8–9.

Two kinds of code never mix: an **error in the report** (the arithmetic codes) and **a number
gongkai could not read** (`cell_ambiguous`, `identities_broken`, `split_capped`,
`cell_unreadable`: the cell is left None). A check whose operand is None does not guess: it is
`not_assessable`.

`gongkai check FILE...` prints each finding with its source line and the span marked; exit
status 1 if any finding is an error, 0 otherwise, 2 for unreadable input; `--json` for machines.

Each section below shows a short hand-written input (`gongkai/rules/check_examples.toml`; for
the `series_*` codes, two years passed through `reconcile_series`), a long one cut to its title
and the lines the findings point at, then the messages gongkai gives on it. This page is
generated by `python -m gongkai.checks_doc > docs/checks.md`; `tests/test_docs.py` runs every
example and keeps the page current.
"""


def markdown() -> str:
    """docs/checks.md: the head, then one section per code in the order of findings.toml."""
    return _HEAD + "".join(f"\n{_section(code)}" for code in finding_rules().codes)


if __name__ == "__main__":
    print(markdown(), end="")
