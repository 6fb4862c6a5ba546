"""The ranking, comparison and feasibility-study pages."""

from datetime import date

import pytest

from metacluster.markets.models import FeasibilityStudy
from metacluster.services.models import Delivery


def test_ranking_page_ranks_markets_with_breakdowns(logged_in, manager):
    response = logged_in(manager).get("/markets/", {"home": "SE", "offering": "goods"})
    assert response.status_code == 200
    ranking = response.context["ranking"]
    assert ranking.home.iso3 == "SWE" and ranking.offering == "goods"
    body = response.content.decode()
    assert "World Bank LPI overall score" in body  # the source beside each figure
    assert 'data-country="SWE"' not in body  # home is not a market


def test_ranking_defaults_to_the_users_country(logged_in, advisor):
    response = logged_in(advisor).get("/markets/")
    assert response.context["ranking"].home.iso2 == "EE"  # the advisor's organisation


def test_ranking_filters_and_weights(logged_in, manager):
    response = logged_in(manager).get(
        "/markets/",
        {"home": "SE", "offering": "goods", "eu_efta": "exclude", "region": "Asia", "w_lpi": "60"},
    )
    ranking = response.context["ranking"]
    assert ranking.weights["lpi"] == 60
    assert ranking.markets and all(
        m.country.region == "Asia" and not m.country.in_eu_or_efta for m in ranking.markets
    )


def test_bad_weights_are_form_errors_not_crashes(logged_in, manager):
    response = logged_in(manager).get(
        "/markets/", {"home": "SE", "offering": "goods", "w_gdp": "-5"}
    )
    assert response.status_code == 200
    assert response.context["ranking"] is None
    assert "w_gdp" in response.context["form"].errors


def test_all_weights_zero_is_explained(logged_in, manager):
    zeros = {
        f"w_{code}": "0"
        for code in (
            "gdp",
            "population",
            "gdp_per_capita",
            "gdp_growth_5y",
            "internet_users",
            "trade_openness",
            "lpi",
            "distance",
            "contiguity",
            "common_language",
            "time_zone_overlap",
        )
    }
    response = logged_in(manager).get("/markets/", {"home": "SE", "offering": "goods", **zeros})
    assert response.context["ranking"] is None
    assert "at least one" in str(response.context["form"].errors)


def test_htmx_gets_only_the_results(logged_in, manager):
    response = logged_in(manager).get(
        "/markets/", {"home": "SE", "offering": "goods"}, headers={"HX-Request": "true"}
    )
    assert b"<html" not in response.content and b"compare-form" in response.content


def test_intelligence_counts_the_users_own_deals(logged_in, manager, programme, company, lead_org):
    from metacluster.deals.models import Deal

    Deal.objects.create(
        programme=programme,
        company=company,
        partner=lead_org,
        market="JP",
        counterpart="Fictional KK",
        stage="pilot",
    )
    response = logged_in(manager).get(
        "/markets/", {"home": "SE", "offering": "ict-services", "all": "1"}
    )
    rows = {m.country.iso2: counts for m, counts in response.context["markets"]}
    # deals, pilots, first sales, studies
    assert [n for n, _url in rows["JP"]][:2] == [1, 1]


def test_compare_up_to_five_markets_with_charts(logged_in, viewer):
    response = logged_in(viewer).get(
        "/markets/compare/", {"home": "SE", "offering": "ict-services", "m": ["USA", "JP", "DEU"]}
    )
    assert response.status_code == 200
    names = [m.country.name for m, _colour in response.context["markets"]]
    assert names == ["United States", "Japan", "Germany"]  # the order chosen
    body = response.content.decode()
    assert body.count("<svg") >= 2  # components and at least one trend
    assert "<polyline" in body


def test_compare_more_than_five_keeps_five_and_says_so(logged_in, viewer):
    response = logged_in(viewer).get(
        "/markets/compare/", {"m": ["USA", "JPN", "DEU", "FRA", "CHN", "IND"]}
    )
    assert len(response.context["markets"]) == 5
    assert response.context["problems"]


def test_compare_with_an_unknown_market_is_an_error_page(logged_in, viewer):
    response = logged_in(viewer).get("/markets/compare/", {"m": ["XXX"]})
    assert response.status_code == 200 and response.context["ranking"] is None


def test_study_pages_for_each_role(logged_in, manager, viewer, sme_user, outsider, study):
    assert logged_in(manager).get(f"/markets/studies/{study.pk}/").status_code == 200
    assert logged_in(viewer).get(f"/markets/studies/{study.pk}/").status_code == 200
    assert logged_in(sme_user).get(f"/markets/studies/{study.pk}/").status_code == 200
    assert logged_in(outsider).get(f"/markets/studies/{study.pk}/").status_code == 404
    assert logged_in(outsider).get(f"/markets/studies/{study.pk}/edit/").status_code == 404


