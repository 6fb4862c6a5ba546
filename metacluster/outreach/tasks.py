"""Background work of outreach, as Celery tasks: thin wrappers round plain functions that are
safe to run twice (a message logs every address it reached; a reminder logs what it sent), so
they are acknowledged late and a task whose worker died is simply delivered again.

The Celery app and its settings live in metacluster/celery.py and settings (CELERY_*); the
periodic `send_reminders` is scheduled in settings.CELERY_BEAT_SCHEDULE. OutreachConfig.ready
imports this module so that a worker knows these tasks."""

from __future__ import annotations

from celery import shared_task

from . import reminders, sending


@shared_task(name="outreach.send_segment_message", acks_late=True)
def send_segment_message_task(message_id: int) -> int:
    """Send a segment message to the addresses not yet logged; returns e-mails sent."""
    return sending.send_segment_message(message_id)


@shared_task(name="outreach.send_reminders", acks_late=True)
def send_reminders() -> dict[str, int]:
    """Every automatic reminder due now, each once; returns e-mails sent per kind."""
    return reminders.send_all_reminders()
