"""Every Celery task of the platform. Each is a thin wrapper round a workflow of its app.

Tasks are idempotent and acknowledged late (settings: CELERY_TASK_ACKS_LATE,
CELERY_TASK_REJECT_ON_WORKER_LOST): a task whose worker dies is delivered again, and the job
row decides whether there is anything left to do (`running.claim`). A job's work is one
transaction, so a killed run leaves nothing written; see metacluster/jobs/running.py.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import running
from .models import Job, JobState
from .running import BUSY, GONE, Beat, Kind, claim, enqueue

log = logging.getLogger(__name__)


def _busy(task):
    """A task that finds its job still beating elsewhere (a redelivery while the first run
    lives, or one that died less than JOB_STALE_SECONDS ago) looks again a little later."""
    return task.retry(countdown=settings.JOB_HEARTBEAT_SECONDS, max_retries=100)


# --- Scouting imports ---------------------------------------------------------------------------


def _import_kind() -> Kind:
    from metacluster.scouting import importing
    from metacluster.scouting.models import ImportJob, ImportStatus

    return Kind(
        model=ImportJob,
        running=Q(status__in=[ImportStatus.CHECKING, ImportStatus.COMMITTING]),
        resend=lambda job: enqueue(run_import, job.pk, long=True),
        fail=importing.fail,
    )


@shared_task(bind=True, name="scouting.run_import")
def run_import(self, job_id: int) -> str:
    """Check or commit an import (its status says which: checking or committing)."""
    from metacluster.scouting import importing
    from metacluster.scouting.models import ImportJob, ImportStatus

    taken = claim(IMPORTS, job_id)
    if taken == BUSY:
        raise _busy(self)
    if taken == GONE:
        return taken
    job = ImportJob.objects.get(pk=job_id)
    if job.attempts > settings.JOB_MAX_ATTEMPTS:
        importing.fail(ImportJob.objects.filter(pk=job_id), _gave_up(job.attempts - 1))
        return "failed"
    try:
        with Beat(job) as beat:
            importing.run(job, commit=job.status == ImportStatus.COMMITTING, progress=beat.progress)
    except Exception:
        log.exception("import %s failed", job_id)
        importing.fail(
            ImportJob.objects.filter(pk=job_id),
            "The import failed unexpectedly; nothing was written. See the worker's log.",
        )
    return "ran"


@shared_task(name="scouting.find_duplicates", acks_late=True)
def find_duplicates(job_id: int) -> int:
    """Duplicate search after an import (idempotent: known pairs are kept as they are)."""
    from metacluster.scouting import importing
    from metacluster.scouting.models import ImportJob

    job = ImportJob.objects.filter(pk=job_id).first()
    return importing.find_duplicates_for(job) if job else 0


# --- General jobs -------------------------------------------------------------------------------


def _gave_up(times: int) -> str:
    return f"The job stopped {times} times without finishing; nothing of it was written."


def _fail_jobs(jobs, message: str) -> None:
    jobs.update(
        state=JobState.FAILED, message=message, heartbeat_at=None, finished_at=timezone.now()
    )


def _resend_job(job: Job) -> None:
    from metacluster.celery import app

    enqueue(app.tasks[job.kind], job.pk, long=True)


def start_job(task, *, title: str, params: dict, by=None, link: str = "", long=True) -> Job:
    """A general job for `task`, queued (or run here when there is no queue)."""
    job = Job.objects.create(
        kind=task.name, title=title[:200], params=params, created_by=by, link=link
    )
    enqueue(task, job.pk, long=long)
    return job


def _run_job(task, job_id: int, work) -> str:
    """Claim the job, run `work(job, beat) -> result`, record the outcome on the row."""
    taken = claim(JOBS, job_id, state=JobState.RUNNING)
    if taken == BUSY:
        raise _busy(task)
    if taken == GONE:
        return taken
    job = Job.objects.get(pk=job_id)
    if job.attempts > settings.JOB_MAX_ATTEMPTS:
        _fail_jobs(Job.objects.filter(pk=job_id), _gave_up(job.attempts - 1))
        return "failed"
    state, result, message = JobState.DONE, {}, ""
    try:
        with Beat(job) as beat:
            result = work(job, beat) or {}
    except ValidationError as error:
        state, message = JobState.FAILED, " ".join(error.messages)
    except Exception:
        log.exception("job %s (%s) failed", job_id, job.kind)
        state, message = JobState.FAILED, "The job failed unexpectedly; see the worker's log."
    Job.objects.filter(pk=job_id).update(
        state=state,
        result=result,
        message=message,
        progress=1.0 if state == JobState.DONE else job.progress,
        finished_at=timezone.now(),
    )
    return state


@shared_task(bind=True, name="events.schedule_all")
def schedule_all(self, job_id: int) -> str:
    """ "Schedule all" of an event: params {"event": id, "time_limit": seconds}."""

    def work(job, beat):
        from metacluster.events import adapters
        from metacluster.events.models import Event

        event = Event.objects.get(pk=job.params["event"])
        stats = adapters.schedule_all(
            event, time_limit=job.params.get("time_limit", adapters.DEFAULT_TIME_LIMIT)
        )
        summary = _(
            "%(scheduled)s of %(requests)s accepted requests are scheduled "
            "(at most %(bound)s possible), with %(gaps)s gaps."
        ) % {
            "scheduled": stats["scheduled"],
            "requests": stats["requests"],
            "bound": int(stats["upper_bound"]),
            "gaps": stats["gaps"],
        }
        return {**stats, "summary": summary}

    return _run_job(self, job_id, work)


@shared_task(bind=True, name="consortia.form_batch")
def form_consortia_batch(self, job_id: int) -> str:
    """Consortium proposals for many needs: params {"programme", "needs", "alternatives"}."""

    def work(job, beat):
        from metacluster.consortia import workflows
        from metacluster.consortia.models import ConsortiumNeed
        from metacluster.programmes.models import Programme

        programme = Programme.objects.get(pk=job.params["programme"])
        needs = ConsortiumNeed.objects.filter(programme=programme, pk__in=job.params["needs"])
        stats = workflows.form_batch(
            programme, needs, by=job.created_by, alternatives=job.params.get("alternatives", 2)
        )
        summary = _("%(covered)s of %(needs)s needs can be fully covered at once.") % {
            "covered": stats["needs_covered"],
            "needs": stats["needs"],
        }
        return {**stats, "summary": summary}

    return _run_job(self, job_id, work)


@shared_task(bind=True, name="reporting.export_period_report")
def export_period_report(self, job_id: int) -> str:
    """A period report as a file (params {"period": id, "format": "xlsx"|"pdf"|"csv"}),
    written under JOB_FILES_DIR; the job page offers it for download."""

    def work(job, beat):
        from metacluster.reporting import exports
        from metacluster.reporting.models import ReportingPeriod

        period = ReportingPeriod.objects.select_related("programme").get(pk=job.params["period"])
        content, content_type, name = exports.render(period, job.params["format"])
        path = Path(settings.JOB_FILES_DIR) / f"job-{job.pk}-{Path(name).name}"
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(path.suffix + ".part")
        partial.write_bytes(content)
        partial.replace(path)  # a redelivered run rewrites the same file
        return {"file": str(path), "name": name, "content_type": content_type}

    return _run_job(self, job_id, work)


@shared_task(bind=True, name="markets.load_trade")
def load_trade(self, job_id: int) -> str:
    """A trade file into a trade store: params {"path", "name", "source", "file_name"}."""

    def work(job, beat):
        from metacluster.core.markets.potential import TradeFileError
        from metacluster.markets.models import TradeDataset
        from metacluster.markets.workflows import load_trade

        existing = TradeDataset.objects.filter(name=job.params["name"].strip()).first()
        if existing is not None and job.attempts > 1:
            return {"dataset": existing.pk}  # an earlier run finished before its worker died
        try:
            dataset = load_trade(
                job.params["path"],
                name=job.params["name"],
                source=job.params["source"],
                by=job.created_by,
                file_name=job.params.get("file_name", ""),
            )
        except TradeFileError as error:
            raise ValidationError(str(error)) from None
        return {"dataset": dataset.pk, "rows": dataset.rows}

    return _run_job(self, job_id, work)


# --- E-mail -------------------------------------------------------------------------------------


@shared_task(
    bind=True,
    name="mail.send",
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send_email(self, message: dict) -> int:
    """Deliver one e-mail through EMAIL_DELIVERY_BACKEND, retrying with back-off while the
    mail server is unreachable (about 2 hours in all)."""
    from .mail import deliver

    return deliver(message)


# --- Periodic (Celery beat; schedule in settings.CELERY_BEAT_SCHEDULE) --------------------------


@shared_task(name="matchmaking.send_match_alerts", acks_late=True)
def send_match_alerts() -> dict:
    """One digest per SME user of new matching opportunities; never the same one twice."""
    from metacluster.matchmaking.workflows import send_alerts

    return send_alerts()


@shared_task(name="events.expire_requests", acks_late=True)
def expire_meeting_requests() -> int:
    from metacluster.events.models import MeetingRequest

    return MeetingRequest.objects.expire_due()


@shared_task(name="guides.stale_flags", acks_late=True)
def stale_guide_flags() -> int:
    """Barriers whose last confirmation is older than GUIDE_STALE_AFTER_DAYS. Pages compute
    the flag from the date, so this only reports the number to the operators' log."""
    from metacluster.guides.models import Barrier

    count = Barrier.objects.stale(timezone.localdate()).count()
    log.warning("%s market-guide barrier(s) are stale and wait for confirmation", count)
    return count


@shared_task(name="scouting.clean_uploads", acks_late=True)
def clean_uploads() -> int:
    """Delete uploaded register files older than UPLOAD_RETENTION_DAYS, unless their import
    is still running; their jobs keep the counts and errors."""
    from metacluster.scouting.files import upload_dir
    from metacluster.scouting.models import ImportJob, ImportStatus

    cutoff = timezone.now() - timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    busy = set(
        ImportJob.objects.filter(
            status__in=[ImportStatus.CHECKING, ImportStatus.COMMITTING]
        ).values_list("path", flat=True)
    )
    removed = 0
    for path in upload_dir().iterdir():
        if not path.is_file() or str(path) in busy:
            continue
        if path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


@shared_task(name="jobs.reap", acks_late=True)
def reap_lost_jobs() -> int:
    """Jobs whose worker stopped beating: sent again, or failed after JOB_MAX_ATTEMPTS."""
    return running.reap()


IMPORTS = running.register(_import_kind())
JOBS = running.register(
    Kind(
        model=Job,
        running=Q(state__in=[JobState.QUEUED, JobState.RUNNING]),
        resend=_resend_job,
        fail=_fail_jobs,
    )
)