def test_sme_user_does_not_see_other_companies_studies(logged_in, sme_user, study, other_study):
    client = logged_in(sme_user)
    assert client.get(f"/markets/studies/{other_study.pk}/").status_code == 404
    assert list(client.get("/markets/studies/").context["page"]) == [study]


def test_viewers_and_sme_users_cannot_edit(logged_in, viewer, sme_user, study):
    assert logged_in(viewer).get(f"/markets/studies/{study.pk}/edit/").status_code == 403
    assert logged_in(sme_user).get(f"/markets/studies/{study.pk}/edit/").status_code == 403
    assert logged_in(sme_user).get("/markets/studies/new/").status_code == 403


def test_advisor_creates_a_study_with_a_ranking_snapshot(
    logged_in, advisor, programme, company, partner_org
):
    response = logged_in(advisor).post(
        "/markets/studies/new/?w_lpi=50",
        {
            "programme": programme.pk,
            "company": company.pk,
            "market": "JP",
            "offering": "goods",
            "partner": partner_org.pk,
            "decision": "pending",
            "notes": "Distributor interviews planned.",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    study = FeasibilityStudy.objects.get()
    snapshot = study.ranking_snapshot
    assert snapshot["home"] == "SE" and snapshot["weights"]["lpi"] == 50
    assert 0 <= snapshot["score"] <= 100 and "lpi" in snapshot["components"]
    assert study.created_by == advisor


def test_deciding_in_the_form_records_the_delivery(logged_in, manager, study, feasibility):
    response = logged_in(manager).post(
        f"/markets/studies/{study.pk}/edit/",
        {
            "offering": "ict-services",
            "partner": study.partner_id,
            "advisor": manager.pk,
            "decision": "go",
            "decided_on": "2021-09-01",
            "partner_needed": "on",
            "version": study.version,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    study.refresh_from_db()
    assert study.decision == "go" and study.partner_needed
    assert Delivery.objects.get().date == date(2021, 9, 1)


def test_stale_form_is_refused(logged_in, manager, study):
    response = logged_in(manager).post(
        f"/markets/studies/{study.pk}/edit/",
        {
            "offering": "goods",
            "partner": study.partner_id,
            "decision": "pending",
            "version": study.version - 1 or 99,
        },
    )
    assert response.status_code == 200
    assert "Someone else changed" in str(response.context["form"].non_field_errors())


def test_start_a_study_link_carries_the_weights(logged_in, manager):
    response = logged_in(manager).get(
        "/markets/", {"home": "SE", "offering": "goods", "w_lpi": "55"}
    )
    assert b"offering=goods&amp;w_lpi=55" in response.content


def test_goods_ranking_shows_loaded_tariffs(logged_in, manager):
    from metacluster.core.markets.tariffs import TariffRate
    from metacluster.markets.workflows import load_tariffs

    load_tariffs([TariffRate("USA", "", 2022, 3.3, "WITS test")])
    response = logged_in(manager).get("/markets/", {"home": "SE", "offering": "goods"})
    ranking = response.context["ranking"]
    assert ranking.weights["tariff"] == 10
    assert response.context["defaults"]["w_tariff"] == 10
    usa = ranking.market("USA").components["tariff"]
    assert usa.value == 3.3 and "WITS test" in usa.source
    assert ranking.market("JPN").components["tariff"].missing
    assert "WITS test (all products)" in response.content.decode()
    ict = logged_in(manager).get("/markets/", {"home": "SE", "offering": "ict-services"})
    assert ict.context["ranking"].weights["tariff"] == 0


def test_the_ranking_page_takes_a_product_for_its_tariffs(logged_in, manager):
    from metacluster.core.markets.tariffs import TariffRate
    from metacluster.markets.workflows import load_tariffs

    load_tariffs(
        [TariffRate("JPN", "", 2022, 12.0, "WITS"), TariffRate("JPN", "85", 2022, 0.0, "WITS")]
    )
    client = logged_in(manager)
    query = {"home": "SE", "offering": "goods"}
    page = client.get("/markets/", query)
    assert 'name="product"' in page.content.decode()
    assert page.context["ranking"].market("JPN").components["tariff"].value == 12.0
    by_product = client.get("/markets/", {**query, "product": "851712"})
    assert by_product.context["ranking"].market("JPN").components["tariff"].value == 0.0
    bad = client.get("/markets/", {**query, "product": "8517"})
    assert bad.context["ranking"] is None and "product" in bad.context["form"].errors


# --- A programme aimed outside the EU/EFTA; markets without a guide -----------------------------


@pytest.fixture
def targets_asia(programme):
    from metacluster.programmes.models import TargetMarket

    for country in ("JP", "CN", "VN"):
        TargetMarket.objects.create(programme=programme, country=country)
    return programme


def test_a_programme_aimed_outside_the_eu_efta_opens_the_ranking_outside_it(
    logged_in, manager, targets_asia
):
    response = logged_in(manager).get("/markets/")
    ranking = response.context["ranking"]
    assert ranking.markets and not any(m.country.in_eu_or_efta for m in ranking.markets)
    body = response.content.decode()
    assert '<option value="exclude" selected>' in body
    notice = body.split('id="eu-efta-default"')[1].split("</p>")[0]
    assert "outside the EU/EFTA" in notice and "Test Export Programme" in notice
    assert 'href="?eu_efta=' in notice  # one click shows every market


def test_the_outside_eu_efta_filter_can_be_turned_off(logged_in, manager, targets_asia):
    response = logged_in(manager).get("/markets/", {"eu_efta": ""})
    assert any(m.country.in_eu_or_efta for m in response.context["ranking"].markets)
    assert 'id="eu-efta-default"' not in response.content.decode()


def test_a_programme_with_a_market_in_the_eu_opens_every_market(logged_in, manager, targets_asia):
    from metacluster.programmes.models import TargetMarket

    TargetMarket.objects.create(programme=targets_asia, country="DE")
    response = logged_in(manager).get("/markets/")
    assert any(m.country.in_eu_or_efta for m in response.context["ranking"].markets)
    assert 'id="eu-efta-default"' not in response.content.decode()


def test_another_organisation_s_programme_does_not_set_the_filter(
    logged_in, outsider, targets_asia
):
    response = logged_in(outsider).get("/markets/")
    assert any(m.country.in_eu_or_efta for m in response.context["ranking"].markets)


def _rows(response) -> dict[str, str]:
    """ISO3 market → the HTML of its row in the ranking."""
    body = response.content.decode().split("</tbody>")[0]
    rows = body.split('<tr class="market-row" data-country="')[1:]
    return {row.split('"')[0]: row for row in rows}


def test_top_markets_without_a_guide_invite_to_start_one(logged_in, manager, programme):
    from metacluster.guides.models import Barrier

    first = logged_in(manager).get("/markets/", {"home": "SE", "offering": "goods"})
    top = first.context["ranking"].markets[:3]
    guided = top[0].country
    Barrier.objects.create(
        programme=programme,
        market=guided.iso2,
        kind="legal",
        title="Certification",
        description="A national mark is needed.",
        source_title="Customs guide",
    )
    rows = _rows(logged_in(manager).get("/markets/", {"home": "SE", "offering": "goods"}))
    assert "No guide yet" not in rows[guided.iso3]
    for market in top[1:]:
        link = f'href="/guides/barriers/new/?market={market.country.iso2}"'
        assert "No guide yet — start one" in rows[market.country.iso3]
        assert link in rows[market.country.iso3]
    started = logged_in(manager).get(f"/guides/barriers/new/?market={top[1].country.iso2}")
    assert started.context["form"]["market"].value() == top[1].country.iso2


def test_sme_users_see_no_guide_yet_without_a_link_to_start_one(logged_in, sme_user):
    rows = _rows(logged_in(sme_user).get("/markets/", {"home": "SE", "offering": "goods"}))
    first = next(iter(rows.values()))
    assert "No guide yet" in first and "/guides/barriers/new/" not in first


@pytest.mark.parametrize("language, value", [("fi", "Japani"), ("lv", "japana"), ("sv", "JP")])
def test_the_study_list_picks_a_market_by_its_name_in_the_users_language(logged_in, manager, study, other_study, language, value):  # fmt: skip
    manager.language = language
    manager.save(update_fields=["language"])
    response = logged_in(manager).get(f"/markets/studies/?market={value}")
    assert list(response.context["page"]) == [study]


def test_a_study_filter_that_cannot_apply_is_said_and_the_others_still_apply(logged_in, manager, study, other_study):  # fmt: skip
    response = logged_in(manager).get("/markets/studies/?market=Atlantis&decision=nonsense")
    assert "No country is called “Atlantis”" in response.text
    assert 'id="unapplied"' in response.text
    response = logged_in(manager).get("/markets/studies/?market=Japan&decision=nonsense")
    assert list(response.context["page"]) == [study]
