"""Demo market guides, added to the demo programmes by `metacluster load-demo`.

The barriers are public facts about the demo programmes' target markets, each citing the law,
standard or official guide it comes from (EU Access2Markets and the US International Trade
Administration's Country Commercial Guides are the usual first stops). Some were confirmed
long ago, so the guides show stale entries; some experience reports wait for review.
Nothing here is a delivery, a deal or a stage change, so no reported figure moves."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from metacluster.accounts.choices import Role
from metacluster.accounts.models import User
from metacluster.services.models import Service

from .choices import BarrierKind, ReportStatus, SourceKind
from .models import Barrier, ExperienceReport

A2M = "https://trade.ec.europa.eu/access-to-markets/en/home"
CCG = "https://www.trade.gov/country-commercial-guides"
L, A, C, T = (
    BarrierKind.LEGAL,
    BarrierKind.ADMINISTRATIVE,
    BarrierKind.CULTURAL,
    BarrierKind.TECHNICAL,
)


@dataclass(frozen=True)
class B:
    market: str
    kind: str
    title: str
    description: str
    overcome: str
    source: str
    url: str = ""
    offering: str = ""
    age_days: int = 60  # how long ago it was last confirmed; > 365 shows as stale
    service_kind: str = ""  # the catalogue service that helps, if the programme has one
    source_kind: str = SourceKind.DOCUMENT
    language: str = "en"


CHINA = [
    B(
        "CN",
        L,
        "Personal data of users in China stays in China",
        "The Cybersecurity Law (2017) and the Personal Information Protection Law (PIPL, 2021) "
        "require operators of critical information infrastructure and large processors to store "
        "personal information collected in China within China; sending it abroad needs a CAC "
        "security assessment, the CAC standard contract or a certification.",
        "Host the Chinese deployment with a mainland cloud provider and keep user data there; "
        "where data must leave China (e.g. support from Europe), file the CAC standard contract "
        "and a personal-information impact assessment.",
        "Personal Information Protection Law of the PRC (2021), arts. 38–40; Cybersecurity Law "
        "(2017), art. 37",
        offering="ict-services",
        age_days=90,
        service_kind="counselling",
    ),
    B(
        "CN",
        T,
        "ICP filing needed to host a website in mainland China",
        "Websites hosted on servers in mainland China need an ICP filing (bei'an), and "
        "commercial internet services an ICP licence, obtained through the hosting provider; "
        "many Western services (Google Fonts, Maps, Analytics, reCAPTCHA) do not load reliably.",
        "Apply for the ICP filing through the Chinese cloud provider (allow 3–6 weeks) and "
        "replace blocked third-party scripts with services that work in China.",
        "Measures for the Administration of Internet Information Services (State Council "
        "Order 292)",
        offering="ict-services",
        age_days=420,
    ),
    B(
        "CN",
        L,
        "China Compulsory Certification (CCC) for listed products",
        "Products in the CCC catalogue (including many IT, audio-visual and electrical "
        "products) need CCC certification by a CNCA-designated body, with testing in China and "
        "a factory inspection, before import or sale.",
        "Check the product's HS code against the CCC catalogue early; budget 3–6 months and the "
        "cost of samples, tests and the factory audit; a certification consultant speeds it up.",
        "EU Access2Markets: China – product requirements (CCC)",
        A2M,
        offering="goods",
        age_days=200,
        service_kind="product_adaptation",
    ),
    B(
        "CN",
        A,
        "Foreign ownership of value-added telecom services is capped",
        "Under China's negative list for foreign investment, value-added telecommunication "
        "services (beyond e-commerce and a few others) allow at most 50 % foreign ownership, so "
        "a SaaS provider usually cannot hold the operating licence itself.",
        "Work through a licensed Chinese partner or reseller that holds the licence, or a joint "
        "venture; keep the IP licensed from the home company.",
        "Special Administrative Measures for Foreign Investment Access (Negative List)",
        offering="ict-services",
        age_days=500,
    ),
    B(
        "CN",
        C,
        "Relationships before contracts",
        "Buyers expect several meetings, often including a visit to the home company, before "
        "they commit; decisions are made by senior management rather than by the people at the "
        "first meeting.",
        "Plan for repeat visits over 12–18 months; bring Chinese-language material and cards; "
        "use the programme's mission and local partners to open doors at the right level.",
        "4SmartGrowth mission report, Shanghai",
        source_kind=SourceKind.MISSION_REPORT,
        age_days=300,
    ),
]

VIETNAM = [
    B(
        "VN",
        L,
        "Data localisation under Decree 53/2022",
        "Decree 53/2022/ND-CP, guiding the Cybersecurity Law (2018), requires foreign "
        "enterprises providing telecom or internet services in Vietnam to store listed user data "
        "in Vietnam and open a branch or representative office when the Ministry of Public "
        "Security asks, e.g. after failing to cooperate with it.",
        "Assess whether the service falls under the decree's listed activities; design the "
        "platform so Vietnamese user data can be stored locally on request.",
        "Decree 53/2022/ND-CP detailing the Law on Cybersecurity",
        offering="ict-services",
        age_days=150,
    ),
    B(
        "VN",
        L,
        "Impact-assessment dossier for personal data leaving Vietnam",
        "Decree 13/2023/ND-CP on personal data protection requires a transfer impact assessment "
        "dossier, filed with the Ministry of Public Security within 60 days of starting to "
        "transfer personal data of Vietnamese citizens abroad.",
        "Prepare the dossier with a local law firm before the pilot starts; reuse the GDPR "
        "records of processing as the basis.",
        "Decree 13/2023/ND-CP on Personal Data Protection, art. 25",
        age_days=120,
        service_kind="counselling",
    ),
    B(
        "VN",
        A,
        "Foreign contractor tax is withheld from payments",
        "Payments by Vietnamese customers to foreign service providers are subject to foreign "
        "contractor tax (VAT and corporate income tax), usually withheld by the customer; "
        "Vietnam also requires electronic invoices for domestic sales.",
        "Agree in the contract whether prices are net or gross of the foreign contractor tax; "
        "invoice through a local partner where e-invoices are expected.",
        "US ITA Country Commercial Guide: Vietnam – Taxation",
        CCG,
        age_days=400,
    ),
    B(
        "VN",
        T,
        "Zalo and local payment methods are expected",
        "Business communication runs largely on Zalo, and consumers pay with MoMo, VNPay or "
        "bank QR codes rather than cards.",
        "Offer a Zalo channel for customer contact and integrate a local payment gateway.",
        "SME experience report, Ho Chi Minh City pilot",
        source_kind=SourceKind.SME_EXPERIENCE,
        age_days=45,
    ),
]

CHILE = [
    B(
        "CL",
        L,
        "New personal data law (Law 21.719) from December 2026",
        "Law 21.719 (published December 2024) replaces Law 19.628 with GDPR-like rules, a new "
        "Personal Data Protection Agency and fines; it applies from 1 December 2026.",
        "A GDPR compliance programme covers most of it; check the Chilean rules on international "
        "transfers and appoint a contact point for the agency.",
        "Ley 21.719 que regula la protección y el tratamiento de los datos personales",
        age_days=30,
    ),
    B(
        "CL",
        A,
        "Registration as a state supplier for public tenders",
        "Public buyers purchase through ChileCompra (Mercado Público); to be awarded a contract a "
        "supplier registers in the Registro de Proveedores, which needs a Chilean tax id (RUT).",
        "Bid together with a Chilean partner already registered, or register a local entity "
        "once a first tender is within reach.",
        "ChileCompra – Registro de Proveedores",
        "https://www.chilecompra.cl/",
        age_days=380,
    ),
    B(
        "CL",
        C,
        "Spanish and personal trust",
        "Buyers expect Spanish-language material and meetings; relationships are personal and "
        "formal at first; January and February are the summer holidays, when little is decided.",
        "Translate the offer and contracts; plan missions for March–December; keep in touch "
        "through the local partner between visits.",
        "4SmartGrowth mission report, Santiago",
        source_kind=SourceKind.MISSION_REPORT,
        age_days=90,
        service_kind="export_mission",
    ),
    B(
        "CL",
        T,
        "SEC certification of electrical products",
        "Electrical products sold in Chile need certification by a body authorised by the "
        "Superintendencia de Electricidad y Combustibles (SEC) and the SEC mark.",
        "Ask the testing lab for IECEE CB test reports, which SEC-authorised bodies usually "
        "accept, to avoid repeating tests.",
        "US ITA Country Commercial Guide: Chile – Standards for trade",
        CCG,
        offering="goods",
        age_days=600,
    ),
]

NORTH_AMERICA_AND_ASIA = [
    B(
        "US",
        T,
        "CE marking is not recognised: NRTL (e.g. UL) listing",
        "Electrical equipment used in US workplaces must be tested and listed by a Nationally "
        "Recognized Testing Laboratory under OSHA's NRTL programme; a CE declaration counts for "
        "nothing. Devices that emit radio frequencies also need FCC authorisation (Part 15).",
        "Design to the UL standard from the start and use a lab that tests for both CE and NRTL "
        "listing; FCC and UL testing can run in parallel.",
        "OSHA Nationally Recognized Testing Laboratory Program; 47 CFR Part 15",
        "https://www.osha.gov/nationally-recognized-testing-laboratory-program",
        offering="goods",
        age_days=100,
        service_kind="testbed",
    ),
    B(
        "US",
        A,
        "Sales tax in every state where you have economic nexus",
        "Since South Dakota v. Wayfair (2018) states can require remote sellers above a sales "
        "threshold to collect their sales tax, and many tax SaaS as well.",
        "Track sales per state; use a sales-tax service to register and file once over a "
        "threshold.",
        "South Dakota v. Wayfair, Inc., 585 U.S. 162 (2018)",
        age_days=700,
    ),
    B(
        "US",
        C,
        "Buyers expect US references and fast answers",
        "Buyers decide quickly and expect case studies from US customers, pricing in dollars and "
        "support in US business hours.",
        "Win one US reference customer through a pilot; offer support across time zones through "
        "a partner.",
        "US ITA Country Commercial Guide: United States selling tips",
        CCG,
        age_days=250,
    ),
    B(
        "CA",
        L,
        "French in Quebec (Charter of the French Language, Bill 96)",
        "Products, packaging, user manuals and software interfaces sold in Quebec must be "
        "available in French, at least as prominent as other languages; Bill 96 (2022) tightened "
        "the rules for contracts and commercial signage.",
        "Localise into Canadian French before launching in Quebec; budget the translation of "
        "contracts too.",
        "Charter of the French Language (Quebec), as amended by Bill 96 (2022)",
        age_days=80,
    ),
    B(
        "JP",
        C,
        "Consensus decisions take time (nemawashi)",
        "Decisions are prepared by consensus across departments before any formal meeting; "
        "the first orders often go through a trading company or distributor the buyer knows.",
        "Expect 12–24 months to a first order; provide Japanese documentation and a local "
        "contact; work through a distributor.",
        "ICT Meta Cluster mission report, Tokyo",
        source_kind=SourceKind.MISSION_REPORT,
        age_days=450,
    ),
    B(
        "JP",
        T,
        "PSE and radio (Giteki) marks for electrical products",
        "Electrical products need the PSE mark under the Electrical Appliance and Material "
        "Safety Act, and radio equipment technical-conformity certification (Giteki).",
        "Let a registered conformity-assessment body test the product; the importer of record "
        "holds the PSE notification, so agree who that is with the distributor.",
        "EU Access2Markets: Japan – product requirements",
        A2M,
        offering="goods",
        age_days=180,
    ),
    B(
        "IN",
        L,
        "Digital Personal Data Protection Act 2023",
        "India's DPDP Act 2023 sets consent, notice and breach-reporting duties for personal "
        "data of people in India; cross-border transfers are allowed except to countries the "
        "government restricts.",
        "Map Indian user data and consents; follow the rules issued under the Act.",
        "Digital Personal Data Protection Act, 2023 (India)",
        offering="ict-services",
        age_days=200,
    ),
    B(
        "BR",
        L,
        "LGPD and Portuguese-language contracts",
        "Brazil's General Data Protection Law (LGPD, Law 13.709/2018) applies to processing of "
        "data collected in Brazil; buyers expect contracts and support in Portuguese.",
        "Reuse GDPR documentation; appoint a data protection officer (encarregado); translate "
        "contracts and the user interface.",
        "Lei Geral de Proteção de Dados Pessoais (Lei 13.709/2018)",
        age_days=390,
    ),
    B(
        "ZA",
        A,
        "B-BBEE scores weigh in public and corporate purchasing",
        "Under the Broad-Based Black Economic Empowerment framework, buyers' procurement scores "
        "count their suppliers' B-BBEE levels, so a foreign supplier without a level loses "
        "points.",
        "Partner with a South African company that has a good B-BBEE level and let it hold the "
        "customer contract.",
        "US ITA Country Commercial Guide: South Africa",
        CCG,
        age_days=330,
    ),
]

# A Swedish entry: the guides keep each entry in the language it was written in.
SWEDISH = [
    B(
        "JP",
        A,
        "Hanko och pappersavtal hos äldre kunder",
        "Många japanska kunder, särskilt i offentlig sektor och större koncerner, kräver "
        "fortfarande stämpel (hanko) och avtal på papper, vilket förlänger avtalsprocessen.",
        "Fråga tidigt om avtalsrutinen och låt distributören hantera stämpel och arkivering.",
        "Erfarenhetsrapport från SME, Tokyo",
        source_kind=SourceKind.SME_EXPERIENCE,
        age_days=60,
        language="sv",
    ),
]

PLAN = {
    "4smartgrowth": CHINA + VIETNAM + CHILE,
    "ict-meta-cluster": NORTH_AMERICA_AND_ASIA + SWEDISH + CHINA[:2],
}


def extend(programmes: dict, rng) -> dict[str, int]:
    """Add barriers and experience reports to the demo programmes; return counts."""
    today = timezone.localdate()
    barriers = reports = 0
    for acronym, plan in PLAN.items():
        programme = programmes.get(acronym)
        if programme is None:
            continue
        partners = list(programme.partner_organisations().order_by("pk"))
        curators = list(
            User.objects.filter(
                organisation__in=partners, role__in=[Role.ADVISOR, Role.MANAGER]
            ).order_by("pk")
        )
        created = []
        for index, spec in enumerate(plan):
            if Barrier.objects.filter(programme=programme, title=spec.title).exists():
                continue
            service = (
                Service.objects.filter(programme=programme, kind=spec.service_kind).first()
                if spec.service_kind
                else None
            )
            curator = curators[index % len(curators)] if curators else None
            barrier = Barrier(
                programme=programme,
                market=spec.market,
                offering=spec.offering,
                kind=spec.kind,
                title=spec.title,
                description=spec.description,
                how_to_overcome=spec.overcome,
                helping_partner=service.provider if service else partners[index % len(partners)],
                helping_service=service,
                source_kind=spec.source_kind,
                source_title=spec.source,
                source_url=spec.url,
                last_confirmed_on=today - timedelta(days=spec.age_days),
                confirmed_by=curator,
                created_by=curator,
                language=spec.language,
            )
            barrier.full_clean()
            barrier.save()
            created.append(barrier)
        barriers += len(created)
        reports += _reports(programme, created, curators, today, rng)
    return {"market-guide barriers": barriers, "experience reports": reports}


def _reports(programme, barriers, curators, today, rng) -> int:
    """A published report behind one barrier per market, and some waiting for review: the
    demo SME user's own (if its company is in the programme) and an advisor's."""
    if not barriers or not curators:
        return 0
    made = []
    seen = set()
    reviewer = curators[0]
    for barrier in barriers:
        if barrier.market in seen or barrier.source_kind == SourceKind.DOCUMENT:
            continue
        seen.add(barrier.market)
        made.append(
            ExperienceReport(
                programme=programme,
                market=barrier.market,
                author=curators[-1],
                title=barrier.title,
                text=barrier.description,
                suggested_kind=barrier.kind,
                occurred_on=barrier.last_confirmed_on,
                language=barrier.language,
                status=ReportStatus.PUBLISHED,
                barrier=barrier,
                reviewed_by=reviewer,
                reviewed_at=timezone.now(),
            )
        )
    sme = User.objects.filter(username="sme", role=Role.SME).first()
    market = barriers[0].market
    if sme and programme.engagements.filter(company_id=sme.company_id).exists():
        made.append(
            ExperienceReport(
                programme=programme,
                market=market,
                company_id=sme.company_id,
                author=sme,
                title="Distributor asked for a local test report",
                text="At the buyer meeting the distributor said our European test reports are "
                "not enough; they want tests by a local lab before they list the product.",
                suggested_kind=BarrierKind.TECHNICAL,
                occurred_on=today - timedelta(days=rng.randint(3, 20)),
                status=ReportStatus.PENDING,
            )
        )
    made.append(
        ExperienceReport(
            programme=programme,
            market=barriers[-1].market,
            author=curators[-1],
            title="Payment terms of 90 days are common",
            text="Two buyers on the mission asked for 90-day payment terms; letters of credit "
            "were not accepted for small orders.",
            suggested_kind=BarrierKind.ADMINISTRATIVE,
            occurred_on=today - timedelta(days=rng.randint(5, 40)),
            status=ReportStatus.PENDING,
        )
    )
    ExperienceReport.objects.bulk_create(made)
    return len(made)


def remove(programmes, companies) -> None:
    """Delete the guides' records that would block deleting the demo programmes or companies."""
    ExperienceReport.objects.filter(Q(programme__in=programmes) | Q(company__in=companies)).delete()
    Barrier.objects.filter(programme__in=programmes).delete()
