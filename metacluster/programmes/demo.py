"""Demo data: three real Interreg Central Baltic programmes, run on fictional companies.

The programmes, their partner organisations, budgets, co-financing rates, target markets and
indicator targets are public facts (sources in docs/DEMO.md). Everything about companies is
invented: names ending in “(fictional)”, contacts, service catalogues, deliveries, deals,
consortia, notes and stage history, generated from a fixed seed so that every load is the same.

The generator creates as many records of each sort as the programmes reported (``REPORTED``);
the indicators carry only a definition and a target, and their achieved values are computed
from those records through ``programmes.kpis`` like any other programme's.
"""

from __future__ import annotations

import importlib
import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.db.models.deletion import ProtectedError
from django.utils.text import slugify

from metacluster.accounts.choices import OrganisationKind, Role
from metacluster.accounts.models import Organisation, User
from metacluster.companies.choices import CompanyKind, LawfulBasis, Stage
from metacluster.companies.models import Company, Contact, Note, engage
from metacluster.consortia.models import Consortium
from metacluster.deals.choices import AgreementType, DealStage
from metacluster.deals.models import Deal
from metacluster.services.choices import ServiceKind, Unit
from metacluster.services.models import Delivery, Service

from .choices import PartnerRole
from .kpis import parse_definition
from .models import Indicator, Partnership, Programme, TargetMarket

__all__ = [
    "ACRONYMS",
    "DEMO_PASSWORD",
    "DemoError",
    "Login",
    "exists",
    "load",
    "logins",
    "remove",
]

SEED = 2026
DEMO_PASSWORD = "demo2026!"
FICTIONAL = "(fictional)"
# Demo records are recognised by these marks, so that --reset never deletes real data.
REGISTRY_PREFIX = "DEMO-"
EMAIL_DOMAIN = "demo.metacluster.example"

TIME_ZONES = {
    "SE": "Europe/Stockholm",
    "EE": "Europe/Tallinn",
    "LV": "Europe/Riga",
    "FI": "Europe/Helsinki",
}


class DemoError(Exception):
    """The demo cannot be loaded or removed."""


# --- Public facts -------------------------------------------------------------------------------


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

# --- Fictional catalogues -----------------------------------------------------------------------

# (kind, name, unit, value per unit in EUR) offered by each partner in each programme.
CATALOGUES = {
    "ict-meta-cluster": {
        "fov": [
            (ServiceKind.COACHING, "Export coaching", Unit.HOURS, 110),
            (ServiceKind.MATCHMAKING, "Matchmaking with buyers abroad", Unit.SESSIONS, 400),
            (ServiceKind.EXPORT_MISSION, "Export mission to North America", Unit.DAYS, 950),
        ],
        "acreo": [
            (ServiceKind.TESTBED, "Fibre-optics testbed access", Unit.DAYS, 1200),
            (ServiceKind.PRODUCT_ADAPTATION, "Product adaptation for new markets", Unit.HOURS, 130),
            (ServiceKind.FEASIBILITY, "Technical feasibility analysis", Unit.REPORTS, 3000),
        ],
        "lvit": [
            (ServiceKind.READINESS, "Export readiness check", Unit.SESSIONS, 350),
            (ServiceKind.TRAINING, "Export sales training", Unit.PARTICIPANTS, 250),
            (ServiceKind.EXPORT_MISSION, "Export mission to Japan", Unit.DAYS, 900),
        ],
        "ictee": [
            (ServiceKind.MARKET_ANALYSIS, "Export market analysis", Unit.REPORTS, 2500),
            (ServiceKind.COUNSELLING, "Business counselling", Unit.HOURS, 100),
            (ServiceKind.SCOUTING, "Partner scouting in Brazil and Canada", Unit.REPORTS, 1800),
        ],
    },
    "sme2go": {
        "sisp": [
            (ServiceKind.COACHING, "Internationalisation coaching", Unit.HOURS, 120),
            (ServiceKind.TRAINING, "Consortium-building workshop", Unit.PARTICIPANTS, 300),
        ],
        "tehnopol": [
            (ServiceKind.READINESS, "Export readiness check", Unit.SESSIONS, 350),
            (ServiceKind.MATCHMAKING, "Business matchmaking", Unit.SESSIONS, 380),
        ],
        "turku": [
            (ServiceKind.SCOUTING, "Market scouting", Unit.REPORTS, 1600),
            (ServiceKind.COUNSELLING, "Business counselling", Unit.HOURS, 100),
        ],
        "vasteras": [
            (ServiceKind.FEASIBILITY, "Feasibility analysis", Unit.REPORTS, 2800),
            (ServiceKind.COACHING, "Growth coaching", Unit.HOURS, 115),
        ],
        "posintra": [
            (ServiceKind.TRAINING, "Export training", Unit.PARTICIPANTS, 200),
            (ServiceKind.MARKET_SUPPORT, "Market support", Unit.HOURS, 95),
        ],
    },
    "4smartgrowth": {
        "sisp": [
            (ServiceKind.MARKET_ANALYSIS, "Joint business intelligence report", Unit.REPORTS, 3500),
            (ServiceKind.EXPORT_MISSION, "Export mission to China", Unit.DAYS, 1100),
        ],
        "tehnopol": [
            (ServiceKind.READINESS, "Export readiness check", Unit.SESSIONS, 350),
            (ServiceKind.MATCHMAKING, "Buyer matchmaking – Vietnam", Unit.SESSIONS, 420),
            (ServiceKind.EXPORT_MISSION, "Export mission to Vietnam", Unit.DAYS, 1000),
        ],
        "tredea": [
            (ServiceKind.MATCHMAKING, "Buyer matchmaking – Chile", Unit.SESSIONS, 420),
            (ServiceKind.MARKET_SUPPORT, "Market support in Chile", Unit.HOURS, 110),
        ],
        "turku": [
            (ServiceKind.MATCHMAKING, "Buyer matchmaking – China", Unit.SESSIONS, 420),
            (ServiceKind.TRAINING, "Business intelligence training", Unit.PARTICIPANTS, 250),
        ],
        "vasteras": [
            (ServiceKind.EXPORT_MISSION, "Export mission to Chile", Unit.DAYS, 1050),
            (ServiceKind.COACHING, "Export coaching", Unit.HOURS, 115),
        ],
    },
}

