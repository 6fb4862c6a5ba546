"""The periodic purge of personal data past its retention period, as a Celery task: a thin
wrapper round retention.purge(), which is safe to run twice (what is erased is no longer due),
so it is acknowledged late and a task whose worker died is simply delivered again.

Scheduled daily in settings.CELERY_BEAT_SCHEDULE; metacluster/celery.py autodiscovers this
module so that a worker knows the task. `metacluster purge-personal-data` runs the same."""

from __future__ import annotations

from celery import shared_task

from . import retention


@shared_task(name="privacy.purge_personal_data", acks_late=True)
def purge_personal_data() -> dict[str, int]:
    """Erase what is past its retention period; returns how many of each kind."""
    return retention.purge()
