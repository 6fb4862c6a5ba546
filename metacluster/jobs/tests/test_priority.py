"""When the worker can tell that its database work would not give way to pages, it says how to
fix it (the measured effect is in benchmarks/README.md, "Load")."""

from types import SimpleNamespace

import pytest

from metacluster.jobs.priority import autogroup_advice, is_local_postgresql


def connection(vendor="postgresql", host="127.0.0.1"):
    return SimpleNamespace(vendor=vendor, settings_dict={"HOST": host})


@pytest.mark.parametrize("host", ["", "localhost", "127.0.0.1", "::1", "/var/run/postgresql"])
def test_a_postgresql_on_this_machine_is_recognised(host):
    assert is_local_postgresql(connection(host=host))


@pytest.mark.parametrize(
    "found", [connection(host="db"), connection(host="10.0.0.5"), connection(vendor="sqlite")]
)
def test_a_database_elsewhere_or_sqlite_is_not_ours_to_lower(found):
    assert not is_local_postgresql(found)


def test_with_autogroups_on_and_postgresql_here_the_worker_advises_switching_them_off(tmp_path):
    switch = tmp_path / "sched_autogroup_enabled"
    switch.write_text("1\n")
    advice = autogroup_advice(connection(), switch)
    assert "kernel.sched_autogroup_enabled=0" in advice


def test_no_advice_when_autogroups_are_off_or_absent_or_the_database_is_elsewhere(tmp_path):
    switch = tmp_path / "sched_autogroup_enabled"
    switch.write_text("0\n")
    assert autogroup_advice(connection(), switch) is None
    assert autogroup_advice(connection(), tmp_path / "missing") is None
    switch.write_text("1\n")
    assert autogroup_advice(connection(host="db"), switch) is None
