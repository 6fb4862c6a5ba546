"""GDPR: export of everything held about a person or a company, erasure that keeps what the law
requires (with the reason shown), consent recorded and withdrawn, and the periodic purge."""

import io
import json
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from metacluster.accounts.models import ApiToken
from metacluster.companies.models import Company, Contact, Note
from metacluster.privacy import erasure, holds, retention
from metacluster.services.models import Delivery
from metacluster.stateaid.models import AidRecord

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Export -----------------------------------------------------------------------------------


def test_a_company_export_holds_everything_in_json_and_html(
    manager, company, contact, note, aided, sme_user
):
    client = logged_in(manager)
    data = client.get(f"/privacy/company/{company.pk}/export.json").json()
    assert data["subject"]["name"] == company.name
    records = data["records"]
    assert records["contacts"][0]["email"] == "anna@alpha.example"
    assert records["notes"][0]["text"] == "Anna prefers calls."
    assert records["deliveries"][0]["quantity"] == "2.00"
    assert records["aid_records"] and records["engagements"]
    assert records["users"][0]["username"] == "sme"
    assert "password" not in records["users"][0]
    page = client.get(f"/privacy/company/{company.pk}/export.html")
    assert "anna@alpha.example" in page.text and "Anna prefers calls." in page.text


def test_a_contact_export_and_a_user_export(manager, company, contact, sme_user):
    client = logged_in(manager)
    data = client.get(f"/privacy/contact/{contact.pk}/export.json").json()
    assert data["subject"]["name"] == "Anna Andersson"
    assert data["subject"]["lawful_basis"] == "consent"
    data = client.get(f"/privacy/user/{sme_user.pk}/export.json").json()
    assert data["subject"]["username"] == "sme" and "password" not in data["subject"]


def test_an_sme_user_exports_its_own_data_but_nobody_elses(sme_user, company, other_company):
    client = logged_in(sme_user)
    assert client.get(f"/privacy/user/{sme_user.pk}/export.json").status_code == 200
    assert client.get(f"/privacy/company/{company.pk}/export.json").status_code == 200
    assert client.get(f"/privacy/company/{other_company.pk}/export.json").status_code == 404
    assert client.post(f"/privacy/company/{company.pk}/erase/").status_code == 403


def test_advisors_viewers_and_outsiders_cannot_export_or_erase(
    advisor, viewer, outsider, company, contact
):
    for user in (advisor, viewer):
        client = logged_in(user)
        assert client.get(f"/privacy/company/{company.pk}/export.json").status_code == 403
        assert client.post(f"/privacy/contact/{contact.pk}/erase/").status_code == 403
    client = logged_in(outsider)
    assert client.get(f"/privacy/company/{company.pk}/").status_code == 404
    assert client.post(f"/privacy/contact/{contact.pk}/erase/").status_code == 404
    assert Contact.objects.filter(pk=contact.pk, name="Anna Andersson").exists()


# --- Erasure and legal holds ------------------------------------------------------------------


def test_the_holds_of_a_company_say_why_and_until_when(company, aided, programme):
    found = holds.for_company(company)
    reasons = " ".join(hold.reason for hold in found)
    assert "State-aid" in reasons and date(2031, 5, 4) in [hold.until for hold in found]
    assert "Funder evidence" in reasons


def test_erasing_a_company_under_hold_removes_personal_data_and_keeps_the_rest(
    manager, company, contact, note, aided, sme_user
):
    token, key = ApiToken.issue(sme_user, "script")
    response = logged_in(manager).post(f"/privacy/company/{company.pk}/erase/", follow=True)
    assert "State-aid records" in response.text  # the reason shown
    company.refresh_from_db()
    assert Company.objects.filter(pk=company.pk).exists()
    assert Delivery.objects.filter(company=company).exists()
    assert AidRecord.objects.filter(company=company).exists()
    assert not Note.objects.filter(company=company).exists()
    assert not Contact.objects.filter(name__contains="Anna").exists()
    assert not Contact.objects.filter(email="anna@alpha.example").exists()
    sme_user.refresh_from_db()
    assert not sme_user.is_active and sme_user.email == "" and "sme" not in sme_user.username
    assert not sme_user.has_usable_password()
    assert Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/me").status_code == 401


