"""The public facts of the demo programmes: partner organisations, budgets, co-financing rates,
target markets, indicator targets and what each programme reported (sources in docs/DEMO.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from metacluster.accounts.choices import OrganisationKind
from metacluster.programmes.choices import PartnerRole

from .fiction import FICTIONAL

TIME_ZONES = {
    "SE": "Europe/Stockholm",
    "EE": "Europe/Tallinn",
    "LV": "Europe/Riga",
    "FI": "Europe/Helsinki",
}


@dataclass(frozen=True)
class OrgSpec:
    name: str
    short_name: str
    kind: str
    country: str
    username: str  # the organisation's demo staff user


ORGANISATIONS = {
    "fov": OrgSpec("Fiber Optic Valley", "FOV", OrganisationKind.CLUSTER, "SE", "manager.fov"),
    # A research institute; "university" is our kind for universities and research institutes.
    "acreo": OrgSpec(
        "Acreo Swedish ICT", "Acreo", OrganisationKind.UNIVERSITY, "SE", "advisor.acreo"
    ),
    "lvit": OrgSpec(
        "Latvian IT Cluster", "LV IT Cluster", OrganisationKind.CLUSTER, "LV", "advisor.lvit"
    ),
    "ictee": OrgSpec(
        "ICT Export Cluster Estonia",
        "ICT Export Cluster",
        OrganisationKind.CLUSTER,
        "EE",
        "advisor.ictee",
    ),
    "sisp": OrgSpec(
        "SISP Swedish Incubators & Science Parks",
        "SISP",
        OrganisationKind.AGENCY,
        "SE",
        "manager.sisp",
    ),
    "tehnopol": OrgSpec(
        "Tallinn Science Park Tehnopol",
        "Tehnopol",
        OrganisationKind.SCIENCE_PARK,
        "EE",
        "advisor.tehnopol",
    ),
    "turku": OrgSpec(
        "Turku Science Park", "Turku SP", OrganisationKind.SCIENCE_PARK, "FI", "advisor.turku"
    ),
    "vasteras": OrgSpec(
        "Västerås Science Park",
        "Västerås SP",
        OrganisationKind.SCIENCE_PARK,
        "SE",
        "advisor.vasteras",
    ),
    "posintra": OrgSpec("Posintra", "Posintra", OrganisationKind.AGENCY, "FI", "advisor.posintra"),
    # Legal name: Tampereen kaupunkiseudun elinkeino- ja kehitysyhtiö Tredea Oy.
    "tredea": OrgSpec("Tredea", "Tredea", OrganisationKind.AGENCY, "FI", "advisor.tredea"),
}


@dataclass(frozen=True)
class PartnerSpec:
    org: str
    role: str = PartnerRole.PARTNER
    budget: Decimal | None = None
    rate: Decimal | None = None


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit: str
    target: int | None
    definition: dict


@dataclass(frozen=True)
class ProgrammeSpec:
    name: str
    acronym: str
    funding_programme: str
    priority: str
    start: date
    end: date
    total_budget: Decimal
    funder_contribution: Decimal | None
    private_contribution: Decimal | None
    description: str
    partners: tuple[PartnerSpec, ...]
    markets: tuple[str, ...]
    indicators: tuple[IndicatorSpec, ...]


CENTRAL_BALTIC = "Interreg Central Baltic 2014–2020"
MORE_EXPORTS = (
    "P1 Competitive economy – 1.3 More exports by the Central Baltic companies to new markets"
)
LEAD = PartnerRole.LEAD

ICT = ProgrammeSpec(
    name="ICT Meta Cluster",
    acronym="ict-meta-cluster",
    funding_programme=CENTRAL_BALTIC,
    priority=MORE_EXPORTS,
    start=date(2015, 9, 1),
    end=date(2019, 2, 28),
    total_budget=Decimal("2230878"),
    funder_contribution=None,
    private_contribution=Decimal("121196"),
    description="Four ICT clusters and a research institute from Sweden, Latvia and Estonia "
    "helped ICT SMEs of the Central Baltic region to their first sales in markets outside "
    "the EU/EFTA. Source: Interreg Europe good practice “ICT Meta Cluster”.",
    # Partner budgets are not in our sources; ERDF co-financing is 75 % in Sweden and 85 % in
    # Estonia and Latvia.
    partners=(
        PartnerSpec("fov", LEAD, rate=Decimal(75)),
        PartnerSpec("acreo", rate=Decimal(75)),
        PartnerSpec("lvit", rate=Decimal(85)),
        PartnerSpec("ictee", rate=Decimal(85)),
    ),
    markets=("BR", "CA", "US", "JP", "CN", "IN", "ZA"),
    indicators=(
        IndicatorSpec(
            "SME-IDENTIFIED",
            "SMEs identified",
            "companies",
            120,
            {"kind": "stage_reached", "stage": "identified"},
        ),
        IndicatorSpec(
            "SME-SUPPORTED",
            "SMEs supported",
            "companies",
            30,
            {"kind": "stage_reached", "stage": "supported"},
        ),
        IndicatorSpec(
            "SME-NONFIN",
            "SMEs receiving non-financial support",
            "companies",
            30,
            {"kind": "service_units", "min_units": 1},
        ),
        IndicatorSpec(
            "FIRST-SALES",
            "First sales outside the EU/EFTA",
            "first sales",
            9,
            {
                "kind": "deals",
                "stages": ["won"],
                "agreement_types": ["sale"],
                "first_sale": True,
                "outside_eu_efta": True,
            },
        ),
    ),
)

SME2GO = ProgrammeSpec(
    name="SME2GO",
    acronym="sme2go",
    funding_programme=CENTRAL_BALTIC,
    priority=MORE_EXPORTS,
    start=date(2015, 10, 1),
    end=date(2018, 9, 30),
    total_budget=Decimal("1839996"),
    funder_contribution=Decimal("1419997"),
    private_contribution=None,
    description="Science parks and business agencies in Sweden, Estonia and Finland helped "
    "SMEs go international, alone and in export consortia.",
    # Budgets and ERDF amounts from the Interreg Central Baltic project database; the rate is
    # ERDF ÷ budget, so each partner's funder share is its published ERDF amount.
    partners=(
        PartnerSpec("sisp", LEAD, Decimal("489996"), Decimal(75)),
        PartnerSpec("tehnopol", budget=Decimal("400000"), rate=Decimal(85)),
        PartnerSpec("turku", budget=Decimal("305000"), rate=Decimal(75)),
        PartnerSpec("vasteras", budget=Decimal("340000"), rate=Decimal(75)),
        PartnerSpec("posintra", budget=Decimal("305000"), rate=Decimal(75)),
    ),
    markets=(),
    indicators=(
        IndicatorSpec(
            "SME-SUPPORTED",
            "SMEs supported",
            "companies",
            None,
            {"kind": "stage_reached", "stage": "supported", "window": "period"},
        ),
        IndicatorSpec(
            "CONSORTIA",
            "Export consortia formed",
            "consortia",
            5,
            {"kind": "consortia", "min_countries": 2, "window": "period"},
        ),
        IndicatorSpec(
            "CONSORTIUM-MEMBERS",
            "Companies in export consortia",
            "companies",
            None,
            {"kind": "consortia", "count": "members", "min_countries": 2, "window": "period"},
        ),
    ),
)

FOURSG = ProgrammeSpec(
    name="4SmartGrowth",
    acronym="4smartgrowth",
    funding_programme=CENTRAL_BALTIC,
    priority=MORE_EXPORTS,
    start=date(2019, 4, 1),
    end=date(2021, 12, 31),
    total_budget=Decimal("1063833"),
    funder_contribution=Decimal("817790"),
    private_contribution=None,
    description="Smart Clusters for Smart Growth through Joint Business Intelligence. Five "
    "partners pooled their business contacts so that Central Baltic SMEs with smart-city "
    "solutions could export to cities in Vietnam and China that carry out smart-city plans, and "
    "to Chile: market action plans, training, export missions and pilots.",
    # Budgets and ERDF amounts from database.centralbaltic.eu/project/110 and
    # keep.eu/projects/21872; the rate is ERDF ÷ budget.
    partners=(
        PartnerSpec("sisp", LEAD, Decimal("265583"), Decimal(75)),
        PartnerSpec("tehnopol", budget=Decimal("199150"), rate=Decimal(85)),
        PartnerSpec("tredea", budget=Decimal("199100"), rate=Decimal(75)),
        PartnerSpec("turku", budget=Decimal("200000"), rate=Decimal(75)),
        PartnerSpec("vasteras", budget=Decimal("200000"), rate=Decimal(75)),
    ),
    markets=("CN", "VN", "CL"),
    indicators=(
        IndicatorSpec(
            "MATCHMAKING-SMES",
            "SMEs in matchmaking",
            "companies",
            None,
            {"kind": "service_units", "service_kinds": ["matchmaking"], "min_units": 1},
        ),
        IndicatorSpec(
            "SALES-AGREEMENTS",
            "Sales agreements",
            "agreements",
            4,
            # "during or shortly after the project": the period and two years after it.
            {
                "kind": "deals",
                "stages": ["agreement", "won"],
                "agreement_types": ["sale"],
                "window": "period",
                "follow_up_months": 24,
            },
        ),
        IndicatorSpec(
            "REPRESENTATION-AGREEMENTS",
            "Representation agreements",
            "agreements",
            None,
            {
                "kind": "deals",
                "stages": ["agreement", "won"],
                "agreement_types": ["representation"],
                "window": "period",
                "follow_up_months": 24,
            },
        ),
        IndicatorSpec(
            "PILOTS-OPEN",
            "Pilots under discussion",
            "pilots",
            None,
            {"kind": "deals", "stages": ["pilot"]},
        ),
        IndicatorSpec(
            "EXPORT-MISSION-SMES",
            "SMEs on export missions",
            "companies",
            30,
            {"kind": "service_units", "service_kinds": ["export_mission"], "min_units": 1},
        ),
    ),
)

PROGRAMMES = (ICT, SME2GO, FOURSG)


@dataclass(frozen=True)
class TransferSpec:
    """A fictional programme started from a shipped template, to show the transfer of a
    programme's set-up to another sector: it has the template's set-up and no records yet."""

    template: str
    name: str
    acronym: str
    partners: tuple[str, ...]
    start: date
    end: date
    scale: Decimal


# ICT Meta Cluster's own words: replicable "to other sector clusters". Health technology is our
# fictional example; the organisations are real, the programme is not.
TRANSFER = TransferSpec(
    template="ict-export-non-eu",
    name=f"Health-Tech Export {FICTIONAL}",
    acronym="healthtech-export",
    partners=("turku", "tehnopol", "vasteras"),
    start=date(2026, 1, 1),
    end=date(2028, 12, 31),
    scale=Decimal("0.5"),
)
ACRONYMS = (*(spec.acronym for spec in PROGRAMMES), TRANSFER.acronym)

# What each programme reported. The generator creates exactly this many records of each sort;
# the indicators then count them through their definitions. EXPORT-MISSION-SMES is not
# published: 32 is our invention.
REPORTED = {
    "ict-meta-cluster": {
        "SME-IDENTIFIED": 166,
        "SME-SUPPORTED": 45,
        "SME-NONFIN": 130,
        "FIRST-SALES": 14,
    },
    "sme2go": {"SME-SUPPORTED": 163, "CONSORTIA": 10, "CONSORTIUM-MEMBERS": 60},
    "4smartgrowth": {
        "MATCHMAKING-SMES": 35,
        "SALES-AGREEMENTS": 3,
        "REPRESENTATION-AGREEMENTS": 2,
        "PILOTS-OPEN": 41,
        "EXPORT-MISSION-SMES": 32,
    },
}
