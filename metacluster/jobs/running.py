"""Running tasks, and keeping a running job's state where every process reads it.

`enqueue` sends a task to the Celery worker when `REDIS_URL` is set. Without it there is no
worker: small work runs at once in the calling process (Celery's eager mode) and long work in
a thread of that process; either way the job's state and progress are written to its row.

A running job beats: a thread of the process running it writes the job's progress and the
time (`heartbeat_at`) every JOB_HEARTBEAT_SECONDS. A job whose heartbeat is older than
JOB_STALE_SECONDS lost its process (killed, restarted): `reap` (Celery beat, worker start,
and whenever a page shows the job) sends it again, or marks it failed after
JOB_MAX_ATTEMPTS. A job's work is one transaction, so a lost run left nothing written.

On SQLite, a connection cannot write while another holds the write lock, so while a job's
own transaction is open its heartbeat and progress go to the "jobs" cache instead (Redis with
`REDIS_URL`, else this process's memory, which is where such a job runs then); readers
(`live`) take the fresher of the row and the cache.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

log = logging.getLogger(__name__)


def queue_enabled() -> bool:
    """A broker is configured: tasks go to `metacluster worker` processes."""
    return bool(settings.REDIS_URL)


def enqueue(task, *args, long: bool = False) -> None:
    """Run `task(*args)`: on the worker (after the current transaction commits, so that the
    worker sees the job row), else here: now, or for long work in a thread."""
    if queue_enabled():
        transaction.on_commit(lambda: task.apply_async(args=args))
    elif long and settings.JOB_THREADS:
        transaction.on_commit(lambda: in_thread(task, args))
    else:
        task.apply(args=args)


def in_thread(task, args) -> threading.Thread:
    def work():
        try:
            task.apply(args=args)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work, name=f"task-{task.name}", daemon=True)
    thread.start()
    return thread


# --- Which rows are jobs ------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """A model whose rows are jobs: which rows are running, and how to send one again."""

    model: type
    running: Q
    resend: Callable  # (job) -> None: enqueue its task again
    fail: Callable  # (queryset, message) -> None: mark the jobs failed


KINDS: list[Kind] = []


def register(kind: Kind) -> Kind:
    KINDS.append(kind)
    return kind


def _key(model, pk) -> str:
    return f"job:{model._meta.label_lower}:{pk}"


def _cache():
    return caches["jobs"]


def stale_before() -> datetime:
    return timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS)


def live(job) -> tuple[float, datetime | None]:
    """The job's progress and heartbeat: from its row, or the cache when that is fresher."""
    progress, heartbeat = job.progress, job.heartbeat_at
    cached = _cache().get(_key(type(job), job.pk))
    if cached and (heartbeat is None or cached["at"] > heartbeat):
        progress, heartbeat = max(progress, cached["progress"]), cached["at"]
    return progress, heartbeat


# --- Claiming and beating -----------------------------------------------------------------------

TAKEN, BUSY, GONE = "taken", "busy", "gone"


def claim(kind: Kind, pk: int, **updates) -> str:
    """Take the job for this process. TAKEN: it waited in the queue (no heartbeat) or its
    runner stopped beating; of two deliveries of one job only one takes it. BUSY: another
    process is running it (try again later). GONE: it is finished or no longer exists."""
    model, stale = kind.model, stale_before()
    waiting = Q(heartbeat_at__isnull=True)
    cached = _cache().get(_key(model, pk))
    if not (cached and cached["at"] >= stale):  # not beating in the cache either
        waiting |= Q(heartbeat_at__lt=stale)
    taken = model.objects.filter(kind.running, waiting, pk=pk).update(
        heartbeat_at=timezone.now(), attempts=F("attempts") + 1, **updates
    )
    if taken:
        _cache().delete(_key(model, pk))
        return TAKEN
    return BUSY if model.objects.filter(kind.running, pk=pk).exists() else GONE


class Beat:
    """While the job runs, a thread writes its progress and heartbeat (with its own database
    connection, so that they are seen although the job's transaction is still open)."""

    def __init__(self, job):
        self.model, self.pk = type(job), job.pk
        self.main = connection  # the running thread's connection
        self.fraction = 0.0
        self._written = -1.0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"beat-{self.pk}", daemon=True)

    def __enter__(self) -> Beat:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join()
        _cache().delete(_key(self.model, self.pk))

    def progress(self, fraction: float) -> None:
        self.fraction = max(0.0, min(1.0, fraction))
        self._wake.set()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self._write()
                self._wake.wait(settings.JOB_HEARTBEAT_SECONDS)
                self._wake.clear()
                # At most two writes a second, however often progress is reported.
                self._stop.wait(0.5)
        finally:
            connection.close()  # this thread's own connection

    def _write(self) -> None:
        now, fraction = timezone.now(), self.fraction
        if self.main.vendor == "sqlite" and self.main.in_atomic_block:
            _cache().set(_key(self.model, self.pk), {"progress": fraction, "at": now}, 3600)
            return
        try:
            self.model.objects.filter(pk=self.pk).update(progress=fraction, heartbeat_at=now)
        except DatabaseError:  # SQLite: the job's transaction began meanwhile
            _cache().set(_key(self.model, self.pk), {"progress": fraction, "at": now}, 3600)


# --- Lost jobs ----------------------------------------------------------------------------------


def reap(job=None) -> int:
    """Send again, or after JOB_MAX_ATTEMPTS mark failed, every running job (or only `job`)
    whose process stopped beating; returns how many were found."""
    from . import tasks  # noqa: F401  (registers the kinds)

    found = 0
    for kind in KINDS:
        if job is not None and not isinstance(job, kind.model):
            continue
        lost = kind.model.objects.filter(kind.running, heartbeat_at__lt=stale_before())
        if job is not None:
            lost = lost.filter(pk=job.pk)
        for candidate in lost:
            progress, heartbeat = live(candidate)
            if heartbeat and heartbeat >= stale_before():
                continue  # beating in the cache (SQLite, inside its transaction)
            found += 1
            if candidate.attempts >= settings.JOB_MAX_ATTEMPTS:
                log.error("job %s lost its worker %s times: failed", candidate, candidate.attempts)
                kind.fail(
                    kind.model.objects.filter(pk=candidate.pk),
                    f"The job stopped {candidate.attempts} times without finishing; nothing of "
                    "it was written.",
                )
            else:
                # Back in the queue: the next delivery (this one or a redelivery) takes it.
                back = kind.model.objects.filter(
                    kind.running, pk=candidate.pk, heartbeat_at=candidate.heartbeat_at
                ).update(heartbeat_at=None, progress=0.0)
                if back:
                    log.warning("job %s lost its worker: sent again", candidate)
                    kind.resend(candidate)
    return found
