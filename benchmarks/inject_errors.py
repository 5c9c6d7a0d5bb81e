"""Error injection over the whole corpus, run by hand: python benchmarks/inject_errors.py [options]

Every keyed cell of every table of every source text the gold files name gets four edits, one
at a time — a digit changed, the cell deleted, the cell duplicated, the cell blanked (digits and
marks drawn from ``--seed``) — and the edited text is parsed again. tests/inject.py says what is
checked; this prints the figures quoted in docs/robustness.md (edits by kind, how many break an
identity, % flagged, silent mis-seats, old values returned, time) and every failure with its
reproducer. ``--sample N`` runs N edits drawn with the seed instead of all; ``--jobs`` spreads the
parses over processes; ``--log FILE`` writes every failure, and every edit the exception to rule 2
explains, as JSON lines (to audit both).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # this checkout's gongkai, not an installed one

import gongkai  # noqa: E402
import inject  # noqa: E402  (tests/inject.py: the edits and the verdict)


def _judge(edit: inject.Edit) -> inject.Verdict:
    return inject.judge(edit)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--sample", type=int, default=0, help="edits drawn at random (0: every edit)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--log", type=Path, help="write each failure and each explained edit as a JSON line here")
    args = parser.parse_args()

    started = time.perf_counter()
    edits = list(inject.all_edits(args.seed))  # reads and parses every source once, before the fork
    loaded = time.perf_counter() - started
    if args.sample:
        edits = random.Random(args.seed).sample(edits, min(args.sample, len(edits)))
    started = time.perf_counter()
    with get_context("fork").Pool(args.jobs) as pool:
        verdicts = pool.map(_judge, edits, chunksize=8)
    elapsed = time.perf_counter() - started

    sources = {e.source for e in edits}
    cells = {(e.source, e.key) for e in edits}
    print(f"{len(edits)} edits of {len(cells)} cells in {len(sources)} source texts (seed {args.seed}), "
          f"{args.jobs} processes, gongkai from {Path(gongkai.__file__).parent}")
    print(f"{'kind':10s} {'edits':>6s} {'changed':>8s} {'flagged':>8s} {'breaks':>7s} {'flagged':>8s} "
          f"{'silent':>7s} {'old back':>8s} {'unique':>7s} {'blank':>6s}")
    print(f"{'':10s} {'':>6s} {'a value':>8s} {'':>8s} {'an id.':>7s} {'of those':>8s} {'':>7s} {'':>8s} "
          f"{'reading':>7s} {'unnamed':>6s}")
    rows = [*inject.KINDS, "all"]
    for kind in rows:
        vs = [v for v in verdicts if kind in (v.edit.kind, "all")]
        breaking = [v for v in vs if v.broken]
        print(f"{kind:10s} {len(vs):6d} {sum(bool(v.changed) for v in vs):8d} "
              f"{_pct(sum(v.flagged for v in vs), len(vs)):>8s} {len(breaking):7d} "
              f"{_pct(sum(not v.unflagged for v in breaking), len(breaking)):>8s} "
              f"{sum(bool(v.silent) for v in vs):7d} {sum(v.old_returned for v in vs):8d} "
              f"{sum(bool(v.unique) for v in vs):7d} {sum(v.blank_unnamed for v in vs):6d}")
    failed = [v for v in verdicts if not v.ok]
    print(f"failures: {len(failed)} edits ({sum(bool(v.silent) for v in verdicts)} silent mis-seats, "
          f"{sum(v.old_returned for v in verdicts)} old values returned, "
          f"{sum(bool(v.unflagged) for v in verdicts)} broken identities unflagged, "
          f"{sum(bool(v.error) for v in verdicts)} exceptions)")
    print(f"time: {elapsed:.0f} s for the edits ({1000 * elapsed * args.jobs / max(len(edits), 1):.0f} ms per edit "
          f"per process), {loaded:.0f} s to read and parse the sources")
    by_source = Counter((v.edit.source, v.edit.kind) for v in failed)
    for (name, kind), n in sorted(by_source.items()):
        print(f"  {name:28s} {kind:10s} {n:4d}")
    for v in failed[:40]:
        text = inject.source(v.edit.source).text
        print(v.edit.describe(text))
        print(f"    silent {v.silent} old_returned {v.old_returned} unflagged {[str(i) for i in v.unflagged]} {v.error}")
    if args.log:
        with args.log.open("w", encoding="utf-8") as out:
            for v in verdicts:
                if v.ok and not v.unique:
                    continue
                text = inject.source(v.edit.source).text
                out.write(json.dumps({
                    "ok": v.ok, "edit": v.edit.describe(text), "source": v.edit.source, "kind": v.edit.kind,
                    "key": v.edit.key, "start": v.edit.start, "end": v.edit.end, "replacement": v.edit.replacement,
                    "silent": {k: list(w) for k, w in v.silent.items()}, "old_returned": v.old_returned,
                    "unique": {k: list(w) for k, w in v.unique.items()}, "keyless": list(v.keyless),
                    "unflagged": [str(i) for i in v.unflagged], "error": v.error,
                }, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
