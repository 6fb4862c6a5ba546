"""The exceptions of `metacluster.core`: one hierarchy for every algorithm.

Every error a core module raises derives from `CoreError`, so a caller can catch them all
in one place; errors about the input a caller gave derive from `InputError`, which is also
a `ValueError` (what Python raises for a bad value), so existing ``except ValueError``
handlers keep working. The command-line entries (`metacluster.core.cliutils.main`) print a
`CoreError` as one line on standard error and exit with status 2.

>>> from metacluster.core.scheduling import InvalidEvent
>>> issubclass(InvalidEvent, InputError) and issubclass(InvalidEvent, ValueError)
True
>>> str(InputError("cannot read event: no such file"))
'cannot read event: no such file'

The tree, by module::

    CoreError
    ├── InputError (also ValueError)
    │   ├── scheduling.InvalidEvent (also scheduling.SchedulingError)
    │   ├── matching.InvalidInput (also matching.MatchingError), matching.QrelsError
    │   ├── consortia.InvalidInput (also consortia.ConsortiaError)
    │   ├── readiness.InvalidInstrument, readiness.InvalidAnswers
    │   └── markets.InvalidRanking, markets.TariffFileError, markets.TradeFileError
    ├── scheduling.SchedulingError, matching.MatchingError, consortia.ConsortiaError
    └── scheduling.heuristic.OutOfBudget (internal: never leaves the scheduler)
"""

from __future__ import annotations

__all__ = ["CoreError", "InputError"]


class CoreError(Exception):
    """Base class of every exception raised by `metacluster.core`."""


class InputError(CoreError, ValueError):
    """The input cannot be read or is not valid; the message is one line for the user."""
