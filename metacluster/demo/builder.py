"""The generator of the demo's fictional records: companies engaged in the real programmes,
deliveries, deals, consortia, notes and stage history, as many of each as the programmes
reported (``facts.REPORTED``), so that the indicators computed from them match.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from metacluster.accounts.choices import Role
from metacluster.accounts.models import Organisation, User
from metacluster.companies.choices import CompanyKind, LawfulBasis, Stage
from metacluster.companies.models import Company, Contact, Note, engage
from metacluster.consortia.models import Consortium
from metacluster.deals.choices import AgreementType, DealStage
from metacluster.deals.models import Deal
from metacluster.programmes.choices import PartnerRole
from metacluster.programmes.kpis import parse_definition
from metacluster.programmes.models import Indicator, Partnership, Programme, TargetMarket
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Delivery, Service

from .facts import (
    FOURSG,
    ICT,
    ORGANISATIONS,
    PROGRAMMES,
    REPORTED,
    SME2GO,
    TIME_ZONES,
    ProgrammeSpec,
    TransferSpec,
)
from .fiction import (
    BUYER_FORMS,
    BUYER_WORDS,
    CATALOGUES,
    DEMO_PASSWORD,
    EMAIL_DOMAIN,
    FICTIONAL,
    FIRST_NAMES,
    JOB_TITLES,
    LEGAL_FORMS,
    NAME_ENDS,
    NAME_MIDDLES,
    NAME_STARTS,
    NOTE_TEXTS,
    QUANTITIES,
    REGISTRY_PREFIX,
    SECTORS,
    SURNAMES,
    TOWNS,
)


class DemoError(Exception):
    """The demo cannot be loaded or removed."""


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


class Builder:
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
        from metacluster.programmes.setup_file import create_from_setup, templates

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
