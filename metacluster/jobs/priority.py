"""The worker, and the database work done for it, at the lowest CPU priority.

On a machine the worker shares with web processes, people waiting for a page come before a
job nobody watches second by second. Linux needs three things for that:

- a niceness (settings.WORKER_NICENESS) and the SCHED_IDLE policy, with which any page's
  thread that wakes up takes the CPU from the worker at once instead of at the next tick;
- the niceness of the worker's *autogroup*: with autogroups on (most desktop and server
  kernels), the CPU is first shared fairly between sessions and only then, inside each,
  by niceness, so a niced worker in a session of its own would still get as much as the
  whole web server. Only a worker that leads its session changes it: otherwise the group is
  shared with the shell that started it. (Under systemd or Docker, give the service a low
  CPU weight instead; docs/DEPLOYMENT.md.)
- most of a big import's work is done by PostgreSQL, in the server process behind the
  worker's connection: with PostgreSQL on the same machine, each connection the worker opens
  gets its server process lowered to the same niceness, but not SCHED_IDLE: a server process
  holds locks and buffers that the web's queries wait for, and must not wait for a CPU the
  web never leaves. That needs root (or CAP_SYS_NICE); without it the worker says so once and
  goes on at the server's priority. PostgreSQL's processes form an autogroup of their own,
  which the worker cannot lower: it advises switching autogroups off when they are on.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from django.db import connections
from django.db.backends.signals import connection_created

log = logging.getLogger(__name__)

LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}
AUTOGROUP_SWITCH = Path("/proc/sys/kernel/sched_autogroup_enabled")
_refused = False


def lower_worker(niceness: int) -> None:
    """This process and the pool it will fork, their session's CPU share if it is theirs
    alone, and the PostgreSQL processes behind every connection they open from now on."""
    os.setpriority(os.PRIO_PROCESS, 0, max(niceness, os.getpriority(os.PRIO_PROCESS, 0)))
    os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    autogroup = Path("/proc/self/autogroup")
    if autogroup.exists() and os.getsid(0) == os.getpid():
        autogroup.write_text(str(niceness))

    def receiver(sender, connection, **kwargs):
        lower_server_process(connection, niceness)

    connection_created.connect(receiver, weak=False, dispatch_uid="worker-priority")
    advice = autogroup_advice(connections["default"])
    if advice:
        log.warning(advice)


def autogroup_advice(connection, switch: Path = AUTOGROUP_SWITCH) -> str | None:
    """What to change when autogroups would let PostgreSQL's work for the worker compete with
    the web as a group of its own (docs/DEPLOYMENT.md, "Pages before jobs")."""
    try:
        on = switch.read_text().strip() == "1"
    except OSError:
        return None
    if on and is_local_postgresql(connection):
        return (
            "Autogroups are on (kernel.sched_autogroup_enabled=1) and PostgreSQL runs on this "
            "machine: its work for the worker competes with the web processes as a group of "
            "its own. Set kernel.sched_autogroup_enabled=0 (docs/DEPLOYMENT.md)."
        )
    return None


def is_local_postgresql(connection) -> bool:
    host = connection.settings_dict.get("HOST") or ""
    return connection.vendor == "postgresql" and (host in LOCAL_HOSTS or host.startswith("/"))


def lower_server_process(connection, niceness: int) -> int | None:
    """Lower the PostgreSQL server process behind `connection`; its process id when done,
    None when it runs elsewhere or this process may not change it."""
    global _refused
    if not is_local_postgresql(connection):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        os.setpriority(os.PRIO_PROCESS, pid, niceness)  # not SCHED_IDLE: see above
    except (PermissionError, ProcessLookupError) as error:
        if not _refused:
            _refused = True
            log.warning(
                "Cannot lower the priority of PostgreSQL's process %s (%s): the worker's "
                "database work runs at the server's priority.",
                pid,
                error,
            )
        return None
    return pid
