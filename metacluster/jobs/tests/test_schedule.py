"""The periodic jobs in settings name tasks the worker really has."""

from django.conf import settings


def test_every_periodic_job_names_a_registered_task():
    from metacluster.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled - set(app.tasks) == set()
    assert "outreach.send_reminders" in scheduled
