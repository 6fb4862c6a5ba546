"""Specification of outreach: a message reaches exactly its segment, once per address, and
never an address that unsubscribed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from metacluster.accounts.choices import Role
from metacluster.companies.models import Company, Contact, engage
from metacluster.conftest import PASSWORD, make_user
from metacluster.outreach.choices import MessageStatus, RecipientStatus
from metacluster.outreach.models import Message, MessageTemplate, ReminderSetting, Unsubscription
from metacluster.outreach.reminders import send_activity_reminders
from metacluster.outreach.sending import reach, send_segment_message


def sme(programme, partner, name, country, stage, email):
    company = Company.objects.create(name=name, country=country)
    engagement = engage(company, programme, partner)
    if stage != "identified":
        engagement.move_to(stage)
    Contact.objects.create(
        company=company, name=name, email=email, lawful_basis="legitimate_interest"
    )
    return company


@pytest.fixture
def smes(programme, lead_org, partner_org):
    return {
        "se_supported": sme(programme, lead_org, "SE supported", "SE", "supported", "a@se.example"),
        "ee_supported": sme(
            programme, partner_org, "EE supported", "EE", "supported", "b@ee.example"
        ),
        "se_identified": sme(
            programme, lead_org, "SE identified", "SE", "identified", "c@se.example"
        ),
    }


def test_a_segment_message_reaches_exactly_the_segment_and_honours_unsubscribing(
    client, programme, outsider_programme, outsider_org, smes, mailoutbox
):
    # Someone outside the programme with a matching profile must not receive it.
    sme(outsider_programme, outsider_org, "Outsider", "SE", "supported", "x@out.example")
    message = Message.objects.create(
        programme=programme,
        subject="Fair in Osaka",
        body="Dear {company}, join us.",
        stages=["supported"],
        countries=["SE", "EE"],
    )
    assert send_segment_message(message.pk) == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["a@se.example", "b@ee.example"]
    mail = next(m for m in mailoutbox if m.to == ["a@se.example"])
    assert "Dear SE supported, join us." in mail.body
    link = mail.body.strip().splitlines()[-1]
    assert "/outreach/unsubscribe/" in link
    # Sending again sends nothing: a message goes out once.
    assert send_segment_message(message.pk) == 0

    # The recipient unsubscribes through the link; the next message skips and logs them.
    response = client.post(link.split("127.0.0.1:8000")[-1])
    assert response.status_code == 200
    mailoutbox.clear()
    second = Message.objects.create(
        programme=programme, subject="Next", body="…", stages=["supported"]
    )
    assert send_segment_message(second.pk) == 1
    assert [m.to[0] for m in mailoutbox] == ["b@ee.example"]
    statuses = dict(second.recipients.values_list("email", "status"))
    assert statuses == {"a@se.example": RecipientStatus.UNSUBSCRIBED, "b@ee.example": "sent"}
    assert second.tally() == {"sent": 1, "unsubscribed": 1, "failed": 0}
    second.refresh_from_db()
    assert second.status == MessageStatus.SENT


def test_a_draft_says_how_many_it_will_reach_leaving_out_the_unsubscribed(programme, smes):
    Unsubscription.objects.create(programme=programme, email="a@se.example")
    draft = Message.objects.create(programme=programme, subject="Soon", stages=["supported"])

    assert reach(draft) == (1, 1)


def test_a_template_is_sent_in_each_recipients_language(programme, smes, mailoutbox):
    user = make_user("sme.ee", role=Role.SME, company=smes["ee_supported"], language="et")
    user.email = "kasutaja@ee.example"
    user.save()
    MessageTemplate.objects.create(
        programme=programme, name="fair", language="en", subject="Fair", body="Come"
    )
    MessageTemplate.objects.create(
        programme=programme, name="fair", language="et", subject="Mess", body="Tule"
    )
    message = Message.objects.create(programme=programme, template_name="fair", countries=["EE"])
    send_segment_message(message.pk)
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects == {"kasutaja@ee.example": "Mess", "b@ee.example": "Fair"}


def test_a_bad_unsubscribe_link_changes_nothing(client, programme):
    assert client.post("/outreach/unsubscribe/forged-token/").status_code == 400


def test_reminders_go_to_registered_smes_unless_switched_off(programme, training, smes, mailoutbox):
    from metacluster.activities import workflows
    from metacluster.activities.models import Activity

    tomorrow = timezone.now() + timedelta(hours=20)
    activity = Activity.objects.create(
        programme=programme,
        kind="webinar",
        title="Pricing webinar",
        service=training,
        starts_at=tomorrow,
        ends_at=tomorrow + timedelta(hours=1),
        capacity=5,
    )
    on = make_user("on", role=Role.SME, company=smes["se_supported"])
    off = make_user("off", role=Role.SME, company=smes["ee_supported"])
    for user in (on, off):
        user.email = f"{user.username}@example.org"
        user.save()
        workflows.register(activity, user.company)
    ReminderSetting.objects.create(user=off, reminders=False)
    assert send_activity_reminders() == 1
    assert mailoutbox[0].to == ["on@example.org"]


def test_staff_compose_and_send_and_outsiders_cannot(
    client, advisor, outsider, programme, smes, mailoutbox
):
    assert client.login(username=outsider.username, password=PASSWORD)
    assert client.get(f"/programmes/{programme.acronym}/outreach/").status_code == 404
    assert client.login(username=advisor.username, password=PASSWORD)
    response = client.post(
        f"/programmes/{programme.acronym}/outreach/new/",
        {"subject": "Hello", "body": "Text", "stages": ["supported"], "countries": "EE"},
    )
    message = Message.objects.get()
    assert response.status_code == 302
    client.post(f"/programmes/{programme.acronym}/outreach/{message.pk}/send/")
    assert [m.to[0] for m in mailoutbox] == ["b@ee.example"]


def test_managers_keep_the_templates_and_others_only_read_them(
    client, manager, advisor, outsider, programme
):
    base = f"/programmes/{programme.acronym}/outreach/templates/"
    fields = {"name": "Fair", "language": "en", "subject": "Fair", "body": "Dear {company}"}
    assert client.login(username=advisor.username, password=PASSWORD)
    assert client.post(f"{base}new/", fields).status_code == 403
    assert client.login(username=outsider.username, password=PASSWORD)
    assert client.get(base).status_code == 404
    assert client.post(f"{base}new/", fields).status_code == 404
    assert client.login(username=manager.username, password=PASSWORD)
    assert client.post(f"{base}new/", fields).status_code == 302
    again = client.post(f"{base}new/", fields)
    assert again.status_code == 200 and "already has this template" in again.content.decode()
    template = MessageTemplate.objects.get()
    client.post(f"{base}{template.pk}/", fields | {"subject": "Fair in Osaka", "version": 1})
    template.refresh_from_db()
    assert template.subject == "Fair in Osaka"
    assert client.login(username=advisor.username, password=PASSWORD)
    assert "Fair in Osaka" in client.get(base).content.decode()
    assert client.post(f"{base}{template.pk}/delete/").status_code == 403
    assert client.login(username=manager.username, password=PASSWORD)
    client.post(f"{base}{template.pk}/delete/")
    assert not MessageTemplate.objects.exists()
