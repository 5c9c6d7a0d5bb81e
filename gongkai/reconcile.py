"""reconcile: Report → Findings. Identities and cross-checks; never repairs a number.

Not built yet (issue 5): this stage returns nothing, so Reports carry no
values/facts/findings from it. The signature is the one report.build calls.
"""

from __future__ import annotations

from .models import Finding, Report


def reconcile(report: Report) -> list[Finding]:
    """Findings for everything in the report that does not add up."""
    return []
