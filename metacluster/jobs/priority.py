"""The worker's database work at the worker's CPU priority.

`metacluster worker` lowers its own priority (settings.WORKER_NICENESS) so that pages come
before jobs on a machine the worker shares with web processes. But most of a big import's work
is done by PostgreSQL, in the server process that serves the worker's connection, and that
process keeps the server's normal priority: with PostgreSQL on the same machine, a
million-row import then takes a whole core from the pages. So each connection the worker
opens to a PostgreSQL server on this machine gets its server process lowered as well.

Lowering another user's process needs root (or CAP_SYS_NICE). Without it the worker says
so once and goes on at the server's priority; on a database on another machine there is
nothing to lower.
"""

from __future__ import annotations

import logging
import os

from django.db.backends.signals import connection_created

log = logging.getLogger(__name__)

LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}
_refused = False


def is_local_postgresql(connection) -> bool:
    host = connection.settings_dict.get("HOST") or ""
    return connection.vendor == "postgresql" and (host in LOCAL_HOSTS or host.startswith("/"))


def lower_server_process(connection, niceness: int) -> int | None:
    """Lower the CPU priority of the PostgreSQL server process behind `connection` to
    `niceness`; the process id when done, None when there is nothing to lower or no right to."""
    global _refused
    if not niceness or not is_local_postgresql(connection):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        os.setpriority(os.PRIO_PROCESS, pid, niceness)
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


def lower_each_connection(niceness: int) -> None:
    """From now on, every database connection this process (and its forks) opens."""

    def receiver(sender, connection, **kwargs):
        lower_server_process(connection, niceness)

    connection_created.connect(receiver, weak=False, dispatch_uid="worker-niceness")
