"""Between the project and `metacluster.core.markets`: ISO2 codes as the models store them,
the user's home country, and the snapshot a feasibility study keeps."""

from __future__ import annotations

from metacluster.core.markets import load, rank
from metacluster.core.markets.data import DATA_DIR

SOURCES_NOTE = (
    "World Bank WDI and LPI (CC BY 4.0), CEPII GeoDist, IANA tz database; "
    "table built by scripts/build_market_data.py"
)


def data():
    return load()


def home_for(user) -> str:
    """The ISO2 country a user exports from: their company's, else their organisation's."""
    company = getattr(user, "company", None)
    if company is not None and company.country:
        return company.country
    organisation = getattr(user, "organisation", None)
    if organisation is not None and organisation.country:
        return organisation.country
    return "SE"


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
    ranking = rank(data(), home, offering, weights)
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
