"""A programme's set-up as one versioned file, so that a programme can start from another.

The set-up is everything a programme decides before its first record: partners and their
service catalogues, target markets, indicators with their definitions and targets, the
readiness instrument version, the capability taxonomy, the scouting score, the eligibility
rules and the market guides worth reusing. It holds none of the records (companies,
engagements, deliveries, deals, assessments), nor what belongs to one funded project only
(name, period, budget, partner budgets).

The file is JSON described by ``setup/schema.json`` (generated from the classes below; a test
keeps them equal). ``export_setup`` writes it, ``create_from_setup`` makes a new programme
from it; export → create → export gives the same file. Templates shipped with Metacluster are
set-up files in ``setup/templates/``. See docs/PROGRAMME_SETUP.md.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as SchemaError

from metacluster.accounts.models import Organisation

from .choices import PartnerRole
from .kpis import DefinitionError, parse_definition
from .models import Indicator, Partnership, Programme, TargetMarket

__all__ = [
    "FORMAT",
    "VERSION",
    "SetupError",
    "create_from_setup",
    "dumps",
    "export_setup",
    "load_setup",
    "templates",
]

FORMAT = "metacluster-programme-setup"
VERSION = 1
SETUP_DIR = Path(__file__).parent / "setup"
TEMPLATE_DIR = SETUP_DIR / "templates"
SCHEMA_PATH = SETUP_DIR / "schema.json"


class SetupError(ValueError):
    """A set-up file that cannot be read or applied; the message says where and why."""


# --- The file, as pydantic classes (they generate setup/schema.json) ---------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


Number = int | float


class PartnerSetup(_Strict):
    organisation: str = Field(description="The organisation's name; found by name on import.")
    short_name: str = ""
    kind: str = Field(description="cluster, science_park, agency, university, …")
    country: str = Field(description="ISO 3166-1 alpha-2 code")
    role: Literal["lead", "partner"] = "partner"


class ServiceSetup(_Strict):
    provider: str | None = Field(
        description="The offering partner's organisation name; null: the lead partner."
    )
    kind: str
    name: str
    unit: str
    value_per_unit: Number = 0
    description: str = ""
    active: bool = True


class IndicatorSetup(_Strict):
    code: str
    name: str
    unit: str = "companies"
    target: Number | None = None
    definition: dict = Field(
        description="How the achieved value is computed: a kind, its settings and optionally a "
        "counting window (see docs/PROGRAMME_SETUP.md)."
    )
    eu_code: str = ""


class CapabilitySetup(_Strict):
    code: str
    name: str
    description: str = ""


class ScoringSetup(_Strict):
    sector_codes: list[str] = []
    sector_points: int = 30
    min_employees: int = 1
    max_employees: int = 250
    size_points: int = 20
    min_age_years: int = 2
    max_age_years: int = 0
    age_points: int = 10
    min_growth_percent: float = 10
    growth_points: int = 15
    export_keywords: list[str] = []
    export_points: int = 10
    keywords: list[str] = []
    keyword_points: int = 10
    website_points: int = 5
    engagement_points: int = -10


class EligibilitySetup(_Strict):
    open_for_applications: bool = False
    countries: list[str] = []
    regions: list[str] = []
    min_employees: int = 1
    max_employees: int = 249
    requires_ict_component: bool = False
    requires_export_will: bool = False
    min_de_minimis_headroom: Number | None = None


class BarrierSetup(_Strict):
    market: str
    offering: str = ""
    nace: str = ""
    kind: str
    title: str
    description: str
    how_to_overcome: str = ""
    helping_partner: str | None = None
    source_kind: str
    source_title: str
    source_url: str = ""
    last_confirmed_on: date
    language: str = "en"


class ActivitySetup(_Strict):
    kind: Literal["training", "webinar", "workshop", "export_mission"]
    title: str
    description: str = ""
    service: str | None = Field(None, description="The name of the service it delivers.")
    units_per_participant: Number = 1
    capacity: int = 20
    registration: Literal["public", "invited"] = "invited"
    materials: str = ""
    destination: str = ""
    visits: str = ""


class ProgrammeSetup(_Strict):
    """What one programme decided before its first record; the file's top level."""

    format: Literal["metacluster-programme-setup"]
    version: Literal[1]
    title: str = Field("", description="For templates: what the set-up is for.")
    funding_programme: str = ""
    priority: str = ""
    description: str = ""
    currency: str = "EUR"
    partners: list[PartnerSetup] = []
    services: list[ServiceSetup] = []
    target_markets: list[str] = []
    indicators: list[IndicatorSetup] = []
    readiness_instrument: str | None = None
    capabilities: list[CapabilitySetup] = []
    scouting_score: ScoringSetup | None = None
    eligibility: EligibilitySetup | None = None
    market_guides: list[BarrierSetup] = []
    activity_templates: list[ActivitySetup] = Field(
        [], description="Trainings, webinars, workshops and missions to run again."
    )


