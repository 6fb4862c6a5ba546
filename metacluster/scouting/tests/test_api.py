import pytest

from metacluster.companies.models import Company, Engagement, Merge
from metacluster.scouting.models import DuplicateCandidate, ScoringProfile
from metacluster.testing import assert_error, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(company, other_company):
    first, second = sorted([company, other_company], key=lambda c: c.pk)
    return DuplicateCandidate.objects.create(
        first=first, second=second, reason="name_town", similarity=93
    )


def test_merge_and_undo_through_the_api(manager, pair, company):
    api = token_client(manager)
    response = api.post(
        f"/api/v1/scouting/duplicates/{pair.pk}/merge",
        {"keep": company.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    merge = Merge.objects.get()
    assert response.json()["survivor_id"] == company.pk
    again = api.post(
        f"/api/v1/scouting/duplicates/{pair.pk}/merge",
        {"keep": company.pk},
        content_type="application/json",
    )
    assert again.status_code in (400, 422)
    response = api.post(f"/api/v1/scouting/merges/{merge.pk}/undo")
    assert response.status_code == 200 and response.json()["undone_at"]
    assert Company.objects.current().count() == 2


def test_outsiders_get_404_and_sme_users_403(outsider, sme_user, pair, company):
    response = token_client(outsider).post(
        f"/api/v1/scouting/duplicates/{pair.pk}/merge",
        {"keep": company.pk},
        content_type="application/json",
    )
    assert_error(response, 404)
    assert_error(token_client(sme_user).get("/api/v1/scouting/duplicates"), 403)


def test_ranking_explains_each_score(manager, programme, lead_org):
    ScoringProfile.objects.create(programme=programme, sector_codes=["62"])
    Company.objects.create(
        name="Fit Oy", country="FI", nace_codes=["62.01"], employees=10, owner=lead_org
    )
    response = token_client(manager).get(f"/api/v1/scouting/programmes/{programme.pk}/ranking")
    assert response.status_code == 200
    best = response.json()["items"][0]
    assert best["name"] == "Fit Oy"
    assert {
        "key": "sector",
        "points": 30,
        "max": 30,
        "reason": "sector_in",
        "params": {"codes": ["62.01"]},
        "why": "activity 62.01 is in the programme's sectors",
    } in best["criteria"]


def test_add_to_programme_at_identified(advisor, programme, partner_org):
    fresh = Company.objects.create(name="Fresh OÜ", country="EE", owner=partner_org)
    api = token_client(advisor)
    url = f"/api/v1/scouting/programmes/{programme.pk}/engagements"
    response = api.post(url, {"companies": [fresh.pk]}, content_type="application/json")
    assert response.json() == {"added": 1, "already": 0}
    assert Engagement.objects.get(company=fresh).stage == "identified"
    assert api.post(url, {"companies": [fresh.pk]}, content_type="application/json").json() == {
        "added": 0,
        "already": 1,
    }


def test_add_refuses_companies_you_cannot_see(advisor, programme, outsider_company):
    response = token_client(advisor).post(
        f"/api/v1/scouting/programmes/{programme.pk}/engagements",
        {"companies": [outsider_company.pk]}, content_type="application/json",
    )  # fmt: skip
    assert_error(response, 404)
    assert not Engagement.objects.filter(company=outsider_company, programme=programme).exists()


def test_company_list_counts_up_to_a_cap(manager, company, monkeypatch):
    from metacluster.companies import listing

    api = token_client(manager)
    response = api.get("/api/v1/companies", {"q": "alpha fictional"})
    body = response.json()
    assert set(body) == {"count", "limit", "offset", "items"}
    assert body["count"] == 1 and body["items"][0]["name"] == "Alpha Fictional AB"
    assert "X-Count-Capped" not in response
    monkeypatch.setattr(listing.capped_count, "__defaults__", (0,))
    response = api.get("/api/v1/companies")
    assert response.json()["count"] == 0 and response["X-Count-Capped"] == "true"