QUANTITIES = {
    Unit.HOURS: (2, 3, 4, 6, 8, 12, 16),
    Unit.SESSIONS: (1, 1, 2, 3),
    Unit.DAYS: (1, 2, 3, 4),
    Unit.REPORTS: (1,),
    Unit.PARTICIPANTS: (1, 1, 2),
}

# --- Fictional names ----------------------------------------------------------------------------

NAME_STARTS = (
    "Ar", "Bel", "Cor", "Dal", "El", "Fen", "Gar", "Hal", "Il", "Jor", "Kal", "Lum",
    "Mor", "Nor", "Ol", "Pel", "Quor", "Ril", "Sol", "Tor", "Ul", "Vel", "Wen", "Ys",
)  # fmt: skip
NAME_MIDDLES = ("a", "e", "i", "o", "u", "ae", "y")
NAME_ENDS = (
    "vik", "tek", "nix", "ra", "dal", "sund", "mar", "tron", "lux", "via", "gard", "ness",
)  # fmt: skip
SECTORS = {
    "Sensors": ["26.51"],
    "Photonics": ["26.70", "27.31"],
    "Software": ["62.01"],
    "Analytics": ["62.01", "63.11"],
    "Robotics": ["28.99"],
    "Fibre Networks": ["61.10", "27.31"],
    "Cleantech": ["71.12"],
    "Medtech": ["32.50"],
    "Games": ["58.21"],
    "Cyber Security": ["62.02"],
    "IoT Systems": ["26.30", "62.01"],
    "Foodtech": ["10.89"],
    "Energy Systems": ["27.90"],
    "Logistics Software": ["62.01"],
    "Drones": ["30.30"],
    "Edtech": ["85.59", "62.01"],
    "Fintech": ["66.19"],
    "Health Data": ["63.11"],
    "Smart Water": ["36.00", "26.51"],
    "Materials": ["20.59"],
}
LEGAL_FORMS = {"SE": "AB", "EE": "OÜ", "LV": "SIA", "FI": "Oy"}
TOWNS = {
    "SE": ("Hudiksvall", "Stockholm", "Uppsala", "Västerås", "Gävle", "Kista"),
    "EE": ("Tallinn", "Tartu", "Pärnu"),
    "LV": ("Riga", "Jelgava", "Ventspils"),
    "FI": ("Turku", "Tampere", "Helsinki", "Porvoo", "Espoo"),
}
FIRST_NAMES = {
    "SE": ("Anna", "Erik", "Karin", "Johan", "Sara", "Lars", "Maria", "Anders", "Elin", "Oskar"),
    "EE": ("Kadri", "Mart", "Liis", "Tanel", "Kristi", "Rein", "Triin", "Andres"),
    "LV": ("Ilze", "Jānis", "Laura", "Mārtiņš", "Inese", "Edgars", "Līga", "Kristaps"),
    "FI": ("Aino", "Mikko", "Laura", "Juha", "Sanna", "Antti", "Heidi", "Ville"),
}
# Surnames made from the word "example" or "demo" in each language.
SURNAMES = {
    "SE": ("Exempelberg", "Demoqvist", "Provström", "Fiktivsson"),
    "EE": ("Näidismaa", "Proovitamm", "Demokask"),
    "LV": ("Paraugs", "Demovskis", "Piemēriņš"),
    "FI": ("Esimerkkinen", "Kokeilainen", "Demonen"),
}
JOB_TITLES = ("CEO", "Export manager", "Sales director", "CTO", "Business developer")
BUYER_FORMS = {
    "BR": "Ltda.",
    "CA": "Inc.",
    "US": "Inc.",
    "JP": "K.K.",
    "CN": "Co., Ltd.",
    "IN": "Pvt Ltd",
    "ZA": "(Pty) Ltd",
    "VN": "JSC",
    "CL": "SpA",
    "DE": "GmbH",
    "NO": "AS",
    "SG": "Pte Ltd",
    "KR": "Co., Ltd.",
    "AU": "Pty Ltd",
}
BUYER_WORDS = ("Trading", "Distribution", "Systems", "Holdings", "Networks", "Solutions")
NOTE_TEXTS = (
    "Strong product, but the export plan is thin; revisit after the readiness check.",
    "Interested in a joint offer with a partner from another country.",
    "CEO prefers meetings in the morning; send the agenda a week ahead.",
    "Needs product certification before the target market will accept it.",
    "Good candidate for the next export mission.",
    "Owner is cautious about sharing financial data; we agreed to start with a market analysis.",
    "Met a distributor at the matchmaking session; follow up in a month.",
    "Price level too high for the market so far; discussing a lighter product version.",
)


# --- Loading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    username: str
    description: str


def exists() -> bool:
    """Whether any of the demo programmes is in the database."""
    return _demo_programmes().exists()


def _demo_programmes():
    names = [spec.name for spec in PROGRAMMES] + [TRANSFER.name]
    return Programme.objects.filter(Q(acronym__in=ACRONYMS) | Q(name__in=names))


def _demo_users():
    usernames = ["admin", "viewer", "sme"] + [spec.username for spec in ORGANISATIONS.values()]
    return User.objects.filter(username__in=usernames, email__endswith="@" + EMAIL_DOMAIN)


