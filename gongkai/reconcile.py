"""reconcile: Report → Findings. Identities and cross-checks; never repairs a number."""

from __future__ import annotations

from .models import Finding, Report


def reconcile(report: Report) -> list[Finding]:
    """Findings for everything in the report that does not add up."""
    return []
