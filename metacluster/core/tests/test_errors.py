"""One exception hierarchy for the core: every error derives from `CoreError`, errors about
the input from `InputError` (also a `ValueError`), and the command-line entries print any
of them as one line with exit status 2."""

import argparse
import ast
from pathlib import Path

import pytest

import metacluster.core
from metacluster.core import cliutils
from metacluster.core.consortia.model import ConsortiaError
from metacluster.core.consortia.model import InvalidInput as InvalidConsortiaInput
from metacluster.core.errors import CoreError, InputError
from metacluster.core.markets.potential import TradeFileError
from metacluster.core.markets.scoring import InvalidRanking
from metacluster.core.markets.tariffs import TariffFileError
from metacluster.core.matching.metrics import QrelsError
from metacluster.core.matching.model import InvalidInput as InvalidMatchingInput
from metacluster.core.matching.model import MatchingError
from metacluster.core.readiness.model import InvalidInstrument
from metacluster.core.readiness.scoring import InvalidAnswers
from metacluster.core.scheduling.heuristic import OutOfBudget
from metacluster.core.scheduling.model import InvalidEvent, SchedulingError

CORE = Path(metacluster.core.__file__).parent
BUILTIN_BASES = {
    "BaseException",
    "Exception",
    "ValueError",
    "TypeError",
    "KeyError",
    "LookupError",
    "RuntimeError",
    "OSError",
}


@pytest.mark.parametrize(
    "error",
    [
        InvalidEvent,
        InvalidMatchingInput,
        QrelsError,
        InvalidConsortiaInput,
        InvalidInstrument,
        InvalidAnswers,
        InvalidRanking,
        TariffFileError,
        TradeFileError,
    ],
)
def test_every_input_error_is_an_input_error_and_a_value_error(error):
    assert issubclass(error, InputError)
    assert issubclass(error, ValueError)  # callers catching ValueError keep working
    assert issubclass(error, CoreError)


@pytest.mark.parametrize("error", [SchedulingError, MatchingError, ConsortiaError, OutOfBudget])
def test_every_other_core_error_is_a_core_error(error):
    assert issubclass(error, CoreError)


def test_no_core_module_defines_an_exception_outside_the_hierarchy():
    # An exception class in the core derives from a core error, never straight from a
    # builtin; only errors.py roots the tree.
    strays = []
    for path in CORE.rglob("*.py"):
        if "tests" in path.parts or path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
                if bases & BUILTIN_BASES:
                    strays.append(f"{path.relative_to(CORE)}: {node.name}")
    assert strays == []


def test_the_old_names_still_import_and_are_the_one_input_error():
    from metacluster.core.markets import cli as markets_cli
    from metacluster.core.matching import cli as matching_cli
    from metacluster.core.readiness import cli as readiness_cli
    from metacluster.core.scheduling import cli as scheduling_cli

    for module in (cliutils, markets_cli, matching_cli, readiness_cli, scheduling_cli):
        assert module.InputError is InputError


@pytest.mark.parametrize(
    "error",
    [
        InputError("cannot read event: no such file"),
        InvalidEvent("request 'r1' must have at least two participants"),
        TradeFileError("line 3: bad year\n  in file trade.csv"),
        SchedulingError("something went wrong"),
    ],
)
def test_the_cli_prints_any_core_error_as_one_line_and_exits_2(error, capsys):
    def run(options):
        raise error

    status = cliutils.main(argparse.ArgumentParser(), run, [])

    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_other_exceptions_are_not_swallowed():
    # a bug is a crash (status 1 with a traceback), not "bad input"
    def run(options):
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        cliutils.main(argparse.ArgumentParser(), run, [])