def remove() -> dict[str, int]:
    """Delete the demo programmes, the fictional companies and the demo users.

    The organisations stay: they are real, and other programmes may name them as partners.
    Returns how many programmes, companies and users were deleted."""
    programmes = _demo_programmes()
    companies = Company.objects.filter(
        registry_code__startswith=REGISTRY_PREFIX, name__endswith=FICTIONAL
    )
    counts = {
        "programmes": programmes.count(),
        "companies": companies.count(),
        "users": _demo_users().count(),
    }
    try:
        with transaction.atomic():
            # Users point at their company, deliveries at their service and company, and deals
            # at their company, all protected: delete them before what they point at.
            for extension in reversed(_extensions()):
                extension.remove(programmes, companies)
            _demo_users().delete()
            Delivery.objects.filter(
                Q(service__programme__in=programmes) | Q(company__in=companies)
            ).delete()
            Deal.objects.filter(Q(programme__in=programmes) | Q(company__in=companies)).delete()
            programmes.delete()
            companies.delete()
    except ProtectedError as error:
        blocking = ", ".join(sorted({str(obj) for obj in error.protected_objects})[:5])
        raise DemoError(
            f"Cannot delete the demo data: other records still refer to it ({blocking})."
        ) from error
    return counts


def logins() -> list[Login]:
    """The demo users and what they may do, for printing after a load."""
    result = [Login("admin", "superuser: sees and edits everything")]
    leads = {p.org for spec in PROGRAMMES for p in spec.partners if p.role == PartnerRole.LEAD}
    for key, org in ORGANISATIONS.items():
        role = "programme manager" if key in leads else "advisor"
        result.append(Login(org.username, f"{role}, {org.name} ({TIME_ZONES[org.country]})"))
    result.append(Login("viewer", f"viewer, {ORGANISATIONS['sisp'].name}"))
    result.append(Login("sme", "SME user of one fictional company"))
    return result


def load(*, seed: int = SEED) -> dict[str, int]:
    """Create the demo programmes with their fictional records, in one transaction.

    Raises DemoError if a demo programme already exists. Returns counts of what was created."""
    if exists():
        raise DemoError("The demo programmes already exist.")
    with transaction.atomic():
        builder = _Builder(random.Random(seed))
        builder.organisations_and_staff()
        ict = builder.programme(ICT)
        sme2go = builder.programme(SME2GO)
        foursg = builder.programme(FOURSG)
        builder.fill_ict(ict)
        builder.fill_sme2go(sme2go)
        builder.fill_4smartgrowth(foursg)
        builder.eligibility(ict, transferred=builder.transfer(TRANSFER))
        builder.flush()
        builder.notes()
        builder.sme_user()
        counts = builder.counts()
        counts["programmes"] += 1  # the transferred one, which has no records yet
        by_acronym = {programme.acronym: programme for programme in (ict, sme2go, foursg)}
        for extension in _extensions():
            counts.update(extension.extend(by_acronym, builder.rng))
    return counts


# The apps that add their own demo records on top of the programmes, in the order they run.
EXTENSIONS = [
    "scouting",
    "readiness",
    "markets",
    "matchmaking",
    "consortia",
    "events",
    "activities",  # before stateaid: its new deliveries get their aid records there
    "reporting",
    "stateaid",
    "testbeds",
    "guides",
    "services",
]


def _extensions():
    return [importlib.import_module(f"metacluster.{app}.demo") for app in EXTENSIONS]


# --- The generator ------------------------------------------------------------------------------


@dataclass
class _Engaged:
    """A company engaged in a programme, with the date it reached each stage."""

    company: Company
    partner: Organisation
    stage: str
    reached: dict[str, date] = field(default_factory=dict)

    @property
    def since(self) -> date:
        """When the partner started working with it: contacted, else identified."""
        return self.reached.get(Stage.CONTACTED) or self.reached[Stage.IDENTIFIED]


