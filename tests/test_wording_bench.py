"""The wording bench (issue 11): precision and recall per key on sentences written in the
shapes of WORDING.md (tests/wording_bench.toml), each parsed as the 总体情况 of a report of
its year (the other five headings follow, empty). A fact matches a label when key, value and
approximation agree and its span overlaps the labelled characters; a fact of a scored key
that matches no label is a false positive. ``python -m pytest -s tests/test_wording_bench.py -k table`` prints the table and
every sentence read wrong; the floor per key may only go up.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

import gongkai

BENCH = Path(__file__).with_name("wording_bench.toml")
LABEL = re.compile(r"【([^【】|]*)\|([^【】]+)】")
TITLE = "某单位{year}年政府信息公开工作年度报告\n一、总体情况\n"
# The other five headings, empty: each table is then looked for in its own section, never in
# the sentence (a 第二十条 in 总体情况 is no table-2 label).
REST = "\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
REQUIRED = ("narrative.proactive.total", "narrative.applications.received", "narrative.npc_suggestions",
            "narrative.cppcc_proposals", "narrative.review.total", "narrative.litigation.total")


@dataclass(frozen=True)
class Label:
    key: str
    value: float
    approximate: bool
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    group: str
    year: int
    level: str
    text: str
    labels: tuple[Label, ...]


def _value(surface: str, given: str | None) -> float:
    if given is not None:
        return float(given)
    numbers = re.findall(r"\d[\d,]*(?:\.\d+)?", surface)
    assert len(numbers) == 1, f"label {surface!r} needs an explicit =value"
    return float(numbers[0].replace(",", ""))


def parse_labels(marked: str) -> tuple[str, tuple[Label, ...]]:
    """The plain text and its labels: 【surface|key(=value)(~)|…】 → spans into the plain text."""
    plain, labels, pos = [], [], 0
    for m in LABEL.finditer(marked):
        plain.append(marked[pos : m.start()])
        start = sum(map(len, plain))
        surface = m.group(1)
        plain.append(surface)
        for part in m.group(2).split("|"):
            spec = re.fullmatch(r"(narrative\.[a-z_.]+)(?:=([\d.]+))?(~)?", part)
            assert spec, f"bad label {part!r} in {marked!r}"
            labels.append(Label(spec[1], _value(surface, spec[2]), bool(spec[3]), start, start + len(surface)))
        pos = m.end()
    plain.append(marked[pos:])
    text = "".join(plain)
    assert "【" not in text and "】" not in text, f"unbalanced label in {marked!r}"
    return text, tuple(labels)


def load() -> tuple[list[Sentence], dict[str, tuple[float, float]]]:
    data = tomllib.loads(BENCH.read_text(encoding="utf-8"))
    floor = {k: (float(p), float(r)) for k, (p, r) in data.pop("floor").items()}
    out = []
    for section, lists in data.items():
        for name, entries in lists.items():
            for year, level, marked in entries:
                text, labels = parse_labels(marked)
                out.append(Sentence(f"{section}.{name}", year, level, text, labels))
    return out, floor


SENTENCES, FLOOR = load()
SCORED = sorted({label.key for s in SENTENCES for label in s.labels})


def _score(sentence: Sentence) -> tuple[Counter, Counter, Counter, list[str]]:
    """(true positives, false positives, false negatives) per key, and what went wrong."""
    prefix = TITLE.format(year=sentence.year)
    report = gongkai.parse_text(prefix + sentence.text + REST)
    got = [f for f in report.facts if f.key in SCORED]
    tp, fp, fn = Counter(), Counter(), Counter()
    errors: list[str] = []
    unused = list(got)
    for label in sentence.labels:
        hit = next((f for f in unused if f.key == label.key and float(f.value) == label.value
                    and f.approximate == label.approximate
                    and f.span.start - len(prefix) < label.end and f.span.end - len(prefix) > label.start), None)
        if hit is None:
            fn[label.key] += 1
            errors.append(f"missed {label.key}={label.value:g}{'~' * label.approximate}")
        else:
            tp[label.key] += 1
            unused.remove(hit)
    for f in unused:
        fp[f.key] += 1
        errors.append(f"spurious {f.key}={f.value}{'~' * f.approximate} ({f.surface})")
    return tp, fp, fn, errors


def bench() -> tuple[dict[str, tuple[int, int, int]], list[str]]:
    """key → (tp, fp, fn) over the bench, and one line per sentence that went wrong."""
    tp, fp, fn = Counter(), Counter(), Counter()
    wrong = []
    for s in SENTENCES:
        a, b, c, errors = _score(s)
        tp, fp, fn = tp + a, fp + b, fn + c
        if errors:
            wrong.append(f"[{s.group} {s.year} {s.level}] {s.text}\n    " + "; ".join(errors))
    return {k: (tp[k], fp[k], fn[k]) for k in SCORED}, wrong


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def table(counts: dict[str, tuple[int, int, int]]) -> str:
    lines = [f"{'key':<42} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}"]
    for key, (tp, fp, fn) in counts.items():
        lines.append(f"{key:<42} {tp:>4} {fp:>4} {fn:>4} {_ratio(tp, tp + fp):>10.3f} {_ratio(tp, tp + fn):>8.3f}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def result():
    return bench()


def test_bench_is_big_enough():
    """At least eight labelled counts per key of the issue, and sentences that must give none."""
    positives = Counter(label.key for s in SENTENCES for label in s.labels)
    assert all(positives[k] >= 8 for k in REQUIRED), positives
    for key in REQUIRED:
        assert sum(key not in {label.key for label in s.labels} for s in SENTENCES) >= 8
    assert set(FLOOR) == set(REQUIRED)
    assert {s.level for s in SENTENCES} >= {"township", "county", "city", "province"}
    assert len({s.year for s in SENTENCES}) >= 6


def test_labels_parse_to_spans():
    text, labels = parse_labels("全年主动公开政府信息【1.2万余条|narrative.proactive.total=12000~】，未发生"
                                "【行政复议和行政诉讼|narrative.review.total=0|narrative.litigation.total=0】。")
    assert text == "全年主动公开政府信息1.2万余条，未发生行政复议和行政诉讼。"
    assert [(lb.key, lb.value, lb.approximate, text[lb.start : lb.end]) for lb in labels] == [
        ("narrative.proactive.total", 12000, True, "1.2万余条"),
        ("narrative.review.total", 0, False, "行政复议和行政诉讼"),
        ("narrative.litigation.total", 0, False, "行政复议和行政诉讼"),
    ]


@pytest.mark.parametrize("key", REQUIRED)
def test_floor(result, key):
    counts, wrong = result
    tp, fp, fn = counts[key]
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    floor_p, floor_r = FLOOR[key]
    assert precision >= floor_p and recall >= floor_r, (
        f"{key}: precision {precision:.3f} (floor {floor_p}), recall {recall:.3f} (floor {floor_r})\n"
        + "\n".join(w for w in wrong if key in w))


def test_print_table(result):
    counts, wrong = result
    print("\n" + table(counts))
    print("\n".join(wrong))

