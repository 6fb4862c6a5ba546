"""A segment message in a real browser: a recipient unsubscribes through the link in an earlier
message, then an advisor writes a message from a template to a segment and sends it; exactly
the segment's addresses receive it, except the one that unsubscribed, and the page says so."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from metacluster.accounts.choices import Role
from metacluster.companies.models import Company, Contact, engage
from metacluster.conftest import make_user
from metacluster.e2e.browser import log_in, sideways_overflow
from metacluster.outreach.models import Message, MessageTemplate, Recipient
from metacluster.outreach.sending import send_segment_message

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def sme(programme, partner, name, country, stage, *emails):
    company = Company.objects.create(name=name, country=country)
    engagement = engage(company, programme, partner)
    if stage != "identified":
        engagement.move_to(stage)
    for email in emails:
        Contact.objects.create(
            company=company,
            name=email.split("@")[0],
            email=email,
            lawful_basis="legitimate_interest",
        )
    return company


def fits_a_phone(page) -> bool:
    page.set_viewport_size(PHONE)
    try:
        return sideways_overflow(page) == 0
    finally:
        page.set_viewport_size(DESKTOP)


@pytest.fixture
def segment(programme, outsider_programme, lead_org, partner_org, outsider_org):
    """Supported SMEs in Sweden and Estonia (one with an SME user who reads Estonian), and SMEs
    just outside: another stage, another country, another programme."""
    sme(
        programme,
        lead_org,
        "Alpha Fictional AB",
        "SE",
        "supported",
        "anna@alpha.example",
        "bo@alpha.example",
    )
    beta = sme(programme, partner_org, "Beta Fictional OÜ", "EE", "supported", "mari@beta.example")
    tiit = make_user("tiit", role=Role.SME, company=beta, language="et")
    tiit.email = "tiit@beta.example"
    tiit.save()
    sme(programme, lead_org, "Gamma Fictional AB", "SE", "identified", "cara@gamma.example")
    sme(programme, partner_org, "Delta Fictional SIA", "LV", "supported", "dace@delta.example")
    sme(
        outsider_programme,
        outsider_org,
        "Epsilon Fictional AB",
        "SE",
        "supported",
        "eve@eps.example",
    )
    MessageTemplate.objects.create(
        programme=programme,
        name="Osaka fair",
        language="en",
        subject="Meet buyers in Osaka",
        body="Dear {company}, join {programme} at the fair.",
    )
    MessageTemplate.objects.create(
        programme=programme,
        name="Osaka fair",
        language="et",
        subject="Kohtu ostjatega Osakas",
        body="Hea {company}, tule messile.",
    )


def test_a_segment_message_reaches_exactly_the_segment_and_honours_an_unsubscribe(
    page, browser, live_server, settings, advisor, programme, segment
):
    # Links in e-mails lead to this test's server.
    settings.SITE_URL = live_server.url
    earlier = Message.objects.create(
        programme=programme, subject="News", body="Hello {company}", stages=["supported"]
    )
    send_segment_message(earlier.pk)
    news = next(m for m in mail.outbox if m.to == ["bo@alpha.example"])
    link = news.body.strip().splitlines()[-1]
    assert link.startswith(f"{live_server.url}/outreach/unsubscribe/")

    # Bo follows the link in the e-mail, not logged in, and unsubscribes.
    inbox = browser.new_context(locale="en-GB")
    try:
        recipient = inbox.new_page()
        recipient.goto(link)
        expect(recipient.locator("main")).to_contain_text("bo@alpha.example")
        assert fits_a_phone(recipient)
        recipient.click("main button[type=submit]")
        expect(recipient.locator("#unsubscribed")).to_contain_text(
            "bo@alpha.example receives no more messages from Test Export Programme."
        )
    finally:
        inbox.close()
    mail.outbox.clear()

    # The advisor goes from the menu to the programme's outreach and writes a new message.
    log_in(page, live_server, advisor)
    page.click("nav >> text=Programmes")
    page.click("main >> text=Test Export Programme")
    page.click("main .actions >> text=Outreach")
    page.wait_for_url(re.compile(r".*/outreach/$"))
    assert fits_a_phone(page)
    page.click("main >> text=New message")
    page.wait_for_url(re.compile(r".*/outreach/new/$"))
    assert fits_a_phone(page)
    template = page.locator("#id_template_name")
    expect(template.locator("option[value='Osaka fair']")).to_have_text(
        "Osaka fair: Meet buyers in Osaka (EN, ET)"
    )
    template.select_option("Osaka fair")
    page.check("input[name=stages][value=supported]")
    page.fill("#id_countries", "SE, EE")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/outreach/\d+/$"))
    expect(page.locator("#template")).to_contain_text("Osaka fair")
    assert not Recipient.objects.exclude(message=earlier).exists()

    page.click("#send")
    expect(page.locator(".messages")).to_contain_text("The message is being sent.")

    # Exactly the segment, less the address that unsubscribed, each in their own language.
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert len(mail.outbox) == len(subjects) == 3
    assert subjects == {
        "anna@alpha.example": "Meet buyers in Osaka",
        "mari@beta.example": "Meet buyers in Osaka",
        "tiit@beta.example": "Kohtu ostjatega Osakas",
    }
    anna = next(m for m in mail.outbox if m.to == ["anna@alpha.example"])
    assert anna.body.startswith("Dear Alpha Fictional AB, join Test Export Programme at the fair.")
    message = Message.objects.exclude(pk=earlier.pk).get()
    assert dict(message.recipients.values_list("email", "status")) == {
        "anna@alpha.example": "sent",
        "bo@alpha.example": "unsubscribed",
        "mari@beta.example": "sent",
        "tiit@beta.example": "sent",
    }

    # The page's log shows the same.
    expect(page.locator("#tally-sent")).to_have_text("3")
    expect(page.locator("#tally-unsubscribed")).to_have_text("1")
    expect(page.locator("#tally-failed")).to_have_text("0")
    expect(page.locator("#log li[data-status=unsubscribed]")).to_have_count(1)
    expect(page.locator("#log li[data-status=unsubscribed]")).to_contain_text("bo@alpha.example")
    expect(page.locator("#log li[data-status=sent]")).to_have_count(3)
    assert page.locator("#send").count() == 0
    assert fits_a_phone(page)


def test_a_managers_stale_template_edit_is_refused_and_keeps_the_typed_text(
    page, live_server, manager, programme, segment
):
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/programmes/{programme.acronym}/outreach/")
    page.click("main >> text=Templates")
    page.wait_for_url(re.compile(r".*/outreach/templates/$"))
    assert fits_a_phone(page)
    page.click("#templates >> text=Osaka fair >> nth=0")
    page.wait_for_url(re.compile(r".*/outreach/templates/\d+/$"))
    page.fill("#id_body", "Dear {company}, my new text.")

    # Meanwhile another manager saves the same template.
    theirs = MessageTemplate.objects.get(name="Osaka fair", language="en")
    theirs.body = "Their text."
    theirs.save_versioned(theirs.version)

    page.click("main button[type=submit]")
    expect(page.locator(".errorlist.nonfield")).to_contain_text("Someone else changed this record")
    expect(page.locator("#id_body")).to_have_value("Dear {company}, my new text.")
    assert fits_a_phone(page)
    theirs.refresh_from_db()
    assert theirs.body == "Their text."
