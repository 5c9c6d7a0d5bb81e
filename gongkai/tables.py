"""tables: Document + sections → Tables (standard tables located, cells keyed and spanned).

Built so far: the pre-2019 统计表 (``_legacy_table``). The 2019/2021 tables 2–4 are not
read yet (issue 3): for those reports this stage returns no tables, so their values are
absent, never zero-filled. ``_runtogether.split_blobs`` is ready for when they are.
"""

from __future__ import annotations

from .models import Finding, Section, Table
from .read import Document


def tables(doc: Document, sections: tuple[Section, ...], template: str | None) -> tuple[tuple[Table, ...], list[Finding]]:
    """The statistical tables of the report, with findings for missing or truncated ones."""
    if template == "pre2019":
        from ._legacy_table import legacy_tables

        found, findings = legacy_tables(doc, sections)
        return tuple(found), list(findings)
    return (), []
