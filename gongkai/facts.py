"""facts: Document + sections → narrative Facts by declarative rules (rules/narrative.toml)."""

from __future__ import annotations

from .models import Fact, Section
from .read import Document


def facts(doc: Document, sections: tuple[Section, ...]) -> tuple[Fact, ...]:
    """Every count the narrative states, each with its span and rule id."""
    return ()
