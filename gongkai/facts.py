"""facts: Document + sections → narrative Facts by declarative rules (rules/narrative.toml).

Not built yet (issue 4): this stage returns nothing, so Reports carry no
values/facts/findings from it. The signature is the one report.build calls.
"""

from __future__ import annotations

from .models import Fact, Section
from .read import Document


def facts(doc: Document, sections: tuple[Section, ...]) -> tuple[Fact, ...]:
    """Every count the narrative states, each with its span and rule id."""
    return ()
