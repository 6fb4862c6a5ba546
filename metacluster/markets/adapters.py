"""Between the project and `metacluster.core.markets`: ISO2 codes as the models store them,
the user's home country, and the snapshot a feasibility study keeps."""

from __future__ import annotations

from metacluster.core.markets import load, rank
from metacluster.core.markets.data import DATA_DIR
from metacluster.core.markets.tariffs import TariffRate, best_rate, normalise_product
from metacluster.countries import country_name

SOURCES_NOTE = (
    "World Bank WDI and LPI (CC BY 4.0), CEPII GeoDist, IANA tz database; "
    "table built by scripts/build_market_data.py"
)


def data():
    return load()


def ranking_data(product: str = ""):
    """The country table with the loaded tariffs, if any: per market the most specific rate
    that covers `product` (HS6, else its chapter, else all products; all products when no
    product is given). Without tariff rows this is the shipped table itself."""
    from .models import Tariff

    product = normalise_product(product)  # ValueError for a code that is not HS2 / HS6
    rows = list(Tariff.objects.values_list("market", "product", "year", "rate", "source"))
    table = data()
    if not rows:
        return table
    by_market: dict[str, list[TariffRate]] = {}
    for market, code, year, rate, source in rows:
        by_market.setdefault(market, []).append(TariffRate(market, code, year, rate, source))
    figures = {}
    for market, rates in by_market.items():
        country = table.resolve(market)
        found = best_rate(rates, product) if country else None
        if found is not None:
            figures[country.iso3] = found
    return table.with_series("tariff", figures) if figures else table


def potential(dataset, exporter: str, product: str, year: int | None = None) -> dict:
    """Export potential from a loaded trade dataset, as JSON with the dataset's source and
    the markets' names and ISO2 codes."""
    from metacluster.core.markets.cli import baci_codes
    from metacluster.core.markets.potential import export_potential

    result = export_potential(
        str(dataset.store_path()), exporter, product, year=year, codes=baci_codes()
    ).to_json()
    table = data()
    for market in result["markets"]:
        country = table.resolve(market["market"]) if len(market["market"]) == 3 else None
        market["name"] = country_name(country.iso2) if country else market["market"]
        market["iso2"] = country.iso2 if country else ""
        market["supply"] = result["supply"]
    exporter_country = table.resolve(result["exporter"]) if len(result["exporter"]) == 3 else None
    result["exporter_name"] = (
        country_name(exporter_country.iso2) if exporter_country else result["exporter"]
    )
    result["dataset"] = {"id": dataset.pk, "name": dataset.name, "source": dataset.source}
    return result


def home_for(user) -> str:
    """The ISO2 country a user exports from: their company's, else their organisation's."""
    company = getattr(user, "company", None)
    if company is not None and company.country:
        return company.country
    organisation = getattr(user, "organisation", None)
    if organisation is not None and organisation.country:
        return organisation.country
    return "SE"


def programmes_aimed_outside_eu_efta(user) -> list:
    """The programmes the user sees, when every one of them that names target markets names
    only markets outside the EU/EFTA (and at least one does); else none. The ranking then
    opens with the "outside EU/EFTA" filter on, and says why."""
    from metacluster.countries import eu_efta_codes
    from metacluster.programmes.models import Programme

    programmes = list(
        Programme.objects.visible_to(user)
        .filter(target_markets__isnull=False)
        .distinct()
        .prefetch_related("target_markets")
    )
    inside = eu_efta_codes()
    if any(m.country in inside for p in programmes for m in p.target_markets.all()):
        return []
    return programmes


def iso3(code: str) -> str | None:
    country = data().resolve(code)
    return country.iso3 if country else None


def iso2(code: str) -> str | None:
    country = data().resolve(code)
    return country.iso2 if country else None


def regions() -> list[str]:
    return sorted({c.region for c in data().countries.values() if c.region.strip()})


def snapshot(*, home: str, offering: str, market: str, weights: dict | None = None) -> dict:
    """The market's ranking (score, rank, breakdown with sources) as the study records it."""
    ranking = rank(ranking_data(), home, offering, weights)
    code = iso3(market) or ""
    found = ranking.market(code)
    result = {
        "home": ranking.home.iso2,
        "offering": offering,
        "weights": ranking.weights,
        "markets_ranked": len(ranking.markets),
        "sources": SOURCES_NOTE,
        "data": str(DATA_DIR.name),
    }
    if found is not None:
        result |= {
            "rank": found.rank,
            "score": found.score,
            "missing": found.missing,
            "components": {c: comp.to_json(details=True) for c, comp in found.components.items()},
        }
    else:
        reasons = [reason for country, reason in ranking.excluded if country.iso3 == code]
        result["left_out"] = reasons[0] if reasons else ""
    return result
