"""Shared paths. Reports under ../shared are used in place; tests skip when it is absent."""

from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared" / "corpus"
SEEDS = sorted(CORPUS.glob("[0-9][0-9][0-9]_*.txt"))


def shared(relative: str) -> Path:
    """A file under ../shared/corpus, or a skip saying it is absent."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not beside this checkout)")
    return path


@cache
def parsed_shared(relative: str):
    """A shared report parsed once per test session (Reports are immutable, so sharing is safe)."""
    import gongkai

    return gongkai.parse(shared(relative))


def shared_files() -> list[Path]:
    return sorted(p for p in SHARED.rglob("*") if p.is_file() and p.name != "SOURCES.md") if SHARED.exists() else []
