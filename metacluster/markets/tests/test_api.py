"""Rankings, export potential and feasibility studies through the API."""

import pytest

from metacluster.core.markets import INDICATORS
from metacluster.core.markets.generate import generate_trade, write_trade
from metacluster.markets.models import FeasibilityStudy
from metacluster.services.models import Delivery
from metacluster.testing import assert_error, ids, token_client


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_indicators_list_default_weights(manager):
    response = token_client(manager).get("/api/v1/markets/indicators")
    assert response.status_code == 200
    by_code = {row["code"]: row for row in response.json()}
    assert by_code["lpi"]["default_weights"]["goods"] > 0
    assert by_code["internet_users"]["default_weights"]["ict-services"] > 0


def test_ranking_with_weights_and_filters(manager):
    response = post(
        token_client(manager),
        "/api/v1/markets/ranking",
        {"home": "SE", "offering": "goods", "weights": {"lpi": 40}, "eu_efta": "only", "limit": 5},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["weights"]["lpi"] == 40
    assert len(data["markets"]) == 5
    assert all(m["eu_efta"] for m in data["markets"])
    first = data["markets"][0]
    assert first["components"]["lpi"]["source"].startswith("World Bank LPI")
    assert first["intelligence"] == {}


def test_ranking_refuses_bad_weights(manager):
    client = token_client(manager)
    assert_error(
        post(
            client,
            "/api/v1/markets/ranking",
            {"home": "SE", "offering": "goods", "weights": {"lpi": -1}},
        ),
        400,
        "weights.lpi",
    )
    assert_error(
        post(
            client,
            "/api/v1/markets/ranking",
            {"home": "SE", "offering": "goods", "weights": {"tariffs": 1}},
        ),
        400,
    )
    assert_error(
        post(
            client,
            "/api/v1/markets/ranking",
            {"home": "SE", "offering": "goods", "regions": ["Atlantis"]},
        ),
        400,
        "regions.0",
    )
    all_zero = {code: 0 for code in INDICATORS}
    assert_error(
        post(
            client,
            "/api/v1/markets/ranking",
            {"home": "SE", "offering": "goods", "weights": all_zero},
        ),
        400,
        "weights",
    )


def test_ranking_needs_a_login(client):
    assert_error(post(client, "/api/v1/markets/ranking", {"home": "SE", "offering": "goods"}), 401)


@pytest.fixture
def trade_file(tmp_path):
    path = tmp_path / "trade.csv"
    write_trade(path, generate_trade(3000, products=4, seed=7))
    return path


def test_export_potential_from_an_uploaded_file(manager, trade_file):
    lines = trade_file.read_text().splitlines()
    _t, exporter, _j, product = lines[1].split(",")[:4]
    with open(trade_file, "rb") as f:
        response = token_client(manager).post(
            "/api/v1/markets/export-potential",
            {"exporter": exporter, "product": product.zfill(6), "trade": f},
        )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["product"] == product.zfill(6) and data["markets"]
    assert all(m["untapped"] >= 0 for m in data["markets"])


def test_export_potential_refuses_a_file_that_is_not_trade(manager, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,score\nx,1\n")
    with open(bad, "rb") as f:
        response = token_client(manager).post(
            "/api/v1/markets/export-potential", {"exporter": "SWE", "product": "851712", "trade": f}
        )
    assert_error(response, 400, "trade")


def test_studies_list_per_role(manager, sme_user, outsider, study, other_study, outsider_study):
    assert set(ids(token_client(manager).get("/api/v1/markets/feasibility-studies"))) == {
        study.pk,
        other_study.pk,
    }
    assert ids(token_client(sme_user).get("/api/v1/markets/feasibility-studies")) == [study.pk]
    assert ids(token_client(outsider).get("/api/v1/markets/feasibility-studies")) == [
        outsider_study.pk
    ]
    assert_error(token_client(outsider).get(f"/api/v1/markets/feasibility-studies/{study.pk}"), 404)
    assert_error(
        token_client(sme_user).get(f"/api/v1/markets/feasibility-studies/{other_study.pk}"), 404
    )


def test_advisor_creates_a_study(advisor, programme, company):
    response = post(
        token_client(advisor),
        "/api/v1/markets/feasibility-studies",
        {
            "programme": programme.pk,
            "company": company.pk,
            "market": "US",
            "offering": "goods",
            "weights": {"distance": 50},
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["ranking_snapshot"]["weights"]["distance"] == 50
    assert data["advisor_id"] == advisor.pk and data["decision"] == "pending"


def test_viewer_and_sme_cannot_create(viewer, sme_user, programme, company):
    body = {"programme": programme.pk, "company": company.pk, "market": "US"}
    assert_error(post(token_client(viewer), "/api/v1/markets/feasibility-studies", body), 403)
    # The SME user does not even see the programme's companies as a recorder would.
    response = post(token_client(sme_user), "/api/v1/markets/feasibility-studies", body)
    assert response.status_code in (400, 403)
    assert not FeasibilityStudy.objects.exists()


def test_outsider_cannot_create_in_a_programme_it_does_not_see(outsider, programme, company):
    body = {"programme": programme.pk, "company": company.pk, "market": "US"}
    assert_error(
        post(token_client(outsider), "/api/v1/markets/feasibility-studies", body), 400, "programme"
    )


def test_patch_decides_and_records_the_delivery(manager, study, feasibility):
    client = token_client(manager)
    response = client.patch(
        f"/api/v1/markets/feasibility-studies/{study.pk}",
        {"decision": "go", "decided_on": "2021-06-01", "version": study.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["delivery_id"] == Delivery.objects.get().pk
    stale = client.patch(
        f"/api/v1/markets/feasibility-studies/{study.pk}",
        {"notes": "late", "version": study.version},
        content_type="application/json",
    )
    assert_error(stale, 409, "version")


def test_patch_without_a_feasibility_service_is_refused(manager, study):
    response = token_client(manager).patch(
        f"/api/v1/markets/feasibility-studies/{study.pk}",
        {"decision": "go", "decided_on": "2021-06-01", "version": study.version},
        content_type="application/json",
    )
    assert_error(response, 400, "decision")
