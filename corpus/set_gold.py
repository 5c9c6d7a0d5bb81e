"""Set one top-level field of a gold file: python corpus/set_gold.py ID FIELD < value.json

Several people (and helpers) extend the same gold files; this takes a lock so that two
updates of different fields never lose each other. FIELD is a top-level key (values, facts,
findings, …); with --merge a dict value is merged into the existing one.
"""

import fcntl
import json
import sys
from pathlib import Path

here = Path(__file__).parent / "gold"


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--merge"]
    gold_id, field = args
    value = json.load(sys.stdin)
    path = here / f"{gold_id}.json"
    with open(here / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        gold = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        if "--merge" in sys.argv and isinstance(gold.get(field), dict):
            gold[field].update(value)
        else:
            gold[field] = value
        path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