def json_schema() -> dict:
    schema = ProgrammeSetup.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://metacluster.example/schemas/programme-setup-1.json"
    return schema


# --- Reading and writing -----------------------------------------------------------------------


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def dumps(data: dict) -> str:
    """The file's text: stable key order and indentation, so files can be diffed."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def load_setup(data) -> ProgrammeSetup:
    """Check a set-up (text or parsed JSON) against the format; SetupError says what is wrong."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as error:
            raise SetupError(f"Not JSON: {error}") from error
    if isinstance(data, dict) and data.get("format") != FORMAT:
        raise SetupError(f"Not a programme set-up file: “format” must be “{FORMAT}”.")
    if isinstance(data, dict) and data.get("version") != VERSION:
        raise SetupError(
            f"Set-up file version {data.get('version')!r} is not supported; "
            f"this Metacluster reads version {VERSION}."
        )
    try:
        return ProgrammeSetup.model_validate(data)
    except SchemaError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}" for e in error.errors()
        )
        raise SetupError(problems) from error


def templates() -> list[tuple[str, str, Path]]:
    """The shipped templates: (slug, title, path), by title."""
    found = []
    for path in sorted(TEMPLATE_DIR.glob("*.json")):
        setup = load_setup(path.read_text(encoding="utf-8"))
        found.append((path.stem, setup.title or path.stem, path))
    return sorted(found, key=lambda item: item[1])


def export_setup(programme: Programme) -> dict:
    """The programme's set-up as the file's data (see ``dumps``)."""
    from metacluster.activities.models import ActivityTemplate
    from metacluster.enrolment.models import Eligibility
    from metacluster.guides.models import Barrier
    from metacluster.matchmaking.models import Capability
    from metacluster.readiness.models import ProgrammeInstrument
    from metacluster.scouting.models import ScoringProfile
    from metacluster.services.models import Service

    partnerships = programme.partnerships.select_related("organisation").order_by(
        "-role", "organisation__name"
    )
    lead = programme.lead
    services = Service.objects.filter(programme=programme).select_related("provider")
    instrument = ProgrammeInstrument.objects.filter(programme=programme).first()
    scoring = ScoringProfile.objects.filter(programme=programme).first()
    eligibility = Eligibility.objects.filter(programme=programme).first()
    barriers = Barrier.objects.filter(programme=programme).select_related("helping_partner")
    data = ProgrammeSetup(
        format=FORMAT,
        version=VERSION,
        funding_programme=programme.funding_programme,
        priority=programme.priority,
        description=programme.description,
        currency=programme.currency,
        partners=[
            PartnerSetup(
                organisation=p.organisation.name,
                short_name=p.organisation.short_name,
                kind=p.organisation.kind,
                country=p.organisation.country,
                role=p.role,
            )
            for p in partnerships
        ],
        services=sorted(
            (
                ServiceSetup(
                    provider=None if lead and s.provider_id == lead.pk else s.provider.name,
                    kind=s.kind,
                    name=s.name,
                    unit=s.unit,
                    value_per_unit=_number(s.value_per_unit),
                    description=s.description,
                    active=s.active,
                )
                for s in services
            ),
            key=lambda s: (s.provider or "", s.kind, s.name),
        ),
        target_markets=sorted(programme.target_markets.values_list("country", flat=True)),
        indicators=[
            IndicatorSetup(
                code=i.code,
                name=i.name,
                unit=i.unit,
                target=_number(i.target),
                definition=i.definition,
                eu_code=i.eu_code,
            )
            for i in programme.indicators.order_by("position", "code")
        ],
        readiness_instrument=instrument.version if instrument else None,
        capabilities=[
            CapabilitySetup(code=c.code, name=c.name, description=c.description)
            for c in Capability.objects.filter(programme=programme).order_by("code")
        ],
        scouting_score=(
            ScoringSetup(**{f: getattr(scoring, f) for f in ScoringSetup.model_fields})
            if scoring
            else None
        ),
        eligibility=(
            EligibilitySetup(
                **{
                    f: getattr(eligibility, f)
                    for f in EligibilitySetup.model_fields
                    if f != "min_de_minimis_headroom"
                },
                min_de_minimis_headroom=_number(eligibility.min_de_minimis_headroom),
            )
            if eligibility
            else None
        ),
        market_guides=[
            BarrierSetup(
                market=b.market,
                offering=b.offering,
                nace=b.nace,
                kind=b.kind,
                title=b.title,
                description=b.description,
                how_to_overcome=b.how_to_overcome,
                helping_partner=b.helping_partner.name if b.helping_partner else None,
                source_kind=b.source_kind,
                source_title=b.source_title,
                source_url=b.source_url,
                last_confirmed_on=b.last_confirmed_on,
                language=b.language,
            )
            for b in barriers.order_by("market", "kind", "title", "pk")
        ],
    )
    data.activity_templates = [
        ActivitySetup(
            kind=t.kind,
            title=t.title,
            description=t.description,
            service=t.service.name if t.service else None,
            units_per_participant=_number(t.units_per_participant),
            capacity=t.capacity,
            registration=t.registration,
            materials=t.materials,
            destination=t.destination,
            visits=t.visits,
        )
        for t in ActivityTemplate.objects.filter(programme=programme)
        .select_related("service")
        .order_by("kind", "title")
    ]
    return data.model_dump(mode="json", exclude={"title"})


