"""Demo records of matchmaking, added to the demo programmes by `metacluster load-demo`.

A capability taxonomy per programme, one offer per engaged SME (written from the sector in its
fictional name), opportunities from the programmes' target markets (buyers in China, Vietnam
and Chile for 4SmartGrowth, smart-city projects for SME2GO, buyer requests in the ICT Meta
Cluster's markets), and a few expressions of interest, each a lead in the deals pipeline.
Buyers, cities' projects and budgets are invented; deadlines are set from today so that the
opportunities are open whenever the demo is loaded (one is left expired on purpose).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from metacluster.companies.choices import CompanyKind
from metacluster.companies.models import Engagement

from .models import Capability, Offer, Opportunity
from .workflows import express_interest

TAXONOMY = {
    "smart-mobility": ("Smart mobility", "Traffic, parking, public transport, charging"),
    "e-government": ("E-government", "Digital public services, e-identity, open data"),
    "water": ("Water", "Water supply, leak detection, waste water"),
    "energy": ("Energy", "Smart grids, storage, lighting, efficiency"),
    "health": ("Health", "E-health, telemedicine, medical devices"),
    "fintech": ("Fintech", "Payments, banking software, insurance technology"),
    "cybersecurity": ("Cybersecurity", "Security monitoring, testing, identity"),
    "iot": ("IoT and sensors", "Connected devices and sensor networks"),
    "ai-analytics": ("AI and analytics", "Machine learning, data platforms, digital twins"),
    "connectivity": ("Connectivity", "Fibre, 5G and networks"),
    "edtech": ("Education technology", "Learning platforms and tools"),
    "industry": ("Smart industry", "Robotics, automation, drones"),
}

# The sector word in a demo company's name → its offer.
SECTOR_OFFERS = {
    "Sensors": (
        "Wireless sensors for cities",
        "Low-power sensors for parking, air quality and water networks, with a cloud dashboard.",
        ["iot", "smart-mobility"],
    ),
    "Photonics": (
        "Optical sensing components",
        "Fibre-optic sensing and photonic components "
        "for networks and monitoring of infrastructure.",
        ["connectivity", "iot"],
    ),
    "Software": (
        "Custom software for public services",
        "Web and mobile applications, case management and citizen portals for municipalities.",
        ["e-government"],
    ),
    "Analytics": (
        "Data analytics platform",
        "Machine learning and dashboards that turn city and utility data into forecasts.",
        ["ai-analytics"],
    ),
    "Robotics": (
        "Industrial robot cells",
        "Robot cells and automation for factories.",
        ["industry"],
    ),
    "Fibre Networks": (
        "Fibre network design and rollout",
        "Planning and building fibre broadband networks for cities and operators.",
        ["connectivity"],
    ),
    "Cleantech": (
        "Energy efficiency consulting",
        "Energy audits, solar and heat-pump projects for buildings and municipalities.",
        ["energy"],
    ),
    "Medtech": (
        "Remote patient monitoring",
        "Connected medical devices and telemedicine for home care.",
        ["health", "iot"],
    ),
    "Games": ("Serious games for training", "Game-based learning and simulations.", ["edtech"]),
    "Cyber Security": (
        "Security operations and testing",
        "Security monitoring, penetration testing and incident response.",
        ["cybersecurity"],
    ),
    "IoT Systems": (
        "IoT platform for smart cities",
        "Connected street lighting, waste bins and parking sensors on one platform.",
        ["iot", "smart-mobility", "energy"],
    ),
    "Foodtech": ("Food traceability", "Tracing food through the cold chain.", ["iot"]),
    "Energy Systems": (
        "Smart grid and EV charging",
        "Charging stations, load balancing and battery storage for utilities.",
        ["energy", "smart-mobility"],
    ),
    "Logistics Software": (
        "Fleet and route planning",
        "Route optimisation and fleet tracking for transport and waste collection.",
        ["smart-mobility"],
    ),
    "Drones": (
        "Drone inspections",
        "Drone inspection of power lines, pipes and bridges.",
        ["industry", "energy"],
    ),
    "Edtech": (
        "Learning platform for schools",
        "An online learning platform for schools and teachers.",
        ["edtech"],
    ),
    "Fintech": (
        "Payments and e-invoicing",
        "Mobile payments, open banking and e-invoicing.",
        ["fintech"],
    ),
    "Health Data": (
        "Health data platform",
        "Electronic health records and secure health data exchange.",
        ["health", "e-government"],
    ),
    "Smart Water": (
        "Smart water metering",
        "Smart water meters with remote reading and leak detection for water utilities.",
        ["water", "iot"],
    ),
    "Materials": ("Advanced materials", "Coatings and composites for industry.", ["industry"]),
}

# (title, description, country, city, buyer, kind, capabilities, nace, cpv, budget,
#  days to deadline, language)
OPPORTUNITIES = {
    "4smartgrowth": [
        (
            "Smart parking for Da Nang city centre",
            "The city seeks parking sensors and a guidance "
            "app showing free spaces in real time, as a pilot in 2,000 spaces.",
            "VN",
            "Da Nang",
            "Da Nang Department of Transport (fictional)",
            "tender",
            ["smart-mobility", "iot"],
            ["26.51"],
            ["34996000-9"],
            450_000,
            60,
            "en",
        ),
        (
            "Leak detection for a water utility in Chengdu",
            "A water utility seeks smart water "
            "meters with remote reading and leak detection to cut non-revenue water.",
            "CN",
            "Chengdu",
            "Chengdu district water company (fictional)",
            "buyer_request",
            ["water", "iot"],
            ["36.00"],
            [],
            300_000,
            45,
            "en",
        ),
        (
            "Distributor seeks e-invoicing and payment software",
            "A Santiago distributor wants to "
            "represent payment and e-invoicing products for Chilean SMEs.",
            "CL",
            "Santiago",
            "Andes Software Distribución (fictional)",
            "distribution",
            ["fintech"],
            ["62.01"],
            [],
            None,
            90,
            "en",
        ),
        (
            "Smart street lighting pilot in Hanoi",
            "Connected LED street lighting with remote "
            "dimming to cut energy use in a new urban area.",
            "VN",
            "Hanoi",
            "Hanoi urban lighting company (fictional)",
            "tender",
            ["energy", "iot"],
            ["27.40"],
            ["34993000-4"],
            250_000,
            30,
            "en",
        ),
        (
            "EV charging for residential areas in Shenzhen",
            "A developer seeks charging stations "
            "with load balancing and payment for apartment buildings.",
            "CN",
            "Shenzhen",
            "Pearl River Estates (fictional)",
            "buyer_request",
            ["energy", "smart-mobility"],
            ["27.90"],
            [],
            180_000,
            75,
            "en",
        ),
        (
            "Traffic data platform for Valparaíso",
            "The municipality wants analytics on traffic counts to plan bus lanes.",
            "CL",
            "Valparaíso",
            "Municipalidad (fictional)",
            "tender",
            ["ai-analytics", "smart-mobility"],
            ["62.01"],
            ["72212000-4"],
            120_000,
            -10,
            "en",
        ),
    ],
    "sme2go": [
        (
            "Digital permits portal for a municipality",
            "A Finnish municipality wants citizens to "
            "apply for permits online, with e-identity and case handling.",
            "FI",
            "Turku",
            "City of Turku permits project (fictional)",
            "tender",
            ["e-government"],
            ["62.01"],
            ["72212000-4"],
            200_000,
            40,
            "en",
        ),
        (
            "Smarta gatlampor för kommunen",
            "Kommunen upphandlar LED-belysning med fjärrstyrd "
            "dimring och sensorer för att minska energianvändningen.",
            "SE",
            "Västerås",
            "Västerås street lighting project (fictional)",
            "tender",
            ["energy", "iot"],
            ["27.40"],
            [],
            150_000,
            50,
            "sv",
        ),
        (
            "Partner search: smart-city consortium for Portugal",
            "A consortium seeks partners for IoT sensors and data analytics in a smart-city bid.",
            "PT",
            "Porto",
            "Porto smart-city consortium (fictional)",
            "partner_search",
            ["iot", "ai-analytics"],
            ["62.01"],
            [],
            None,
            70,
            "en",
        ),
        (
            "Kyberturvallisuuden valvonta vesilaitokselle",
            "Vesilaitos etsii kyberturvallisuuden "
            "valvontaa ja tunkeutumisen havaitsemista automaatiojärjestelmiin.",
            "FI",
            "Tampere",
            "Vesilaitos (fictional)",
            "buyer_request",
            ["cybersecurity", "water"],
            ["62.02"],
            [],
            90_000,
            35,
            "fi",
        ),
    ],
    "ict-meta-cluster": [
        (
            "Remote monitoring for elderly care in São Paulo",
            "A care provider seeks telemedicine and connected devices for patients at home.",
            "BR",
            "São Paulo",
            "Vida Care (fictional)",
            "buyer_request",
            ["health", "iot"],
            ["86.90"],
            [],
            220_000,
            55,
            "en",
        ),
        (
            "Security operations centre for a bank in Cape Town",
            "A regional bank seeks 24/7 security monitoring and penetration testing.",
            "ZA",
            "Cape Town",
            "Cape Regional Bank (fictional)",
            "buyer_request",
            ["cybersecurity"],
            ["62.02"],
            [],
            160_000,
            65,
            "en",
        ),
        (
            "Fibre rollout partner in Ontario",
            "An operator looks for fibre network design partners for rural broadband.",
            "CA",
            "Toronto",
            "Northern Fibre Co (fictional)",
            "partner_search",
            ["connectivity"],
            ["61.10"],
            [],
            None,
            80,
            "en",
        ),
        (
            "Smart city data platform for Pune",
            "The city seeks a data platform for sensors and analytics across services.",
            "IN",
            "Pune",
            "Pune smart-city project (fictional)",
            "tender",
            ["ai-analytics", "iot"],
            ["62.01"],
            ["72212000-4"],
            300_000,
            45,
            "en",
        ),
    ],
}


def extend(programmes: dict, rng) -> dict[str, int]:
    """Add this app's demo records to the demo programmes (keyed by acronym); return counts."""
    today = timezone.localdate()
    counts = {"capabilities": 0, "offers": 0, "opportunities": 0, "interests": 0}
    for acronym, programme in programmes.items():
        capabilities = {
            code: Capability(programme=programme, code=code, name=name, description=text)
            for code, (name, text) in TAXONOMY.items()
        }
        Capability.objects.bulk_create(capabilities.values())
        counts["capabilities"] += len(capabilities)
        engagements = list(
            Engagement.objects.filter(programme=programme, company__kind=CompanyKind.SME)
            .select_related("company", "partner")
            .order_by("company__name")
        )
        offers, links, handled_by = [], [], []
        for engagement in engagements:
            sector = next((s for s in SECTOR_OFFERS if f" {s} " in engagement.company.name), None)
            if sector is None:
                continue
            title, text, codes = SECTOR_OFFERS[sector]
            offers.append(
                Offer(
                    programme=programme,
                    company=engagement.company,
                    title=title,
                    description=text,
                    tags=[sector.lower()],
                )
            )
            links.append(codes)
            handled_by.append(engagement.partner_id)
        offers = Offer.objects.bulk_create(offers)
        through = Offer.capabilities.through
        through.objects.bulk_create(
            through(offer_id=offer.pk, capability_id=capabilities[code].pk)
            for offer, codes in zip(offers, links, strict=True)
            for code in codes
        )
        counts["offers"] += len(offers)
        partners = list(programme.partner_organisations().order_by("name"))
        for n, spec in enumerate(OPPORTUNITIES.get(acronym, [])):
            (title, text, country, city, buyer, kind, codes, nace, cpv, budget, days, language) = (
                spec
            )
            opportunity = Opportunity.objects.create(
                programme=programme,
                partner=partners[n % len(partners)],
                kind=kind,
                title=title,
                description=text,
                country=country,
                city=city,
                buyer=buyer,
                nace_codes=nace,
                cpv_codes=cpv,
                budget=budget,
                deadline=today + timedelta(days=days),
                language=language,
                # The last opportunity of each programme is for its publisher's SMEs only.
                visibility="partner" if n == len(OPPORTUNITIES[acronym]) - 1 else "programme",
                max_employees=249 if kind == "tender" else None,
            )
            opportunity.capabilities.set([capabilities[c] for c in codes])
            counts["opportunities"] += 1
            if days < 0:
                continue
            # A couple of companies whose offer covers what is asked express interest.
            wanted = set(codes)
            fitting = [
                offer.company
                for offer, offer_codes, partner in zip(offers, links, handled_by, strict=True)
                if wanted <= set(offer_codes)
                and (opportunity.visibility == "programme" or partner == opportunity.partner_id)
            ]
            # Dated inside the programme's period, as every demo deal is (the programmes are
            # historical; their opportunities are kept open so that matching can be shown).
            on = programme.end_date - timedelta(days=rng.randint(5, 60))
            for company in rng.sample(fitting, min(2, len(fitting))):
                express_interest(
                    opportunity,
                    company,
                    message="We have delivered this in the Nordics and would like to talk.",
                    on=on,
                )
                counts["interests"] += 1
    return counts


def remove(programmes, companies) -> None:
    """Delete this app's records that would block deleting the demo programmes or companies."""
    Opportunity.objects.filter(programme__in=programmes).delete()
    Offer.objects.filter(company__in=companies).delete()
