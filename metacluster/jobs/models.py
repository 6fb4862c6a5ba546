"""Background jobs: what a task is doing, kept in the database where every process reads it.

`Tracked` gives a job row its progress (0–1), the number of attempts and the heartbeat of
the worker running it (metacluster/jobs/running.py); `Job` is the general job of tasks
that have no row of their own ("Schedule all", consortium formation, report exports, trade
loading). Scouting's `ImportJob` is tracked the same way.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Tracked(models.Model):
    progress = models.FloatField(_("progress"), default=0.0, help_text=_("From 0 to 1."))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Last sign of life of the process running the job; empty while the job waits in the
    # queue. A running job whose heartbeat is older than JOB_STALE_SECONDS lost its worker.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)

    class Meta:
        abstract = True


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job is seen by the person who started it (and superusers)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(created_by=user)


class Job(Tracked):
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    result = models.JSONField(_("result"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    # Where the person goes when the job is done (the page it was started from).
    link = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="jobs_state_heartbeat")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_running(self) -> bool:
        return self.state in (JobState.QUEUED, JobState.RUNNING)
