"""tables: Document + sections → Tables (standard tables located, cells keyed and spanned).

Not built yet (issue 3): this stage returns nothing, so Reports carry no
values/facts/findings from it. The signature is the one report.build calls.
"""

from __future__ import annotations

from .models import Finding, Section, Table
from .read import Document


def tables(doc: Document, sections: tuple[Section, ...], template: str | None) -> tuple[tuple[Table, ...], list[Finding]]:
    """The statistical tables of the report, with findings for missing or truncated ones."""
    return (), []
