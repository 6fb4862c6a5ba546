"""The scouting pages: who may import, review duplicates, merge, rank and add companies."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from metacluster.companies.models import Company, Engagement, Merge, Note
from metacluster.scouting.models import DuplicateCandidate, ImportJob, ScoringProfile

pytestmark = pytest.mark.django_db

CSV = (
    "Name,Registry code,Country,Town,NACE,Employees\n"
    "Põhja Tarkvara OÜ,12417834,EE,Tallinn,62011,12\n"
    "Nordic Data AB,556012-5790,SE,Kista,62.01,40\n"
    "Bad Checksum OÜ,12417835,EE,Tartu,,\n"
).encode()


def upload(client, content=CSV, name="register.csv", **extra):
    data = {"file": SimpleUploadedFile(name, content), "source": "my register", "encoding": "utf-8"}
    return client.post(reverse("scouting:import_new"), {**data, **extra})


def test_upload_check_and_commit(client, advisor):
    client.force_login(advisor)
    response = upload(client)
    job = ImportJob.objects.get()
    assert response.url == reverse("scouting:import_detail", args=[job.pk])
    assert job.columns["registry_code"] == "Registry code"  # guessed from the header
    url = reverse("scouting:import_detail", args=[job.pk])
    form = {f"column_{field}": column for field, column in job.columns.items()}
    client.post(url, {**form, "mode": "valid_rows", "action": "check"})
    page = client.get(url).content.decode()
    assert 'id="count-created">2<' in page and "check digit is wrong" in page
    assert not Company.objects.exists()
    client.post(url, {"action": "commit"})
    job.refresh_from_db()
    assert job.status == "done" and Company.objects.count() == 2
    # The mapping is remembered for the next file of the source.
    second = upload(client, content=CSV.replace(b"Name,", b"Name,", 1))
    assert second.status_code == 302


def test_a_file_that_is_not_a_table_is_refused(client, advisor):
    client.force_login(advisor)
    response = upload(client, content=b"\x00\x01binary", name="photo.jpg")
    assert response.status_code == 200 and "CSV or XLSX" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_viewers_and_sme_users_cannot_import(client, viewer, sme_user):
    for user in (viewer, sme_user):
        client.force_login(user)
        assert upload(client).status_code == 403
    assert not ImportJob.objects.exists()


def test_another_organisations_import_is_not_found(client, advisor, outsider):
    client.force_login(advisor)
    upload(client)
    job = ImportJob.objects.get()
    client.force_login(outsider)
    assert client.get(reverse("scouting:import_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("scouting:import_errors", args=[job.pk])).status_code == 404
    response = client.post(reverse("scouting:import_detail", args=[job.pk]), {"action": "commit"})
    assert response.status_code == 404


def duplicate_pair(company, other_company):
    first, second = sorted([company, other_company], key=lambda c: c.pk)
    return DuplicateCandidate.objects.create(
        first=first, second=second, reason="name_town", similarity=95
    )


def test_merge_keeps_linked_records_and_undo_restores_them(
    client, manager, company, other_company, lead_org
):
    company.registry_code = ""
    company.save()
    other_company.website = "https://beta.example"
    other_company.save()
    Note.objects.create(company=other_company, organisation=lead_org, text="Met at the fair")
    engagements = set(other_company.engagements.values_list("pk", flat=True))
    pair = duplicate_pair(company, other_company)
    client.force_login(manager)
    response = client.post(
        reverse("scouting:duplicate_review", args=[pair.pk]),
        {"keep": company.pk, "action": "merge"},
    )
    assert response.status_code == 302
    merge = Merge.objects.get()
    other_company.refresh_from_db()
    company.refresh_from_db()
    assert other_company.merged_into == company
    assert company.notes.filter(text="Met at the fair").exists()
    # Empty fields are filled from the duplicate, whose registry code moves over too.
    assert company.registry_code == "10000001" and company.website == "https://beta.example"
    # Both were engaged in the same programme: that engagement stays with the duplicate.
    assert set(other_company.engagements.values_list("pk", flat=True)) == engagements
    assert merge.kept_back and not Company.objects.current().filter(pk=other_company.pk).exists()

    client.post(reverse("scouting:merge_undo", args=[merge.pk]))
    other_company.refresh_from_db()
    company.refresh_from_db()
    assert other_company.merged_into is None and other_company.registry_code == "10000001"
    assert company.registry_code == "" and company.website == "" and company.notes.count() == 0
    assert other_company.notes.get().text == "Met at the fair"
    pair.refresh_from_db()
    assert pair.status == "open"


def test_outsiders_cannot_see_or_merge_a_pair(client, outsider, company, other_company):
    pair = duplicate_pair(company, other_company)
    client.force_login(outsider)
    url = reverse("scouting:duplicate_review", args=[pair.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"keep": company.pk, "action": "merge"}).status_code == 404
    assert not Merge.objects.exists()


def test_a_viewer_may_review_but_not_merge(client, viewer, company, other_company):
    pair = duplicate_pair(company, other_company)
    client.force_login(viewer)
    url = reverse("scouting:duplicate_review", args=[pair.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"keep": company.pk, "action": "merge"}).status_code == 403


def test_ranked_list_explains_scores_and_bulk_adds(client, manager, programme, lead_org):
    ScoringProfile.objects.create(programme=programme, sector_codes=["62"], keywords=["cloud"])
    fit = Company.objects.create(name="Cloud Coders Oy", country="FI", nace_codes=["62.01"], employees=12,
                                 founded_year=2015, owner=lead_org, description="cloud")  # fmt: skip
    Company.objects.create(
        name="Big Steel AB", country="SE", nace_codes=["24.10"], employees=900, owner=lead_org
    )
    client.force_login(manager)
    page = client.get(reverse("scouting:index"), {"programme": programme.acronym}).content.decode()
    assert page.index("Cloud Coders Oy") < page.index("Big Steel AB")
    assert "activity 62.01 is in the programme&#x27;s sectors" in page
    response = client.post(
        reverse("scouting:bulk_add"), {"programme": programme.acronym, "company": [fit.pk]}
    )
    assert response.status_code == 302
    engagement = Engagement.objects.get(company=fit)
    assert engagement.stage == "identified" and engagement.history.count() == 1


def test_bulk_add_needs_a_programme_you_record_in(client, viewer, outsider, programme, company):
    client.force_login(viewer)
    url = reverse("scouting:bulk_add")
    assert (
        client.post(url, {"programme": programme.acronym, "company": [company.pk]}).status_code
        == 403
    )
    client.force_login(outsider)
    assert (
        client.post(url, {"programme": programme.acronym, "company": [company.pk]}).status_code
        == 404
    )


def test_only_managers_configure_the_score(client, manager, advisor, programme):
    url = reverse("scouting:profile_edit", args=[programme.acronym])
    client.force_login(advisor)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    response = client.post(url, {"sector_codes": "62, J", "sector_points": 40, "min_employees": 1,
                                 "max_employees": 30, "size_points": 20, "min_age_years": 2,
                                 "max_age_years": 0, "age_points": 10, "min_growth_percent": 10,
                                 "growth_points": 15, "export_keywords": "export", "export_points": 10,
                                 "keywords": "", "keyword_points": 10, "website_points": 5,
                                 "engagement_points": -10, "version": ""})  # fmt: skip
    assert response.status_code == 302
    assert ScoringProfile.objects.get().sector_codes == ["62", "J"]
    response = client.post(url, {"sector_codes": "99.99", "version": 1})
    assert "Not a NACE Rev. 2 code: 99.99" in response.content.decode()


def test_saved_searches_belong_to_their_user(client, manager, advisor):
    client.force_login(manager)
    client.post(
        reverse("scouting:search_save"), {"name": "Estonian ICT", "query": "country=EE&nace=62"}
    )
    page = client.get(reverse("scouting:index")).content.decode()
    assert "Estonian ICT" in page
    client.force_login(advisor)
    assert "Estonian ICT" not in client.get(reverse("scouting:index")).content.decode()


def test_sme_users_see_an_explanation_not_the_register(client, sme_user):
    client.force_login(sme_user)
    response = client.get(reverse("scouting:index"))
    assert response.status_code == 200 and "partner clusters" in response.content.decode()
    assert client.get(reverse("scouting:imports")).status_code == 403


def test_a_filter_that_does_not_validate_leaves_the_others_working(client, advisor, partner_org):
    Company.objects.create(name="Tallinn Soft OÜ", country="EE", owner=partner_org)
    Company.objects.create(name="Kista Soft AB", country="SE", owner=partner_org)
    client.force_login(advisor)
    page = client.get(reverse("scouting:index"), {"programme": "not-mine", "country": "EE"})
    text = page.content.decode()
    assert "Tallinn Soft OÜ" in text and "Kista Soft AB" not in text


def test_the_errors_csv_writes_a_formula_like_value_as_text(client, advisor):
    evil = '=HYPERLINK("http://evil.example/")'
    job = ImportJob.objects.create(
        organisation=advisor.organisation,
        source="register",
        file_name="register.csv",
        errors=[{"line": 2, "field": "name", "kind": "invalid", "message": evil}],
    )
    client.force_login(advisor)
    response = client.get(reverse("scouting:import_errors", args=[job.pk]))
    assert response.content.decode().splitlines()[1] == (
        '2,name,invalid,"\'=HYPERLINK(""http://evil.example/"")"'
    )


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"],
)
def test_bulk_add_never_redirects_to_another_site(client, manager, programme, company, target):
    client.force_login(manager)
    response = client.post(
        reverse("scouting:bulk_add"),
        {"programme": programme.acronym, "company": [company.pk], "next": target},
    )
    assert response.status_code == 302 and response.url == reverse("scouting:index")


def test_bulk_add_returns_to_the_list_it_was_sent_from(client, manager, programme, company):
    client.force_login(manager)
    back = reverse("scouting:index") + "?q=alpha"
    response = client.post(
        reverse("scouting:bulk_add"),
        {"programme": programme.acronym, "company": [company.pk], "next": back},
    )
    assert response.url == back
