"""Companies, contacts, notes and engagements through the API."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from metacluster.companies.models import Company, Contact, Engagement, Note, StageChange, engage
from metacluster.testing import assert_error, ids, token_client

# --- Reading -----------------------------------------------------------------------------------


def test_outsider_does_not_see_the_programmes_companies(
    outsider, company, other_company, outsider_company
):
    client = token_client(outsider)
    assert ids(client.get("/api/v1/companies")) == [outsider_company.pk]
    assert_error(client.get(f"/api/v1/companies/{company.pk}"), 404)
    assert_error(client.get(f"/api/v1/companies/{company.pk}/contacts"), 404)
    assert_error(client.get(f"/api/v1/companies/{company.pk}/notes"), 404)
    assert_error(client.get(f"/api/v1/companies/{company.pk}/engagements"), 404)


def test_partners_see_every_company_of_their_programme(advisor, company, other_company):
    assert ids(token_client(advisor).get("/api/v1/companies")) == [company.pk, other_company.pk]


def test_sme_user_sees_only_its_own_company(sme_user, company, other_company):
    client = token_client(sme_user)
    assert ids(client.get("/api/v1/companies")) == [company.pk]
    assert_error(client.get(f"/api/v1/companies/{other_company.pk}"), 404)
    body = client.get(f"/api/v1/companies/{company.pk}").json()
    assert body["name"] == company.name and body["can_edit"] is True


def test_list_queries_do_not_grow_with_rows(manager, programme, company, lead_org):
    client = token_client(manager)

    def queries(url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    note_url = f"/api/v1/companies/{company.pk}/notes"
    Note.objects.create(company=company, organisation=lead_org, author=manager, text="1")
    before = queries("/api/v1/companies"), queries(note_url)
    for n in range(4):
        extra = Company.objects.create(name=f"Extra {n}", country="SE", owner=lead_org)
        engage(extra, programme, lead_org)
        Note.objects.create(company=company, organisation=lead_org, author=manager, text=str(n))
    assert (queries("/api/v1/companies"), queries(note_url)) == before


def test_detail_lists_engagements(advisor, company, programme):
    body = token_client(advisor).get(f"/api/v1/companies/{company.pk}").json()
    assert body["owner"] == "Fibre Valley Test"
    assert [(e["programme_id"], e["stage"]) for e in body["engagements"]] == [
        (programme.pk, "identified")
    ]
    assert body["can_edit"] is True


def test_list_filters(manager, programme, company, other_company):
    Engagement.objects.filter(company=other_company).update(stage="supported")
    client = token_client(manager)
    assert ids(client.get("/api/v1/companies?q=alpha")) == [company.pk]
    assert ids(client.get("/api/v1/companies?q=10000001")) == [other_company.pk]
    assert ids(client.get("/api/v1/companies?country=ee")) == [other_company.pk]
    assert ids(client.get(f"/api/v1/companies?programme={programme.pk}&stage=supported")) == [
        other_company.pk
    ]
    assert_error(client.get("/api/v1/companies?stage=famous"), 400, "stage")
    assert_error(client.get("/api/v1/companies?programme=first"), 400, "programme")
    assert_error(client.get("/api/v1/companies?country=S"), 400, "country")


def test_it_does_not_reveal_engagements_in_other_programmes(
    manager, programme, company, outsider_programme
):
    # The manager's organisation added a company that also takes part in another programme.
    engage(company, outsider_programme, outsider_programme.lead)
    client = token_client(manager)
    # Refused exactly as a programme that does not exist: nothing about it is revealed.
    refused = client.get(f"/api/v1/companies?programme={outsider_programme.pk}")
    missing = client.get("/api/v1/companies?programme=999999")
    assert_error(refused, 400, "programme")
    assert refused.json()["fields"]["programme"] == [
        m.replace("999999", str(outsider_programme.pk))
        for m in missing.json()["fields"]["programme"]
    ]
    detail = client.get(f"/api/v1/companies/{company.pk}").json()
    assert [e["programme_id"] for e in detail["engagements"]] == [programme.pk]
    assert ids(client.get(f"/api/v1/companies/{company.pk}/engagements")) == [
        Engagement.objects.get(company=company, programme=programme).pk
    ]


# --- Creating and editing ----------------------------------------------------------------------


def test_advisor_adds_a_company_engaged_in_a_programme(advisor, programme, partner_org):
    body = {
        "name": "Delta Fictional AS",
        "country": "EE",
        "registry_code": "10000099",
        "nace_codes": ["62.01"],
        "employees": 12,
        "programme": programme.pk,
    }
    response = token_client(advisor).post(
        "/api/v1/companies", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    company = Company.objects.get(name="Delta Fictional AS")
    assert company.owner == partner_org
    engagement = Engagement.objects.get(company=company, programme=programme)
    assert engagement.partner == partner_org
    assert engagement.history.get().changed_by == advisor
    assert response.json()["engagements"][0]["id"] == engagement.pk


def test_it_takes_a_company_with_every_field(advisor):
    body = {
        "name": "Delta Fictional AS",
        "kind": "buyer",
        "country": "GR",
        "town": "Patras",
        "registry_code": "123456",
        "vat_number": "el 123 456 789",  # spaces and case are tidied
        "nace_codes": ["C", "62", "62.01"],
        "employees": 12.0,  # a whole number, even when written with a point
        "turnover": "1250000.50",
        "founded_year": 1998,
        "website": "https://www.delta-fictional.gr:8443/en/about?lang=en#team",
        "description": "Harbour logistics",
    }
    response = token_client(advisor).post(
        "/api/v1/companies", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    answer = response.json()
    assert (answer["vat_number"], answer["employees"], answer["turnover"]) == (
        "EL123456789",
        12,
        "1250000.50",
    )


@pytest.mark.parametrize("user_fixture", ["viewer", "sme_user"])
def test_viewers_and_sme_users_cannot_add_companies(request, programme, company, user_fixture):
    client = token_client(request.getfixturevalue(user_fixture))
    response = client.post(
        "/api/v1/companies", {"name": "New", "country": "SE"}, content_type="application/json"
    )
    assert_error(response, 403)
    assert not Company.objects.filter(name="New").exists()


def test_it_refuses_a_programme_the_user_cannot_record_in(advisor, programme, outsider_programme):
    body = {"name": "New", "country": "SE", "programme": outsider_programme.pk}
    response = token_client(advisor).post(
        "/api/v1/companies", body, content_type="application/json"
    )
    assert_error(response, 400, "programme")
    assert not Company.objects.filter(name="New").exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "New", "country": "SE", "vat_number": "EE100000001"}, "vat_number"),  # prefix
        ({"name": "New", "country": "XX"}, "country"),  # not a country
        # The error names the code that is not valid by its position in the list.
        ({"name": "New", "country": "SE", "nace_codes": ["62.01", "software"]}, "nace_codes.1"),
        ({"name": "New", "country": "SE", "employees": "many"}, "employees"),
        ({"name": "New", "country": "SE", "employees": 10**30}, "employees"),
        ({"name": "New", "country": "SE", "founded_year": 3000}, "founded_year"),
        ({"name": "New", "country": "SE", "turnover": -5}, "turnover"),
        ({"name": "New", "country": "SE", "website": "not a url"}, "website"),
        ({"name": "x" * 201, "country": "SE"}, "name"),
        ({"name": "", "country": "SE"}, "name"),  # blank
        ({"name": "New", "country": "se"}, "country"),  # codes are capitals
        ({"name": "New", "country": "SE", "founded_year": 1799}, "founded_year"),
        ({"name": "New", "country": "SE", "founded_year": "1990"}, "founded_year"),
        ({"name": "New", "country": "SE", "employees": True}, "employees"),
        ({"name": "New", "country": "SE", "turnover": 1.5}, "turnover"),  # send "1.5"
        ({"name": "New", "country": "SE", "website": "ftp://example.com"}, "website"),
        ({"name": "New", "country": "SE", "vat_number": "SE-556"}, "vat_number"),  # format
        ({"name": "New", "country": "SE", "registry_code": "5560000001"}, "registry_code"),
    ],
)
def test_it_validates_new_companies(advisor, company, body, field):
    response = token_client(advisor).post(
        "/api/v1/companies", body, content_type="application/json"
    )
    assert_error(response, 400, field)
    assert not Company.objects.filter(name="New").exists()


def test_advisor_edits_a_company(advisor, company):
    response = token_client(advisor).patch(
        f"/api/v1/companies/{company.pk}",
        {"version": 1, "employees": 40, "vat_number": "se 5560000001 01"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    company.refresh_from_db()
    assert (company.employees, company.vat_number, company.version) == (40, "SE556000000101", 2)
    assert response.json()["size_class"] == "small"


def test_a_stale_company_edit_is_409_and_changes_nothing(advisor, manager, company):
    url = f"/api/v1/companies/{company.pk}"
    first = token_client(manager).patch(
        url, {"version": 1, "town": "Kista"}, content_type="application/json"
    )
    assert first.status_code == 200
    second = token_client(advisor).patch(
        url, {"version": 1, "town": "Solna"}, content_type="application/json"
    )
    assert_error(second, 409, "version")
    company.refresh_from_db()
    assert (company.town, company.version) == ("Kista", 2)


def test_an_invalid_edit_changes_nothing(advisor, company):
    response = token_client(advisor).patch(
        f"/api/v1/companies/{company.pk}",
        {"version": 1, "town": "Kista", "vat_number": "EE100000001"},
        content_type="application/json",
    )
    assert_error(response, 400, "vat_number")
    company.refresh_from_db()
    assert (company.town, company.version) == ("", 1)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"country": ""}, "country"),
        ({"name": ""}, "name"),
        ({"name": None}, "name"),  # not nullable
        ({"version": "1"}, "version"),
    ],
)
def test_an_edit_cannot_blank_required_fields(advisor, company, change, field):
    response = token_client(advisor).patch(
        f"/api/v1/companies/{company.pk}", {"version": 1, **change}, content_type="application/json"
    )
    assert_error(response, 400, field)
    company.refresh_from_db()
    assert company.version == 1


def test_the_schema_states_the_current_year_as_the_latest_founding_year(db):
    document = Client().get("/api/v1/openapi.json").json()
    year = document["components"]["schemas"]["CompanyIn"]["properties"]["founded_year"]
    assert year["anyOf"][0]["minimum"] == 1800
    assert year["anyOf"][0]["maximum"] == timezone.now().year


def test_viewer_cannot_edit_a_company(viewer, company):
    response = token_client(viewer).patch(
        f"/api/v1/companies/{company.pk}",
        {"version": 1, "town": "X"},
        content_type="application/json",
    )
    assert_error(response, 403)
    company.refresh_from_db()
    assert company.town == ""


def test_outsider_cannot_edit_a_company(outsider, company):
    response = token_client(outsider).patch(
        f"/api/v1/companies/{company.pk}",
        {"version": 1, "town": "X"},
        content_type="application/json",
    )
    assert_error(response, 404)


def test_sme_user_edits_its_own_company_only(sme_user, company, other_company):
    client = token_client(sme_user)
    own = client.patch(
        f"/api/v1/companies/{company.pk}",
        {"version": 1, "town": "Lund"},
        content_type="application/json",
    )
    assert own.status_code == 200
    other = client.patch(
        f"/api/v1/companies/{other_company.pk}",
        {"version": 1, "town": "X"},
        content_type="application/json",
    )
    assert_error(other, 404)


# --- Contacts ----------------------------------------------------------------------------------


def test_contacts_need_a_consent_date_when_the_basis_is_consent(advisor, company):
    client = token_client(advisor)
    url = f"/api/v1/companies/{company.pk}/contacts"
    refused = client.post(
        url, {"name": "Ann", "lawful_basis": "consent"}, content_type="application/json"
    )
    assert_error(refused, 400, "consent_given_at")
    body = {
        "name": "Ann",
        "lawful_basis": "consent",
        "consent_given_at": "2021-02-01T10:00:00+01:00",
    }
    assert client.post(url, body, content_type="application/json").status_code == 201
    assert [c["name"] for c in client.get(url).json()["items"]] == ["Ann"]


def test_contact_times_need_a_time_zone(advisor, company):
    body = {"name": "Ann", "lawful_basis": "consent", "consent_given_at": "2021-02-01T10:00:00"}
    response = token_client(advisor).post(
        f"/api/v1/companies/{company.pk}/contacts", body, content_type="application/json"
    )
    assert_error(response, 400, "consent_given_at")
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"name": ""}, "name"),
        ({"email": "ann@"}, "email"),
        ({"consent_given_at": 1612170000}, "consent_given_at"),  # seconds since 1970
        ({"consent_given_at": "2021-02-01"}, "consent_given_at"),  # a date, not a time
        ({"consent_given_at": "0001-01-01T00:00:00+01:00"}, "consent_given_at"),  # before year 1
    ],
)
def test_it_validates_new_contacts(advisor, company, change, field):
    body = {"name": "Ann", "email": "ann@example.com", "lawful_basis": "contract", **change}
    response = token_client(advisor).post(
        f"/api/v1/companies/{company.pk}/contacts", body, content_type="application/json"
    )
    assert_error(response, 400, field)
    assert not Contact.objects.exists()


def test_it_takes_a_contact_with_every_field(advisor, company):
    body = {
        "name": "Ann",
        "job_title": "CEO",
        "email": "ann.o'neil+export@mail.example.co.uk",
        "phone": "+46 8 123 456",
        "lawful_basis": "consent",
        "consent_given_at": "2021-02-01T10:00:00.5+01:00",
        "consent_withdrawn_at": "2022-02-01T10:00:00Z",
    }
    response = token_client(advisor).post(
        f"/api/v1/companies/{company.pk}/contacts", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Contact.objects.get().email == body["email"]


def test_viewer_cannot_add_contacts(viewer, company):
    response = token_client(viewer).post(
        f"/api/v1/companies/{company.pk}/contacts",
        {"name": "Ann", "lawful_basis": "contract"},
        content_type="application/json",
    )
    assert_error(response, 403)
    assert not Contact.objects.exists()


# --- Notes -------------------------------------------------------------------------------------


@pytest.fixture
def notes(company, lead_org, manager):
    return {
        "private": Note.objects.create(
            company=company, organisation=lead_org, author=manager, text="Cash flow worries"
        ),
        "shared": Note.objects.create(
            company=company,
            organisation=lead_org,
            author=manager,
            text="Met at fair",
            private=False,
        ),
    }


def test_advisor_of_another_partner_reads_only_shared_notes(advisor, company, notes):
    body = token_client(advisor).get(f"/api/v1/companies/{company.pk}/notes").json()
    assert [n["text"] for n in body["items"]] == ["Met at fair"]


def test_own_organisation_reads_private_notes(viewer, company, notes):
    body = token_client(viewer).get(f"/api/v1/companies/{company.pk}/notes").json()
    assert {n["text"] for n in body["items"]} == {"Cash flow worries", "Met at fair"}


def test_sme_users_see_no_internal_notes(sme_user, company, notes):
    client = token_client(sme_user)
    assert client.get(f"/api/v1/companies/{company.pk}/notes").json()["items"] == []
    response = client.post(
        f"/api/v1/companies/{company.pk}/notes", {"text": "Hello"}, content_type="application/json"
    )
    assert_error(response, 403)
    assert Note.objects.count() == 2


def test_advisor_writes_a_private_note(advisor, company, partner_org, manager):
    response = token_client(advisor).post(
        f"/api/v1/companies/{company.pk}/notes",
        {"text": "Needs a CE mark"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    note = Note.objects.get(text="Needs a CE mark")
    assert (note.organisation, note.author, note.private) == (partner_org, advisor, True)
    # The lead organisation does not read it.
    assert token_client(manager).get(f"/api/v1/companies/{company.pk}/notes").json()["count"] == 0


@pytest.mark.parametrize(
    "body, field",
    [
        ({"text": "0", "private": 0}, "private"),  # a boolean is true or false
        ({"text": "0", "private": "false"}, "private"),
        ({"text": ""}, "text"),
        ({"text": 7}, "text"),
    ],
)
def test_it_validates_notes(advisor, company, body, field):
    response = token_client(advisor).post(
        f"/api/v1/companies/{company.pk}/notes", body, content_type="application/json"
    )
    assert_error(response, 400, field)
    assert not Note.objects.exists()


def test_viewer_cannot_write_notes(viewer, company):
    response = token_client(viewer).post(
        f"/api/v1/companies/{company.pk}/notes", {"text": "X"}, content_type="application/json"
    )
    assert_error(response, 403)
    assert not Note.objects.exists()


# --- Engagements -------------------------------------------------------------------------------


def engagement_of(company) -> Engagement:
    return Engagement.objects.get(company=company)


def test_advisor_moves_a_company_and_the_history_records_it(advisor, company):
    engagement = engagement_of(company)
    client = token_client(advisor)
    response = client.post(
        f"/api/v1/engagements/{engagement.pk}/stage",
        {"stage": "assessed", "note": "Readiness check done", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["stage"], response.json()["version"]) == ("assessed", 2)
    history = client.get(f"/api/v1/engagements/{engagement.pk}/history").json()["items"]
    assert [(h["from_stage"], h["to_stage"]) for h in history] == [
        ("", "identified"),
        ("identified", "assessed"),
    ]
    assert history[-1]["changed_by_id"] == advisor.pk
    assert history[-1]["note"] == "Readiness check done"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"stage": "famous"}, "stage"),  # not a stage
        ({"stage": "identified"}, "stage"),  # already there
        ({"stage": "assessed", "version": "1"}, "version"),  # a number, not text
        ({"stage": "assessed", "note": "x" * 301}, "note"),  # too long for the history
        ({}, "stage"),
    ],
)
def test_it_refuses_bad_moves(advisor, company, body, field):
    engagement = engagement_of(company)
    response = token_client(advisor).post(
        f"/api/v1/engagements/{engagement.pk}/stage", body, content_type="application/json"
    )
    assert_error(response, 400, field)
    assert StageChange.objects.filter(engagement=engagement).count() == 1


def test_a_stale_move_is_409(advisor, company):
    engagement = engagement_of(company)
    engagement.move_to("contacted")
    response = token_client(advisor).post(
        f"/api/v1/engagements/{engagement.pk}/stage",
        {"stage": "assessed", "version": 1},
        content_type="application/json",
    )
    assert_error(response, 409)
    engagement.refresh_from_db()
    assert engagement.stage == "contacted"


@pytest.mark.parametrize(
    "user_fixture, status", [("viewer", 403), ("sme_user", 403), ("outsider", 404)]
)
def test_only_recorders_move_companies(request, company, user_fixture, status):
    engagement = engagement_of(company)
    client = token_client(request.getfixturevalue(user_fixture))
    response = client.post(
        f"/api/v1/engagements/{engagement.pk}/stage",
        {"stage": "assessed"},
        content_type="application/json",
    )
    assert_error(response, status)
    engagement.refresh_from_db()
    assert engagement.stage == "identified"


def test_outsider_cannot_read_an_engagement(outsider, company):
    engagement = engagement_of(company)
    client = token_client(outsider)
    assert_error(client.get(f"/api/v1/engagements/{engagement.pk}"), 404)
    assert_error(client.get(f"/api/v1/engagements/{engagement.pk}/history"), 404)
