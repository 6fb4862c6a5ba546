"""State-aid ceilings: which grants fall in a window, and whether a new grant fits.

Plain Python over plain data (no Django). The rules, with their articles, are in
docs/STATE_AID.md; `windows` holds the date arithmetic and `assess` the ceiling checks.
"""

from .assess import Assessment, Grant, Status, assess_de_minimis, assess_project_limit
from .windows import (
    DE_MINIMIS_2013,
    DE_MINIMIS_2023,
    GBER_20A_LIMIT,
    Regime,
    fiscal_year_start,
    regime_for,
    retention_until,
    window_start,
)

__all__ = [
    "DE_MINIMIS_2013",
    "DE_MINIMIS_2023",
    "GBER_20A_LIMIT",
    "Assessment",
    "Grant",
    "Regime",
    "Status",
    "assess_de_minimis",
    "assess_project_limit",
    "fiscal_year_start",
    "regime_for",
    "retention_until",
    "window_start",
]
