"""What the demo invents, and the marks by which its records are recognised: service
catalogues, quantities, names of companies, people and buyers, and notes. The builder draws from
these with a fixed seed, so that every load is the same.
"""

from __future__ import annotations

from metacluster.services.choices import ServiceKind, Unit

SEED = 2026
DEMO_PASSWORD = "demo2026!"
FICTIONAL = "(fictional)"
# Demo records are recognised by these marks, so that --reset never deletes real data.
REGISTRY_PREFIX = "DEMO-"
EMAIL_DOMAIN = "demo.metacluster.example"

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
