"""Company pages: visibility, editing, notes and moving through the pipeline."""

import pytest
from django.utils import translation
from django.utils.translation import pgettext

from metacluster.companies.models import Company, Engagement, Note
from metacluster.conftest import PASSWORD


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_an_outsider_cannot_open_a_company_of_the_programme(client, outsider, company):
    assert login(client, outsider).get(f"/companies/{company.pk}/").status_code == 404


def test_an_outsider_does_not_find_the_company_in_the_list(
    client, outsider, company, outsider_company
):
    response = login(client, outsider).get("/companies/")
    names = [c.name for c in response.context["page"]]
    assert names == [outsider_company.name]


def test_an_sme_user_sees_only_its_own_company(client, sme_user, company, other_company):
    client = login(client, sme_user)
    assert client.get(f"/companies/{company.pk}/").status_code == 200
    assert client.get(f"/companies/{other_company.pk}/").status_code == 404
    assert client.get("/companies/")["Location"] == f"/companies/{company.pk}/"


def test_private_notes_stay_with_their_organisation(client, manager, advisor, company, lead_org):
    Note.objects.create(
        company=company, organisation=lead_org, author=manager, text="Pricing is weak", private=True
    )
    Note.objects.create(
        company=company,
        organisation=lead_org,
        author=manager,
        text="Met at Mobile World Congress",
        private=False,
    )
    response = login(client, advisor).get(f"/companies/{company.pk}/")
    assert "Met at Mobile World Congress" in response.text
    assert "Pricing is weak" not in response.text


def test_an_sme_user_sees_no_internal_notes(client, sme_user, manager, company, lead_org):
    Note.objects.create(
        company=company, organisation=lead_org, author=manager, text="Shared remark", private=False
    )
    assert "Shared remark" not in login(client, sme_user).get(f"/companies/{company.pk}/").text


def test_a_new_company_can_be_engaged_in_a_programme(client, advisor, programme, partner_org):
    response = login(client, advisor).post(
        "/companies/new/",
        {"name": "Delta Fictional Oy", "kind": "sme", "country": "FI", "programme": programme.pk},
    )
    company = Company.objects.get(name="Delta Fictional Oy")
    assert response["Location"] == f"/companies/{company.pk}/"
    engagement = Engagement.objects.get(company=company)
    assert (engagement.programme, engagement.partner, engagement.stage) == (
        programme,
        partner_org,
        "identified",
    )
    assert company.owner == partner_org


def test_a_malformed_company_is_refused_with_field_errors(client, advisor):
    response = login(client, advisor).post(
        "/companies/new/",
        {
            "name": "",
            "kind": "sme",
            "country": "XX",
            "vat_number": "FI123",
            "employees": "-3",
            "nace_codes": "62.01, banana",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"name", "country", "employees", "nace_codes"} <= set(errors)
    assert not Company.objects.exists()


def test_a_viewer_cannot_add_companies(client, viewer):
    assert login(client, viewer).get("/companies/new/").status_code == 403


def test_moving_a_company_records_who_moved_it(client, advisor, company):
    engagement = company.engagements.get()
    response = login(client, advisor).post(
        f"/companies/engagements/{engagement.pk}/stage/",
        {"stage": "contacted", "note": "Called the CEO", "version": engagement.version},
    )
    assert response.status_code == 302
    change = engagement.history.last()
    assert (change.from_stage, change.to_stage, change.changed_by, change.note) == (
        "identified",
        "contacted",
        advisor,
        "Called the CEO",
    )


def test_a_move_based_on_a_stale_page_changes_nothing(client, advisor, manager, company):
    engagement = company.engagements.get()
    seen_version = engagement.version
    engagement.move_to("contacted", by=manager)
    login(client, advisor).post(
        f"/companies/engagements/{engagement.pk}/stage/",
        {"stage": "supported", "version": seen_version},
    )
    engagement.refresh_from_db()
    assert engagement.stage == "contacted"


def test_a_viewer_cannot_move_companies(client, viewer, company):
    engagement = company.engagements.get()
    response = login(client, viewer).post(
        f"/companies/engagements/{engagement.pk}/stage/", {"stage": "contacted", "version": 1}
    )
    assert response.status_code == 403
    engagement.refresh_from_db()
    assert engagement.stage == "identified"


def test_concurrent_profile_edits_do_not_overwrite_each_other(client, advisor, company):
    seen_version = company.version
    company.town = "Hudiksvall"
    company.save_versioned(seen_version)
    response = login(client, advisor).post(
        f"/companies/{company.pk}/edit/",
        {"name": "Alpha Renamed AB", "kind": "sme", "country": "SE", "version": seen_version},
    )
    assert response.status_code == 200
    company.refresh_from_db()
    assert (company.name, company.town) == ("Alpha Fictional AB", "Hudiksvall")


def test_the_company_list_does_not_query_per_row(
    client, advisor, programme, lead_org, django_assert_max_num_queries
):
    from metacluster.companies.models import engage

    for i in range(30):
        engage(
            Company.objects.create(name=f"Fictional {i:02d} AB", country="SE", owner=lead_org),
            programme,
            lead_org,
        )
    login(client, advisor)
    with django_assert_max_num_queries(8):
        response = client.get("/companies/")
    assert len(response.context["page"]) == 30


def test_the_country_filter_takes_a_name_as_well_as_a_code(client, manager, company, other_company):
    client = login(client, manager)
    by_name = [c.name for c in client.get("/companies/", {"country": "estonia"}).context["page"]]
    by_code = [c.name for c in client.get("/companies/", {"country": "ee"}).context["page"]]
    assert by_name == by_code == [other_company.name]


def test_a_filter_the_page_cannot_apply_is_said_and_the_others_still_apply(
    client, manager, company, other_company
):
    response = login(client, manager).get("/companies/", {"country": "Atlantis", "q": "beta"})
    assert [c.name for c in response.context["page"]] == [other_company.name]
    assert "Filter “Country” not applied" in response.text
    assert "No country is called “Atlantis”" in response.text


PROGRAMMING = "Computer programming, consultancy and related activities"


@pytest.mark.parametrize("language", ["sv", "fi"])
def test_a_company_page_names_its_activities_in_the_readers_language(client, manager, company, language):  # fmt: skip
    company.nace_codes = ["62.01", "99.99"]
    company.save()
    manager.language = language
    manager.save()
    html = login(client, manager).get(f"/companies/{company.pk}/").content.decode()
    with translation.override(language):
        name = pgettext("NACE", PROGRAMMING)
    assert f'<abbr title="NACE Rev. 2">62.01</abbr> {name}' in html
    assert '<span class="nace">99.99</span>' in html  # not a NACE code: shown as it is


def test_the_company_list_names_the_main_activity_through_the_catalogues(client, manager, company, monkeypatch):  # fmt: skip
    monkeypatch.setattr(translation._trans, "pgettext", lambda context, text: f"[{context}] {text}")
    company.nace_codes = ["62.01", "63.11"]
    company.save()
    html = login(client, manager).get("/companies/").content.decode()
    assert f'<abbr title="NACE Rev. 2">62.01</abbr> [NACE] {PROGRAMMING}' in html
    assert 'title="[NACE] Information service activities">63.11</abbr>' in html