def test_erasing_a_company_without_hold_deletes_it(manager, lead_org, programme):
    company = Company.objects.create(name="Old Fictional AB", country="SE", owner=lead_org)
    Contact.objects.create(company=company, name="Olle", lawful_basis="legitimate_interest")
    result = erasure.erase_company(company)
    assert result.deleted and not result.holds
    assert not Company.objects.filter(name="Old Fictional AB").exists()
    assert not Contact.objects.filter(name="Olle").exists()


def test_a_contact_named_by_a_delivery_keeps_a_pseudonym(contact, aided):
    Delivery.objects.filter(pk=aided.pk).update(contact=contact)
    assert erasure.erase_contact(contact) is False
    contact.refresh_from_db()
    assert contact.name == f"Erased contact #{contact.pk}"
    assert (contact.email, contact.phone, contact.job_title) == ("", "", "")
    assert Delivery.objects.get(pk=aided.pk).contact == contact


def test_the_audit_trail_forgets_an_erased_contacts_name(manager, contact):
    from auditlog.context import set_actor
    from auditlog.models import LogEntry

    with set_actor(manager):
        contact.email = "anna.new@alpha.example"
        contact.save()
    erasure.erase_contact(contact)
    for entry in LogEntry.objects.get_for_object(contact):
        assert "Anna" not in entry.object_repr and "anna" not in json.dumps(entry.changes)


# --- Consent ----------------------------------------------------------------------------------


def test_consent_is_withdrawn_and_recorded_in_the_ui_with_basis_and_date(manager, contact):
    client = logged_in(manager)
    client.post(f"/privacy/contact/{contact.pk}/consent/", {"action": "withdraw"})
    contact.refresh_from_db()
    assert contact.consent_withdrawn_at is not None
    page = client.get(f"/privacy/company/{contact.company_id}/").text
    assert "withdrawn" in page.lower()
    client.post(
        f"/privacy/contact/{contact.pk}/consent/", {"action": "record", "lawful_basis": "consent"}
    )
    contact.refresh_from_db()
    assert contact.consent_withdrawn_at is None and contact.consent_given_at is not None
    client.post(
        f"/privacy/contact/{contact.pk}/consent/",
        {"action": "record", "lawful_basis": "contract"},
    )
    contact.refresh_from_db()
    assert contact.lawful_basis == "contract"


def test_an_unknown_basis_is_refused_without_change(manager, contact):
    response = logged_in(manager).post(
        f"/privacy/contact/{contact.pk}/consent/", {"action": "record", "lawful_basis": "whim"}
    )
    assert response.status_code in (200, 302, 400)
    contact.refresh_from_db()
    assert contact.lawful_basis == "consent"


# --- Retention and the purge ------------------------------------------------------------------


def test_the_purge_erases_contacts_whose_consent_was_withdrawn_long_ago(contact, company):
    contact.consent_withdrawn_at = timezone.now() - timedelta(days=40)
    contact.save()
    kept = Contact.objects.create(
        company=company, name="Bo Berg", lawful_basis="consent", consent_given_at=timezone.now()
    )
    counts = retention.purge()
    assert counts["contact_consent_withdrawn"] == 1
    assert not Contact.objects.filter(name="Anna Andersson").exists()
    assert Contact.objects.filter(pk=kept.pk, name="Bo Berg").exists()


def test_the_purge_pseudonymises_sme_users_inactive_past_retention(sme_user):
    with time_machine.travel(timezone.now() + timedelta(days=800)):
        counts = retention.purge()
    assert counts["sme_user_inactive"] == 1
    sme_user.refresh_from_db()
    assert not sme_user.is_active and sme_user.username.startswith("erased-")


def test_the_command_reports_what_it_would_purge_without_changing_anything(contact):
    contact.consent_withdrawn_at = timezone.now() - timedelta(days=40)
    contact.save()
    out = io.StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "contact_consent_withdrawn: 1" in out.getvalue()
    assert Contact.objects.filter(name="Anna Andersson").exists()
    call_command("purge_personal_data", stdout=io.StringIO())
    assert not Contact.objects.filter(name="Anna Andersson").exists()
