"""The Celery tasks are thin wrappers: run in the worker (here eagerly with `apply`), they do
what the plain functions do, and running one twice sends nothing twice."""

from datetime import UTC, datetime

import time_machine

from metacluster.accounts.choices import Role
from metacluster.companies.models import Company, Contact, engage
from metacluster.conftest import make_user
from metacluster.outreach.models import Message
from metacluster.outreach.tasks import send_reminders, send_segment_message_task
from metacluster.readiness.workflows import start_assessment


def test_the_message_task_sends_once(programme, lead_org, mailoutbox):
    company = Company.objects.create(name="Delta AB", country="SE")
    engage(company, programme, lead_org)
    Contact.objects.create(
        company=company, name="D", email="d@se.example", lawful_basis="legitimate_interest"
    )
    message = Message.objects.create(programme=programme, subject="Hi", body="Text")
    assert send_segment_message_task.apply(args=[message.pk]).get() == 1
    assert send_segment_message_task.apply(args=[message.pk]).get() == 0
    assert [m.to for m in mailoutbox] == [["d@se.example"]]


def test_the_reminders_task_sends_every_kind_once(programme, company, mailoutbox):
    sme = make_user("sme", company=company, role=Role.SME)
    with time_machine.travel(datetime(2021, 1, 1, tzinfo=UTC), tick=False):
        start_assessment(programme, company, by=sme)
    with time_machine.travel(datetime(2021, 2, 1, tzinfo=UTC), tick=False):
        assert send_reminders.apply().get()["assessment"] == 1
        assert send_reminders.apply().get()["assessment"] == 0
    assert len(mailoutbox) == 1


def test_the_registered_names_are_the_ones_the_beat_schedule_uses():
    assert send_segment_message_task.name == "outreach.send_segment_message"
    assert send_reminders.name == "outreach.send_reminders"