# --- Applying a set-up -------------------------------------------------------------------------


def _full_clean(obj, where: str) -> None:
    try:
        obj.full_clean(exclude=["programme"] if hasattr(obj, "programme_id") else None)
    except ValidationError as error:
        messages = "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in error.message_dict.items()
        )
        raise SetupError(f"{where}: {messages}") from error


def _organisation(name: str) -> Organisation:
    found = Organisation.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name))
    if found.count() != 1:
        known = ", ".join(Organisation.objects.order_by("name").values_list("name", flat=True))
        raise SetupError(f"No single organisation is called {name!r}. Known: {known or 'none'}.")
    return found.get()


def _scaled_target(target, targets: str, scale: Decimal | None) -> Decimal | None:
    if target is None or targets == "clear":
        return None
    value = Decimal(str(target))
    if scale is not None:
        value = (value * scale).quantize(Decimal("1"))
    return value


@transaction.atomic
def create_from_setup(
    setup: ProgrammeSetup | dict | str,
    *,
    name: str,
    start: date,
    end: date,
    acronym: str = "",
    partners: list[str] | None = None,
    lead: Organisation | None = None,
    targets: Literal["keep", "clear"] = "keep",
    scale: Decimal | None = None,
    services: bool = True,
    by=None,
) -> Programme:
    """A new programme with this set-up and none of the records; all of it, or nothing.

    ``partners`` (organisation names) replaces the file's partners, the first one leading
    unless ``lead`` names another; services of a partner who is not in the new programme are
    offered by the new lead. ``targets="clear"`` leaves every target empty; ``scale`` multiplies
    them (e.g. 0.5 for a programme half the size). ``services=False`` leaves catalogues empty."""
    from metacluster.activities.models import ActivityTemplate
    from metacluster.enrolment.models import Eligibility
    from metacluster.guides.models import Barrier
    from metacluster.matchmaking.models import Capability
    from metacluster.readiness import instruments
    from metacluster.readiness.models import ProgrammeInstrument
    from metacluster.scouting.models import ScoringProfile
    from metacluster.services.models import Service

    if not isinstance(setup, ProgrammeSetup):
        setup = load_setup(setup)
    acronym = acronym or slugify(name)[:40]
    programme = Programme(
        name=name,
        acronym=acronym,
        funding_programme=setup.funding_programme or "—",
        priority=setup.priority,
        description=setup.description,
        currency=setup.currency,
        start_date=start,
        end_date=end,
        total_budget=Decimal(0),
    )
    _full_clean(programme, "programme")
    if Programme.objects.filter(Q(name__iexact=name) | Q(acronym=acronym)).exists():
        raise SetupError(f"A programme called {name!r} or with acronym {acronym!r} exists.")
    programme.save()

    # Partners: the file's, creating organisations this database does not know yet, or the
    # ones given, which must exist.
    if partners is None:
        members = []
        for item in setup.partners:
            organisation = Organisation.objects.filter(name=item.organisation).first()
            if organisation is None:
                organisation = Organisation(
                    name=item.organisation,
                    short_name=item.short_name,
                    kind=item.kind,
                    country=item.country,
                )
                _full_clean(organisation, f"partner {item.organisation}")
                organisation.save()
            members.append((organisation, item.role))
        if lead is not None and all(o.pk != lead.pk for o, _ in members):
            members = [(lead, PartnerRole.LEAD)] + [(o, PartnerRole.PARTNER) for o, _ in members]
    else:
        chosen = [_organisation(n) for n in partners]
        if lead is not None and all(o.pk != lead.pk for o in chosen):
            chosen.insert(0, lead)
        lead = lead or (chosen[0] if chosen else None)
        members = [
            (o, PartnerRole.LEAD if lead and o.pk == lead.pk else PartnerRole.PARTNER)
            for o in dict.fromkeys(chosen)
        ]
    if members and not any(role == PartnerRole.LEAD for _, role in members):
        members[0] = (members[0][0], PartnerRole.LEAD)
    try:
        Partnership.objects.bulk_create(
            Partnership(programme=programme, organisation=o, role=role) for o, role in members
        )
    except IntegrityError as error:
        raise SetupError(
            "A programme has one lead partner; each organisation takes part once."
        ) from error
    by_name = {o.name: o for o, _ in members}
    lead_org = next((o for o, role in members if role == PartnerRole.LEAD), None)

    for country in setup.target_markets:
        market = TargetMarket(programme=programme, country=country)
        _full_clean(market, f"target market {country}")
        market.save()

    for position, item in enumerate(setup.indicators):
        try:
            parse_definition(item.definition)
        except DefinitionError as error:
            raise SetupError(f"indicator {item.code}: {error}") from error
        indicator = Indicator(
            programme=programme,
            code=item.code,
            name=item.name,
            unit=item.unit,
            target=_scaled_target(item.target, targets, scale),
            definition=item.definition,
            eu_code=item.eu_code,
            position=position,
        )
        _full_clean(indicator, f"indicator {item.code}")
        indicator.save()

    if services:
        for item in setup.services:
            provider = by_name.get(item.provider) if item.provider else lead_org
            provider = provider or lead_org
            if provider is None:
                raise SetupError(f"service {item.name}: the programme has no partner to offer it.")
            service = Service(
                programme=programme,
                provider=provider,
                kind=item.kind,
                name=item.name,
                unit=item.unit,
                value_per_unit=Decimal(str(item.value_per_unit)),
                description=item.description,
                active=item.active,
            )
            _full_clean(service, f"service {item.name}")
            if Service.objects.filter(
                programme=programme, provider=provider, name=item.name
            ).exists():
                # Two former partners' services of one name now offered by the same lead.
                service.name = f"{item.name} ({item.provider})"[:200]
            service.save()

    if setup.readiness_instrument:
        if setup.readiness_instrument not in instruments.available_versions():
            raise SetupError(
                f"readiness_instrument: no instrument {setup.readiness_instrument!r}; available: "
                + ", ".join(instruments.available_versions())
            )
        ProgrammeInstrument.objects.create(
            programme=programme, version=setup.readiness_instrument, adopted_by=by
        )

    for item in setup.capabilities:
        capability = Capability(programme=programme, **item.model_dump())
        _full_clean(capability, f"capability {item.code}")
        capability.save()

    if setup.scouting_score:
        profile = ScoringProfile(programme=programme, **setup.scouting_score.model_dump())
        _full_clean(profile, "scouting_score")
        profile.save()

    if setup.eligibility:
        values = setup.eligibility.model_dump()
        headroom = values.pop("min_de_minimis_headroom")
        eligibility = Eligibility(
            programme=programme,
            min_de_minimis_headroom=None if headroom is None else Decimal(str(headroom)),
            **values,
        )
        _full_clean(eligibility, "eligibility")
        eligibility.save()

    for item in setup.market_guides:
        values = item.model_dump()
        helper = values.pop("helping_partner")
        barrier = Barrier(
            programme=programme,
            helping_partner=by_name.get(helper) if helper else None,
            created_by=by,
            **values,
        )
        _full_clean(barrier, f"market guide “{item.title}”")
        barrier.save()

    for item in setup.activity_templates:
        values = item.model_dump()
        service_name = values.pop("service")
        units = values.pop("units_per_participant")
        service = (
            programme.services.filter(name=service_name).order_by("pk").first()
            if service_name
            else None
        )
        template = ActivityTemplate(
            programme=programme,
            service=service,
            units_per_participant=Decimal(str(units)),
            **values,
        )
        _full_clean(template, f"activity template “{item.title}”")
        template.save()
    return programme
