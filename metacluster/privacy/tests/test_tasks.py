"""The purge runs by itself: a daily Celery beat entry names a task the worker knows, and the
task erases what is past its retention period like the command does."""

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from metacluster.companies.models import Contact

pytestmark = pytest.mark.django_db


def test_the_purge_is_scheduled_daily_and_the_worker_knows_it():
    from metacluster.celery import app

    app.loader.import_default_modules()
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "privacy.purge_personal_data"
    ]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert isinstance(schedule, crontab) and len(schedule.hour) == 1 and len(schedule.minute) == 1
    assert "privacy.purge_personal_data" in app.tasks


def test_the_task_erases_what_is_past_retention(company):
    from metacluster.privacy.tasks import purge_personal_data

    withdrawn = Contact.objects.create(
        company=company,
        name="Anna Andersson",
        email="anna@alpha.example",
        lawful_basis="consent",
        consent_given_at=timezone.now() - timedelta(days=800),
        consent_withdrawn_at=timezone.now() - timedelta(days=400),
    )
    counts = purge_personal_data.apply().get()
    assert counts["contact_consent_withdrawn"] == 1
    assert not Contact.objects.filter(pk=withdrawn.pk).exists()
