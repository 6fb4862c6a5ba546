"""Specification of the public programme page, applying, and reviewing applications."""

import pytest
from django.core.cache import cache

from metacluster.accounts.models import User
from metacluster.companies.models import Company, Engagement
from metacluster.conftest import PASSWORD
from metacluster.enrolment.choices import ApplicationStatus
from metacluster.enrolment.models import Application, Eligibility
from metacluster.enrolment.views import APPLICATIONS_PER_HOUR

ANSWERS = {
    "company_name": "Delta Fictional AB",
    "registry_code": "5560009999",
    "country": "SE",
    "region": "Gävleborg",
    "employees": "12",
    "website": "",
    "offering": "Fibre sensors for bridges",
    "ict_component": "on",
    "export_will": "on",
    "de_minimis_received": "0",
    "contact_name": "Anna Exempelberg",
    "contact_email": "anna@delta.example",
    "consent": "on",
}


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


@pytest.fixture
def open_programme(programme):
    Eligibility.objects.create(
        programme=programme,
        open_for_applications=True,
        countries=["SE", "EE"],
        requires_export_will=True,
    )
    return programme


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def apply(client, programme, **changes):
    return client.post(f"/join/{programme.acronym}/", ANSWERS | changes)


def test_the_public_page_shows_offer_partners_and_rules_to_anybody(
    client, open_programme, coaching
):
    page = client.get(f"/join/{open_programme.acronym}/").content.decode()
    assert coaching.name in page
    assert "Fibre Valley Test" in page
    assert "Registered in: Sweden, Estonia" in page


def test_a_programme_not_taking_applications_has_no_public_page(client, programme):
    assert client.get(f"/join/{programme.acronym}/").status_code == 404


def test_an_eligible_application_waits_for_review(client, open_programme):
    response = apply(client, open_programme)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == ApplicationStatus.PENDING
    assert "application is received" in client.get(response["Location"]).content.decode()


def test_an_applicant_failing_a_rule_is_told_which(client, open_programme):
    response = apply(client, open_programme, country="FI")
    page = client.get(response["Location"]).content.decode()
    assert "registered in Sweden, Estonia" in page
    assert Application.objects.get().status == ApplicationStatus.SCREENED_OUT


def test_an_applicant_on_record_is_matched_not_duplicated(client, open_programme, company):
    apply(client, open_programme, company_name="Omega Fictional AB", registry_code="")
    assert Application.objects.get().existing_company is None  # another name, no code
    # The same name but for its legal form: the same company.
    apply(client, open_programme, company_name="Alpha Fictional Aktiebolag", registry_code="")
    assert Application.objects.latest("pk").existing_company == company
    # Another name, the same registry code: the same company.
    apply(client, open_programme, registry_code=company.registry_code)
    assert Application.objects.latest("pk").existing_company == company


def test_a_bot_filling_the_hidden_field_stores_nothing(client, open_programme):
    response = apply(client, open_programme, fax_number="+1 555")
    assert response.status_code == 302
    assert not Application.objects.exists()


def test_one_address_may_apply_only_a_few_times_an_hour(client, open_programme):
    for _ in range(APPLICATIONS_PER_HOUR):
        assert apply(client, open_programme).status_code == 302
    response = apply(client, open_programme)
    assert response.status_code == 429
    assert Application.objects.count() == APPLICATIONS_PER_HOUR


def test_bad_answers_are_explained_and_nothing_is_stored(client, open_programme):
    response = apply(client, open_programme, employees="many", contact_email="nope")
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_an_advisor_accepts_and_the_contact_is_invited(
    client, advisor, open_programme, mailoutbox, django_capture_on_commit_callbacks
):
    apply(client, open_programme)
    application = Application.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        login(client, advisor).post(
            f"/programmes/{open_programme.acronym}/applications/{application.pk}/accept/"
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    company = Company.objects.get(registry_code="5560009999")
    engagement = Engagement.objects.get(company=company, programme=open_programme)
    assert engagement.stage == "identified" and engagement.partner == advisor.organisation
    user = User.objects.get(email="anna@delta.example")
    assert user.is_sme and user.company == company and not user.has_usable_password()
    assert "/accounts/reset/" in mailoutbox[0].body


def test_accepting_an_applicant_on_record_engages_that_company(
    client, advisor, open_programme, outsider_company
):
    apply(
        client, open_programme, registry_code="", company_name=outsider_company.name, country="SE"
    )
    # Not matched: the company on record is Latvian. Match it for real:
    Company.objects.filter(pk=outsider_company.pk).update(country="SE")
    apply(client, open_programme, registry_code="", company_name=outsider_company.name)
    application = Application.objects.latest("pk")
    assert application.existing_company == outsider_company
    login(client, advisor).post(
        f"/programmes/{open_programme.acronym}/applications/{application.pk}/accept/"
    )
    assert Company.objects.filter(name=outsider_company.name).count() == 1
    assert Engagement.objects.filter(company=outsider_company, programme=open_programme).exists()


def test_declining_needs_a_reason_which_the_applicant_receives(
    client, advisor, open_programme, mailoutbox, django_capture_on_commit_callbacks
):
    apply(client, open_programme)
    application = Application.objects.get()
    url = f"/programmes/{open_programme.acronym}/applications/{application.pk}/decline/"
    login(client, advisor).post(url, {"reason": ""})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Your offering has no export market yet."})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert "no export market yet" in mailoutbox[0].body


def test_a_decided_application_cannot_be_decided_again(client, advisor, open_programme):
    apply(client, open_programme)
    application = Application.objects.get()
    base = f"/programmes/{open_programme.acronym}/applications/{application.pk}"
    login(client, advisor).post(f"{base}/decline/", {"reason": "No."})
    client.post(f"{base}/accept/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert not Company.objects.filter(registry_code="5560009999").exists()


def test_outsiders_sme_users_and_viewers_cannot_review(
    client, outsider, viewer, sme_user, open_programme
):
    apply(client, open_programme)
    application = Application.objects.get()
    base = f"/programmes/{open_programme.acronym}/applications"
    assert login(client, outsider).get(f"{base}/").status_code == 404
    assert client.post(f"{base}/{application.pk}/accept/").status_code == 404
    assert login(client, sme_user).get(f"{base}/{application.pk}/").status_code == 404
    assert login(client, viewer).get(f"{base}/").status_code == 200
    assert client.post(f"{base}/{application.pk}/accept/").status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_a_manager_sets_the_rules_and_an_advisor_may_not(client, manager, advisor, programme):
    url = f"/programmes/{programme.acronym}/eligibility/"
    data = {
        "open_for_applications": "on",
        "countries_text": "se, ee",
        "regions_text": "Gävleborg, Uusimaa",
        "min_employees": "1",
        "max_employees": "249",
        "requires_ict_component": "on",
        "min_de_minimis_headroom": "",
    }
    assert login(client, advisor).post(url, data).status_code == 403
    assert login(client, manager).post(url, data).status_code == 302
    eligibility = Eligibility.objects.get(programme=programme)
    assert eligibility.countries == ["SE", "EE"] and eligibility.regions == ["Gävleborg", "Uusimaa"]
    assert login(client, manager).post(url, data | {"countries_text": "XX"}).status_code == 200
