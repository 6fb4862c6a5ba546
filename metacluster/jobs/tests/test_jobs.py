"""Background jobs without a worker (no REDIS_URL, the embedded default): a job's page and
API show its state and progress from the row; a job whose process was lost is sent again,
or failed after JOB_MAX_ATTEMPTS; long jobs run in a thread of the web process; e-mail goes
through the queue with its attachments intact."""

import json
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.utils import timezone

from metacluster.jobs import running, tasks
from metacluster.jobs.models import Job, JobState
from metacluster.scouting.models import ImportJob, ImportStatus
from metacluster.testing import assert_error, token_client

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def event(programme):
    from metacluster.events.models import Event

    return Event.objects.create(programme=programme, title="Matchmaking", slot_minutes=20)


def test_schedule_all_answers_at_once_with_a_job_page_that_reports_the_outcome(
    event, manager, outsider
):
    response = login(manager).post(f"/events/{event.pk}/schedule/run/")

    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    # This event has no slots: the job fails with the scheduler's reason, shown on its page.
    assert job.state == JobState.FAILED and "no slots" in job.message
    page = login(manager).get(response.url)
    assert page.status_code == 200 and "no slots" in page.content.decode()
    assert f"/events/{event.pk}/schedule/" in page.content.decode()
    assert login(outsider).get(response.url).status_code == 404


def test_the_jobs_api_shows_state_and_progress_to_the_one_who_started_it(manager, outsider):
    job = Job.objects.create(kind="events.schedule_all", title="t", created_by=manager)
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, progress=0.25, heartbeat_at=timezone.now(), attempts=1
    )
    found = token_client(manager).get(f"/api/v1/jobs/{job.pk}").json()
    assert found["state"] == "running" and found["progress"] == 0.25
    assert_error(token_client(outsider).get(f"/api/v1/jobs/{job.pk}"), 404)


def stale(model, pk, attempts):
    model.objects.filter(pk=pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=5), attempts=attempts
    )


def test_a_lost_import_is_sent_again_and_finishes(advisor, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("Name,Country,Town\nTartu Tarkvara OÜ,EE,Tartu\n", encoding="utf-8")
    job = ImportJob.objects.create(
        organisation=advisor.organisation, created_by=advisor, source="s", file_name="f.csv",
        path=str(path), headers=["Name", "Country", "Town"],
        columns={"name": "Name", "country": "Country", "town": "Town"},
        status=ImportStatus.COMMITTING,
    )  # fmt: skip
    stale(ImportJob, job.pk, attempts=1)

    assert running.reap() == 1

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.attempts == 2 and job.counts["created"] == 1


def test_a_job_lost_too_often_is_failed_with_nothing_written(manager, event):
    job = Job.objects.create(
        kind=tasks.schedule_all.name, title="t", params={"event": event.pk}, created_by=manager
    )
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    stale(Job, job.pk, attempts=3)

    page = login(manager).get(f"/jobs/{job.pk}/")  # looking at it is enough

    job.refresh_from_db()
    assert job.state == JobState.FAILED and "stopped 3 times" in job.message
    assert "stopped 3 times" in page.content.decode()


def test_a_job_beating_elsewhere_is_not_taken_twice(manager):
    job = Job.objects.create(kind="events.schedule_all", title="t", created_by=manager)
    assert running.claim(tasks.JOBS, job.pk, state=JobState.RUNNING) == running.TAKEN
    assert running.claim(tasks.JOBS, job.pk, state=JobState.RUNNING) == running.BUSY
    Job.objects.filter(pk=job.pk).update(state=JobState.DONE)
    assert running.claim(tasks.JOBS, job.pk, state=JobState.RUNNING) == running.GONE


@pytest.mark.django_db(transaction=True)
def test_without_a_worker_long_jobs_run_in_a_thread_and_write_their_row(
    settings, manager, programme
):
    settings.JOB_THREADS = True
    from metacluster.consortia.models import ConsortiumNeed

    need = ConsortiumNeed.objects.create(programme=programme, title="Smart grid pilot")
    job = tasks.start_job(
        tasks.form_consortia_batch,
        title="batch",
        params={"programme": programme.pk, "needs": [need.pk], "alternatives": 1},
        by=manager,
    )
    for thread in __import__("threading").enumerate():
        if thread.name == f"task-{tasks.form_consortia_batch.name}":
            thread.join(60)
    job.refresh_from_db()
    assert job.state in (JobState.DONE, JobState.FAILED), job.state
    assert job.finished_at is not None and job.attempts == 1


def test_e_mail_goes_through_the_queue_with_its_attachments(settings):
    from metacluster.jobs.mail import deliver, serialise

    settings.EMAIL_BACKEND = "metacluster.jobs.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = EmailMessage("Meeting", "See you", "a@example.org", ["b@example.org"])
    message.attach("invite.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    message.attach("notes.txt", "Ääkkösiä", "text/plain")

    # What the worker receives (JSON) and delivers:
    assert deliver(json.loads(json.dumps(serialise(message)))) == 1

    (sent,) = mail.outbox
    assert sent.subject == "Meeting" and sent.to == ["b@example.org"]
    assert [a[0] for a in sent.attachments] == ["invite.ics", "notes.txt"]
    assert sent.attachments[1][1] == "Ääkkösiä"
    assert sent.attachments[0][1].startswith("BEGIN:VCALENDAR")


def test_without_a_queue_e_mail_is_delivered_at_once_and_a_refusal_raises(settings):
    settings.EMAIL_BACKEND = "metacluster.jobs.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert EmailMessage("Hello", "Body", "a@example.org", ["b@example.org"]).send() == 1
    assert len(mail.outbox) == 1
    settings.EMAIL_DELIVERY_BACKEND = "metacluster.jobs.tests.test_jobs.RefusingBackend"
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        EmailMessage("Hello", "Body", "a@example.org", ["bad@example.org"]).send()


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"bad@example.org": (550, b"no such user")})


def test_trade_loading_runs_as_a_job_and_a_redelivery_does_not_load_twice(
    manager, tmp_path, settings
):
    from metacluster.core.markets.generate import generate_trade, write_trade
    from metacluster.markets.models import TradeDataset

    settings.TRADE_DATA_DIR = tmp_path / "stores"
    path = tmp_path / "trade.csv"
    write_trade(path, generate_trade(2_000, products=3, seed=3))
    params = {"path": str(path), "name": "Jobbed", "source": "generated"}
    job = tasks.start_job(tasks.load_trade, title="load", params=params, by=manager)

    job.refresh_from_db()
    assert job.state == JobState.DONE and job.progress == 1.0
    dataset = TradeDataset.objects.get(name="Jobbed")
    assert job.result["dataset"] == dataset.pk
    # The same job delivered again after its worker died between the load and the job row:
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, heartbeat_at=None)
    tasks.load_trade.apply(args=[job.pk])
    assert TradeDataset.objects.filter(name="Jobbed").count() == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.result["dataset"] == dataset.pk


def test_a_period_report_export_job_offers_its_file_to_its_starter_only(
    manager, outsider, programme
):
    from metacluster.reporting.figures import generate_periods

    (period, *_rest) = generate_periods(programme, 2)
    job = tasks.start_job(
        tasks.export_period_report,
        title="report",
        params={"period": period.pk, "format": "xlsx"},
        by=manager,
    )

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    download = login(manager).get(f"/jobs/{job.pk}/file")
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"  # an XLSX (zip) file
    assert login(outsider).get(f"/jobs/{job.pk}/file").status_code == 404
