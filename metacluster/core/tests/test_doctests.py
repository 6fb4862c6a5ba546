"""Every example in a docstring of `metacluster.core` runs and prints what it says.

The examples are the algorithms' documentation (NetworkX-style: a runnable Example in each
public function), so a wrong one is a bug. Each module is its own test, so a failure names
the module; `__main__` modules (which would run a command) are left out.
"""

import doctest
import importlib
import pkgutil

import pytest

import metacluster.core


def core_modules() -> list[str]:
    names = [metacluster.core.__name__]
    for info in pkgutil.walk_packages(metacluster.core.__path__, prefix="metacluster.core."):
        parts = info.name.split(".")
        if "tests" in parts or parts[-1] == "__main__":
            continue
        names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", core_modules())
def test_the_docstring_examples_run(name):
    module = importlib.import_module(name)

    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)

    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_examples_are_found():
    # the walk above must reach the algorithms, not only the package's own docstring
    attempted = sum(
        doctest.testmod(importlib.import_module(name), report=False).attempted
        for name in ("metacluster.core.scheduling.solve", "metacluster.core.errors")
    )

    assert attempted >= 5