def _split(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Share `total` between keys in proportion to `weights`; the last key takes the rest."""
    keys = list(weights)
    whole = sum(weights.values())
    shares = {key: total * weights[key] // whole for key in keys[:-1]}
    shares[keys[-1]] = total - sum(shares.values())
    return shares


class _Builder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.orgs: dict[str, Organisation] = {}
        self.staff: dict[int, User] = {}  # organisation pk -> its demo staff user
        self.password = make_password(DEMO_PASSWORD)  # hashing is slow: once for all users
        self.serial = 0
        self.names: set[str] = set()
        self.contacts: dict[int, list[Contact]] = {}
        self.services: dict[int, list[Service]] = {}  # programme pk -> catalogue
        self.engaged: dict[str, list[_Engaged]] = {}  # programme acronym -> engagements
        self.sectors: dict[int, str] = {}  # company pk -> its (invented) sector
        self.first_sales: set[tuple[int, str]] = set()  # (company pk, market)
        self.deliveries: list[Delivery] = []
        self.deals: list[Deal] = []
        self.created = {"users": 0, "companies": 0, "consortia": 0, "notes": 0}

    # -- small helpers

    def at(self, day: date, country: str) -> datetime:
        """A time during office hours, so the date is the same in every European time zone."""
        clock = time(9 + self.rng.randint(0, 6), self.rng.choice((0, 15, 30, 45)))
        return datetime.combine(day, clock, tzinfo=ZoneInfo(TIME_ZONES[country]))

    def day_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def batch(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def money(self, low: int, high: int) -> Decimal:
        return Decimal(self.rng.randrange(low, high, 500))

    def invented(self) -> str:
        rng = self.rng
        return rng.choice(NAME_STARTS) + rng.choice(NAME_MIDDLES) + rng.choice(NAME_ENDS)

    def counterpart(self, market: str) -> str:
        words = (self.invented(), self.rng.choice(BUYER_WORDS), BUYER_FORMS[market], FICTIONAL)
        return " ".join(words)

    # -- organisations, people, programmes

    def organisations_and_staff(self) -> None:
        leads = {p.org for spec in PROGRAMMES for p in spec.partners if p.role == PartnerRole.LEAD}
        for key, spec in ORGANISATIONS.items():
            self.orgs[key], _ = Organisation.objects.get_or_create(
                name=spec.name,
                defaults={
                    "short_name": spec.short_name,
                    "kind": spec.kind,
                    "country": spec.country,
                },
            )
        for key, spec in ORGANISATIONS.items():
            role = Role.MANAGER if key in leads else Role.ADVISOR
            first, last = spec.username.split(".")
            self.staff[self.orgs[key].pk] = self.user(
                spec.username,
                role=role,
                organisation=self.orgs[key],
                time_zone=TIME_ZONES[spec.country],
                first_name=first.capitalize(),
                last_name=f"Demo ({spec.short_name})",
            )
        self.user("admin", is_superuser=True, is_staff=True, first_name="Admin", last_name="Demo")
        self.user("viewer", role=Role.VIEWER, organisation=self.orgs["sisp"], first_name="Viewer")

    def user(self, username: str, **fields) -> User:
        """The demo user, created unless a user of that name exists (then left as it is)."""
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                email=f"{username}@{EMAIL_DOMAIN}",
                password=self.password,
                **fields,
            )
            user.full_clean(exclude=["password"])
            user.save()
            self.created["users"] += 1
        return user

    def programme(self, spec: ProgrammeSpec) -> Programme:
        programme = Programme(
            name=spec.name,
            acronym=spec.acronym,
            funding_programme=spec.funding_programme,
            priority=spec.priority,
            start_date=spec.start,
            end_date=spec.end,
            total_budget=spec.total_budget,
            funder_contribution=spec.funder_contribution,
            private_contribution=spec.private_contribution,
            description=spec.description,
        )
        programme.full_clean()
        programme.save()
        Partnership.objects.bulk_create(
            Partnership(
                programme=programme,
                organisation=self.orgs[p.org],
                role=p.role,
                budget=p.budget,
                co_financing_rate=p.rate,
            )
            for p in spec.partners
        )
        TargetMarket.objects.bulk_create(
            TargetMarket(programme=programme, country=country) for country in spec.markets
        )
        for item in spec.indicators:
            parse_definition(item.definition)  # refuse a definition kpis cannot compute
        Indicator.objects.bulk_create(
            Indicator(
                programme=programme,
                code=item.code,
                name=item.name,
                unit=item.unit,
                target=item.target,
                definition=item.definition,
                position=position,
            )
            for position, item in enumerate(spec.indicators)
        )
        services = [
            Service(
                programme=programme,
                provider=self.orgs[org],
                kind=kind,
                name=name,
                unit=unit,
                value_per_unit=Decimal(value),
                description=f"{ServiceKind(kind).label} offered by {ORGANISATIONS[org].name}.",
            )
            for org, catalogue in CATALOGUES[spec.acronym].items()
            for kind, name, unit, value in catalogue
        ]
        self.services[programme.pk] = Service.objects.bulk_create(services)
        for service in self.services[programme.pk]:
            service.programme = programme  # so Delivery.clean needs no query for it
        self.engaged[programme.acronym] = []
        return programme

    def new_companies(self, counts: dict[str, int], founded_by: int) -> list[Company]:
        """Fictional SMEs, `counts` per country, with one or two contacts each."""
        rng = self.rng
        companies, sectors = [], []
        for country, count in counts.items():
            for _ in range(count):
                sector = rng.choice(list(SECTORS))
                name = ""
                while not name or name in self.names:
                    name = f"{self.invented()} {sector} {LEGAL_FORMS[country]} {FICTIONAL}"
                self.names.add(name)
                sectors.append(sector)
                self.serial += 1
                employees = rng.choice((3, 5, 8, 12, 18, 25, 40, 60, 90, 140, 220))
                companies.append(
                    Company(
                        name=name,
                        kind=CompanyKind.SME,
                        country=country,
                        town=rng.choice(TOWNS[country]),
                        registry_code=f"{REGISTRY_PREFIX}{self.serial:04d}",
                        nace_codes=SECTORS[sector],
                        employees=employees,
                        turnover=Decimal(employees * rng.randrange(60_000, 160_000, 1000)),
                        founded_year=rng.randint(1988, founded_by),
                        website=f"https://{slugify(name.split(' ')[0])}.example",
                        description=f"Fictional {sector.lower()} company made up for the demo.",
                    )
                )
        companies = Company.objects.bulk_create(companies)
        self.created["companies"] += len(companies)
        for company, sector in zip(companies, sectors, strict=True):
            self.sectors[company.pk] = sector
        contacts = []
        for company in companies:
            domain = f"{slugify(company.name.split(' ')[0])}.example"
            for _ in range(rng.choice((1, 1, 2))):
                first = rng.choice(FIRST_NAMES[company.country])
                last = rng.choice(SURNAMES[company.country])
                basis = rng.choice(
                    (LawfulBasis.LEGITIMATE_INTEREST,) * 3
                    + (LawfulBasis.CONSENT,) * 2
                    + (LawfulBasis.CONTRACT,)
                )
                consent = (
                    self.at(date(founded_by, 1, 1) + timedelta(rng.randint(0, 300)), "SE")
                    if basis == LawfulBasis.CONSENT
                    else None
                )
                contacts.append(
                    Contact(
                        company=company,
                        name=f"{first} {last}",
                        job_title=rng.choice(JOB_TITLES),
                        email=f"{slugify(first)}.{slugify(last)}@{domain}",
                        phone=f"+000 {rng.randint(1000000, 9999999)}",  # not a real number
                        lawful_basis=basis,
                        consent_given_at=consent,
                    )
                )
        for contact in Contact.objects.bulk_create(contacts):
            self.contacts.setdefault(contact.company_id, []).append(contact)
        return companies

    # -- engagements, deliveries, deals

    def engage(
        self,
        programme: Programme,
        company: Company,
        partner: Organisation,
        stage: str,
        *,
        setback: bool = False,
    ) -> _Engaged:
        """Engage the company and move it stage by stage to `stage`, on dates spread over the
        programme period; with `setback`, it reaches 'supported' once and falls back."""
        steps = list(Stage.values)[: Stage.rank(stage) + 1]
        if setback:
            steps += [Stage.SUPPORTED, stage]
        span = (programme.end_date - programme.start_date).days
        first = self.rng.randint(0, span * 55 // 100)
        # The partner moves it on within months, never after the programme ends.
        last = min(span - 7, first + 7 + self.rng.randint(120, 720))
        later = sorted(self.rng.sample(range(first + 7, last), len(steps) - 1))
        days = [programme.start_date + timedelta(days=d) for d in (first, *later)]
        by = self.staff[partner.pk]
        engagement = engage(
            company, programme, partner, by=by, at=self.at(days[0], partner.country)
        )
        reached = {steps[0]: days[0]}
        for step, day in zip(steps[1:], days[1:], strict=True):
            note = ""
            if step in reached:
                note = "Support paused: the company is reorganising."
            elif step == Stage.SUPPORTED:
                note = "Support plan agreed."
            engagement.move_to(step, by=by, at=self.at(day, partner.country), note=note)
            reached.setdefault(step, day)
        engaged = _Engaged(company, partner, stage, reached)
        self.engaged[programme.acronym].append(engaged)
        return engaged

    def engage_all(
        self,
        programme,
        pairs: list[tuple[Company, Organisation]],
        stages: dict[str, int],
        setbacks: int = 0,
    ) -> dict[str, list[_Engaged]]:
        """Engage the (company, partner) pairs in random order, `stages[s]` of them ending at
        stage s; the first `setbacks` of those ending at 'assessed' were supported once."""
        assert len(pairs) == sum(stages.values()), (len(pairs), stages)
        pairs = list(pairs)
        self.rng.shuffle(pairs)
        result: dict[str, list[_Engaged]] = {}
        position = 0
        for stage, count in stages.items():
            result[stage] = []
            for index in range(count):
                company, partner = pairs[position]
                position += 1
                setback = stage == Stage.ASSESSED and index < setbacks
                result[stage].append(
                    self.engage(programme, company, partner, stage, setback=setback)
                )
        return result

    def deliver(
        self,
        programme: Programme,
        engaged: _Engaged,
        service: Service,
        on: date | None = None,
        batch: uuid.UUID | None = None,
    ) -> None:
        on = on or self.day_between(engaged.since, programme.end_date)
        contacts = self.contacts.get(engaged.company.pk) or [None]
        delivery = Delivery(
            service=service,
            company=engaged.company,
            contact=contacts[0],
            provider=service.provider,  # a partner delivers its own services
            advisor=self.staff[service.provider_id],
            created_by=self.staff[service.provider_id],
            date=on,
            quantity=Decimal(self.rng.choice(QUANTITIES[service.unit])),
            batch=batch,
            created_at=self.at(on, service.provider.country),
        )
        delivery.clean()
        self.deliveries.append(delivery)

    def deliver_some(
        self, programme: Programme, engaged: _Engaged, count: int, *, exclude=(), elsewhere=0.2
    ) -> None:
        """`count` deliveries, mostly from the responsible partner's own catalogue."""
        catalogue = [s for s in self.services[programme.pk] if s.kind not in exclude]
        own = [s for s in catalogue if s.provider_id == engaged.partner.pk]
        for _ in range(count):
            pool = catalogue if self.rng.random() < elsewhere else own
            self.deliver(programme, engaged, self.rng.choice(pool))

    def attend(self, programme: Programme, kind: str, companies: list[_Engaged]) -> None:
        """Deliver one event-like service (an export mission) to each company: every service of
        that kind runs on three dates, and a company joins one on or after it was contacted."""
        services = [s for s in self.services[programme.pk] if s.kind == kind]
        events = []
        for service in services:
            for _ in range(3):
                on = self.day_between(
                    programme.start_date + timedelta(days=120), programme.end_date
                )
                events.append((on, service, self.batch()))
        events.sort(key=lambda event: (event[0], event[1].name))
        for engaged in companies:
            later = [event for event in events if event[0] >= engaged.since] or events[-1:]
            on, service, batch = self.rng.choice(later)
            self.deliver(programme, engaged, service, on, batch)

    def deal(
        self,
        programme: Programme,
        engaged: _Engaged,
        market: str,
        stage: str,
        *,
        agreement_type: str = "",
        first_sale: bool = False,
        closed_on: date | None = None,
    ) -> Deal:
        if first_sale:
            key = (engaged.company.pk, market)
            assert key not in self.first_sales, key
            self.first_sales.add(key)
        # Every date lies inside the programme period, from when the partner took it on.
        if closed_on is not None:
            opened_on = self.day_between(engaged.since, closed_on - timedelta(days=21))
        else:
            opened_on = self.day_between(engaged.since, programme.end_date - timedelta(days=60))
            if stage in (DealStage.WON, DealStage.LOST):
                earliest = min(opened_on + timedelta(days=30), programme.end_date)
                closed_on = self.day_between(earliest, programme.end_date)
        sector = self.sectors[engaged.company.pk]
        deal = Deal(
            programme=programme,
            company=engaged.company,
            partner=engaged.partner,
            market=market,
            counterpart=self.counterpart(market),
            title=f"{sector} for {market}",
            stage=stage,
            agreement_type=agreement_type,
            value=self.money(15_000, 400_000) if stage != DealStage.LEAD else None,
            opened_on=opened_on,
            closed_on=closed_on,
            first_sale=first_sale,
        )
        deal.clean()
        self.deals.append(deal)
        return deal

    def open_deals(self, programme, engaged: list[_Engaged], markets, count: int) -> None:
        """Early deals at lead or meeting stage, and some lost ones."""
        for index in range(count):
            stage = (DealStage.LEAD, DealStage.MEETING, DealStage.LOST)[index % 3]
            self.deal(programme, self.rng.choice(engaged), self.rng.choice(markets), stage)

    # -- the three programmes

    def pairs(
        self, companies: list[Company], partners: dict[str, int]
    ) -> list[tuple[Company, Organisation]]:
        """Give each company a responsible partner from its own country, `partners[key]` each."""
        by_country: dict[str, list[Company]] = {}
        for company in companies:
            by_country.setdefault(company.country, []).append(company)
        result = []
        for key, count in partners.items():
            pool = by_country[ORGANISATIONS[key].country]
            self.rng.shuffle(pool)
            result += [(pool.pop(), self.orgs[key]) for _ in range(count)]
        assert not any(by_country.values()), "every company has a partner"
        return result

    def fill_ict(self, programme: Programme) -> None:
        reported = REPORTED[programme.acronym]
        identified = reported["SME-IDENTIFIED"]
        partners = _split(identified, {"fov": 50, "acreo": 25, "lvit": 45, "ictee": 46})
        per_country = {"SE": partners["fov"] + partners["acreo"]}
        per_country |= {"LV": partners["lvit"], "EE": partners["ictee"]}
        companies = self.new_companies(per_country, founded_by=2014)

        # The 14 first sales outside the EU/EFTA are made by 13 companies (one sells in two
        # markets); two more companies make their first sale inside the EU/EFTA, which the
        # indicator must not count.
        first_sales = reported["FIRST-SALES"]
        sellers = first_sales - 1
        supported = reported["SME-SUPPORTED"]
        delivered = reported["SME-NONFIN"]
        exporting = 10
        below = delivered - supported  # contacted or assessed, and given a service
        stages = {
            Stage.FIRST_SALE: sellers + 2,
            Stage.EXPORTING: exporting,
            Stage.SUPPORTED: supported - sellers - 2 - exporting,
            Stage.ASSESSED: below // 2,
            Stage.CONTACTED: below - below // 2,
            Stage.IDENTIFIED: identified - delivered,
        }
        engaged = self.engage_all(programme, self.pairs(companies, partners), stages, setbacks=3)

        at_or_past_supported = (
            engaged[Stage.FIRST_SALE] + engaged[Stage.EXPORTING] + engaged[Stage.SUPPORTED]
        )
        for item in at_or_past_supported:
            self.deliver_some(programme, item, self.rng.randint(2, 5), exclude=["export_mission"])
        for item in engaged[Stage.ASSESSED] + engaged[Stage.CONTACTED]:
            self.deliver_some(programme, item, self.rng.randint(1, 2), exclude=["export_mission"])
        self.attend(
            programme, ServiceKind.EXPORT_MISSION, self.rng.sample(at_or_past_supported, 24)
        )

        markets = list(ICT.markets)
        sellers_list = engaged[Stage.FIRST_SALE]
        for index, item in enumerate(sellers_list[:sellers]):
            sale_markets = self.rng.sample(markets, 2 if index == 0 else 1)
            for market in sale_markets:
                closed_on = item.reached[Stage.FIRST_SALE]
                self.deal(
                    programme,
                    item,
                    market,
                    DealStage.WON,
                    agreement_type=AgreementType.SALE,
                    first_sale=True,
                    closed_on=closed_on,
                )
        for item, market in zip(sellers_list[sellers:], ("NO", "DE"), strict=True):
            self.deal(
                programme,
                item,
                market,
                DealStage.WON,
                agreement_type=AgreementType.SALE,
                first_sale=True,
                closed_on=item.reached[Stage.FIRST_SALE],
            )
        for item in engaged[Stage.EXPORTING][:3]:  # repeat sales where they already export
            self.deal(
                programme,
                item,
                self.rng.choice(markets),
                DealStage.WON,
                agreement_type=AgreementType.SALE,
            )
        for item, market in zip(engaged[Stage.EXPORTING][3:5], ("US", "JP"), strict=True):
            self.deal(
                programme,
                item,
                market,
                DealStage.AGREEMENT,
                agreement_type=AgreementType.REPRESENTATION,
            )
        for item in self.rng.sample(engaged[Stage.SUPPORTED], 5):
            self.deal(programme, item, self.rng.choice(markets), DealStage.PILOT)
        self.open_deals(programme, at_or_past_supported + engaged[Stage.ASSESSED], markets, 24)

    def fill_sme2go(self, programme: Programme) -> None:
        reported = REPORTED[programme.acronym]
        supported = reported["SME-SUPPORTED"]
        total = supported + 33
        partners = _split(
            total, {"sisp": 40, "tehnopol": 45, "turku": 40, "vasteras": 36, "posintra": 35}
        )
        # Some companies of ICT Meta Cluster (Swedish and Estonian, already in contact with a
        # partner) took part in SME2GO as well.
        ict_engaged = [e for e in self.engaged[ICT.acronym] if e.stage != Stage.IDENTIFIED]
        reused = {
            "SE": self.rng.sample(
                [e.company for e in ict_engaged if e.company.country == "SE"], 14
            ),
            "EE": self.rng.sample(
                [e.company for e in ict_engaged if e.company.country == "EE"], 10
            ),
        }
        need = {"SE": partners["sisp"] + partners["vasteras"], "EE": partners["tehnopol"]}
        need["FI"] = partners["turku"] + partners["posintra"]
        new = {country: need[country] - len(reused.get(country, [])) for country in need}
        companies = self.new_companies(new, founded_by=2014)
        companies += reused["SE"] + reused["EE"]
        stages = {
            Stage.FIRST_SALE: 9,
            Stage.EXPORTING: 24,
            Stage.SUPPORTED: supported - 33,
            Stage.ASSESSED: 14,
            Stage.CONTACTED: 11,
            Stage.IDENTIFIED: 8,
        }
        engaged = self.engage_all(programme, self.pairs(companies, partners), stages)
        at_or_past_supported = (
            engaged[Stage.FIRST_SALE] + engaged[Stage.EXPORTING] + engaged[Stage.SUPPORTED]
        )
        for item in at_or_past_supported:
            self.deliver_some(programme, item, self.rng.randint(2, 5))
        for item in engaged[Stage.ASSESSED]:
            self.deliver_some(programme, item, self.rng.randint(1, 2))

        markets = ["US", "CN", "JP", "DE", "NO", "CA", "IN", "SG", "KR", "AU"]
        for item in engaged[Stage.FIRST_SALE]:
            taken = {m for (pk, m) in self.first_sales if pk == item.company.pk}
            market = self.rng.choice([m for m in markets if m not in taken])
            self.deal(
                programme,
                item,
                market,
                DealStage.WON,
                agreement_type=AgreementType.SALE,
                first_sale=True,
                closed_on=item.reached[Stage.FIRST_SALE],
            )
        self.open_deals(programme, engaged[Stage.EXPORTING] + engaged[Stage.SUPPORTED], markets, 18)
        self.consortia(programme, at_or_past_supported)

    def consortia(self, programme: Programme, candidates: list[_Engaged]) -> None:
        """Consortia of supported companies; each spans at least two countries. The distinct
        members number CONSORTIUM-MEMBERS; a few companies belong to two consortia."""
        reported = REPORTED[programme.acronym]
        count, distinct = reported["CONSORTIA"], reported["CONSORTIUM-MEMBERS"]
        # Deal the members, sorted by country, round the consortia like cards: each consortium
        # gets members from far apart in the sorted list, so from different countries.
        members = sorted(
            (item.company for item in self.rng.sample(candidates, distinct)),
            key=lambda company: (company.country, company.name),
        )
        groups = [members[index::count] for index in range(count)]
        for index in range(3):  # three companies join a second consortium
            groups[(index + 4) % count].append(groups[index][0])
        if any(len({company.country for company in group}) < 2 for group in groups):
            raise DemoError("Could not form consortia spanning two countries.")
        themes = (
            ("Smart water for municipalities", "US"),
            ("Cold-chain monitoring", "CN"),
            ("Elderly care technology", "JP"),
            ("Industrial IoT retrofit", "DE"),
            ("Clean energy for islands", "CA"),
            ("Digital learning", "IN"),
            ("Urban mobility data", "SG"),
            ("Food traceability", "KR"),
            ("Mining safety sensors", "AU"),
            ("Fintech for SMEs", "US"),
        )
        coordinators = [p.org for p in SME2GO.partners]
        for index, members in enumerate(groups):
            theme, market = themes[index % len(themes)]
            consortium = Consortium.objects.create(
                programme=programme,
                name=f"{theme} consortium {FICTIONAL}",
                market=market,
                coordinator=self.orgs[coordinators[index % len(coordinators)]],
                formed_on=self.day_between(date(2016, 6, 1), date(2018, 6, 30)),
            )
            consortium.members.set(members)
            self.created["consortia"] += 1

    def fill_4smartgrowth(self, programme: Programme) -> None:
        reported = REPORTED[programme.acronym]
        partners = {"sisp": 22, "tehnopol": 20, "tredea": 20, "turku": 19, "vasteras": 19}
        # Alumni: supported SME2GO companies and a few ICT Meta Cluster companies came back.
        sme2go = [
            e
            for e in self.engaged[SME2GO.acronym]
            if Stage.rank(e.stage) >= Stage.rank(Stage.SUPPORTED)
        ]
        in_sme2go = {e.company.pk for e in self.engaged[SME2GO.acronym]}
        ict_only = [
            e
            for e in self.engaged[ICT.acronym]
            if e.company.pk not in in_sme2go
            and e.company.country in ("SE", "EE")
            and e.stage != Stage.IDENTIFIED
        ]
        reused = [e.company for e in self.rng.sample(sme2go, 22)]
        reused += [e.company for e in self.rng.sample(ict_only, 4)]
        need = {"SE": partners["sisp"] + partners["vasteras"], "EE": partners["tehnopol"]}
        need["FI"] = partners["tredea"] + partners["turku"]
        new = {c: need[c] - sum(1 for r in reused if r.country == c) for c in need}
        companies = self.new_companies(new, founded_by=2018) + reused
        stages = {
            Stage.FIRST_SALE: 2,
            Stage.EXPORTING: 12,
            Stage.SUPPORTED: 38,
            Stage.ASSESSED: 20,
            Stage.CONTACTED: 16,
            Stage.IDENTIFIED: 12,
        }
        engaged = self.engage_all(programme, self.pairs(companies, partners), stages)
        active = (
            engaged[Stage.FIRST_SALE]
            + engaged[Stage.EXPORTING]
            + engaged[Stage.SUPPORTED]
            + engaged[Stage.ASSESSED]
        )
        reserved = (ServiceKind.MATCHMAKING, ServiceKind.EXPORT_MISSION)
        for item in active:
            self.deliver_some(
                programme, item, self.rng.randint(1, 3), exclude=reserved, elsewhere=0
            )
        matchmaking = [s for s in self.services[programme.pk] if s.kind == ServiceKind.MATCHMAKING]
        for item in self.rng.sample(active, reported["MATCHMAKING-SMES"]):
            for _ in range(self.rng.choice((1, 1, 2))):
                self.deliver(programme, item, self.rng.choice(matchmaking))
        self.attend(
            programme,
            ServiceKind.EXPORT_MISSION,
            self.rng.sample(active, reported["EXPORT-MISSION-SMES"]),
        )

        # Sales agreements: one in Chile and two in China; the two won ones are first sales.
        sellers = engaged[Stage.FIRST_SALE]
        if any(
            (item.company.pk, market) in self.first_sales
            for item, market in zip(sellers, ("CL", "CN"), strict=True)
        ):  # a company has only one first sale per market
            sellers = sellers[::-1]
        exporters = engaged[Stage.EXPORTING]
        sales = [
            (sellers[0], "CL", DealStage.WON),
            (sellers[1], "CN", DealStage.WON),
            (exporters[0], "CN", DealStage.AGREEMENT),
        ]
        assert len(sales) == reported["SALES-AGREEMENTS"]
        for item, market, stage in sales:
            won = stage == DealStage.WON
            self.deal(
                programme,
                item,
                market,
                stage,
                agreement_type=AgreementType.SALE,
                first_sale=won,
                closed_on=item.reached[Stage.FIRST_SALE] if won else None,
            )
        representation = [(exporters[1], "VN", DealStage.AGREEMENT)]
        representation += [(exporters[2], "CN", DealStage.WON)]
        assert len(representation) == reported["REPRESENTATION-AGREEMENTS"]
        for item, market, stage in representation:
            self.deal(programme, item, market, stage, agreement_type=AgreementType.REPRESENTATION)
        # A lost sale does not count as an agreement.
        self.deal(programme, exporters[3], "VN", DealStage.LOST, agreement_type=AgreementType.SALE)
        # Pilots under discussion: some companies pilot in two markets.
        pilots = reported["PILOTS-OPEN"]
        piloting = self.rng.sample(engaged[Stage.EXPORTING] + engaged[Stage.SUPPORTED], 32)
        markets = list(FOURSG.markets)
        for index in range(pilots):
            item = piloting[index % len(piloting)]
            # A company's second pilot is in another market than its first.
            market = markets[(index + 2 * (index // len(piloting))) % len(markets)]
            self.deal(programme, item, market, DealStage.PILOT)
        self.open_deals(programme, active, list(FOURSG.markets), 15)

    def eligibility(self, ict: Programme, *, transferred: Programme) -> None:
        """ICT Meta Cluster's published rules (closed: it has ended); the transferred programme
        takes applications on its public page."""
        from metacluster.enrolment.models import Eligibility

        Eligibility.objects.create(
            programme=ict,
            countries=["SE", "EE", "LV"],
            requires_ict_component=True,
            requires_export_will=True,
        )
        Eligibility.objects.filter(programme=transferred).update(
            open_for_applications=True, countries=["FI", "EE", "SE"]
        )

    def transfer(self, spec: TransferSpec) -> Programme:
        from .setup_file import create_from_setup, templates

        path = next(path for slug, _title, path in templates() if slug == spec.template)
        setup = json.loads(path.read_text(encoding="utf-8"))
        setup["description"] = (
            "A fictional programme of real organisations, started from the template "
            f"“{setup['title']}” to show how a programme is transferred to another sector: "
            "health technology. It has the template's set-up and no records yet."
        )
        return create_from_setup(
            setup,
            name=spec.name,
            acronym=spec.acronym,
            start=spec.start,
            end=spec.end,
            partners=[ORGANISATIONS[key].name for key in spec.partners],
            scale=spec.scale,
        )

    # -- finishing

    def flush(self) -> None:
        Delivery.objects.bulk_create(self.deliveries, batch_size=500)
        Deal.objects.bulk_create(self.deals, batch_size=500)

    def notes(self) -> None:
        """A few notes per organisation on companies it is responsible for, half shared."""
        notes = []
        for org in self.orgs.values():
            mine = [e.company for items in self.engaged.values() for e in items if e.partner == org]
            for index, company in enumerate(self.rng.sample(mine, 4)):
                notes.append(
                    Note(
                        company=company,
                        organisation=org,
                        author=self.staff[org.pk],
                        text=self.rng.choice(NOTE_TEXTS),
                        private=index % 2 == 0,
                    )
                )
        self.created["notes"] = len(Note.objects.bulk_create(notes))

    def sme_user(self) -> None:
        """The SME user represents a Swedish company that took part in two programmes."""
        engaged_in = {}
        for items in self.engaged.values():
            for item in items:
                engaged_in.setdefault(item.company.pk, []).append(item)
        twice = sorted(
            (items[0].company for items in engaged_in.values() if len(items) > 1),
            key=lambda company: company.name,
        )
        company = next(c for c in twice if c.country == "SE")
        self.user("sme", role=Role.SME, company=company, time_zone="Europe/Stockholm")

    def counts(self) -> dict[str, int]:
        return {
            "programmes": len(self.engaged),
            "companies": self.created["companies"],
            "engagements": sum(len(items) for items in self.engaged.values()),
            "deliveries": len(self.deliveries),
            "deals": len(self.deals),
            "consortia": self.created["consortia"],
            "notes": self.created["notes"],
            "users": self.created["users"],
        }
