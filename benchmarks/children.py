"""Run a fuzzing child (tests/fuzz.py ``run_cases``) until its cases are done, starting a new
one after a crash, so that a segfault is counted with the case that caused it instead of ending
the run (benchmarks/fuzz_readers.py, benchmarks/fuzz_text.py)."""

from __future__ import annotations

import collections
import json
import subprocess
import sys

FAILED = ("ESCAPED", "HANG", "SPANS")  # outcomes that are failures, listed by name


def run(child: str, args: list[str], stdin: str) -> dict:
    """``python -c child ROOT-args… START`` again and again from the case after the last crash."""
    outcomes: collections.Counter[str] = collections.Counter()
    bad: list[str] = []
    times: list[float] = []
    slowest: list[tuple[int, str]] = []
    start = 0
    while True:
        done = subprocess.run([sys.executable, "-c", child, *args, str(start)], input=stdin,
                              capture_output=True, text=True)
        lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
        for line in lines:
            if "outcome" in line:
                outcomes[line["outcome"].split(":")[0]] += 1
                times.append(line["ms"])
                slowest.append((round(line["ms"]), line["name"]))
                if line["outcome"].startswith(FAILED):
                    bad.append(f"{line['name']}: {line['outcome']}")
        if done.returncode == 0:
            break
        last = lines[-1] if lines else {"case": start, "name": "?"}
        bad.append(f"{last['name']}: exit {done.returncode} {done.stderr[-300:]}")
        outcomes["CRASH"] += 1
        start = last["case"] + 1
    times.sort()
    return {"cases": sum(outcomes.values()), "outcomes": dict(outcomes), "bad": bad,
            "median_ms": round(times[len(times) // 2], 1) if times else 0,
            "max_ms": round(times[-1]) if times else 0, "slowest": sorted(slowest, reverse=True)[:5]}
