"""Demo data: three real Interreg Central Baltic programmes, run on fictional companies.

The programmes, their partner organisations, budgets, co-financing rates, target markets and
indicator targets are public facts (sources in docs/DEMO.md). Everything about companies is
invented: names ending in “(fictional)”, contacts, service catalogues, deliveries, deals,
consortia, notes and stage history, generated from a fixed seed so that every load is the same.

The generator creates as many records of each sort as the programmes reported (``REPORTED``);
the indicators carry only a definition and a target, and their achieved values are computed
from those records through ``programmes.kpis`` like any other programme's.
"""

from .builder import DemoError
from .facts import ACRONYMS
from .fiction import DEMO_PASSWORD, FICTIONAL
from .load import Login, exists, load, logins, remove

__all__ = [
    "ACRONYMS",
    "DEMO_PASSWORD",
    "FICTIONAL",
    "DemoError",
    "Login",
    "exists",
    "load",
    "logins",
    "remove",
]
