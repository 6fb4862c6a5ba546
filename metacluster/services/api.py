"""The service catalogue and deliveries: what was given to which company, when and how much."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from metacluster.accounts.choices import Role
from metacluster.accounts.models import User
from metacluster.apiutils import (
    Id,
    Input,
    IsoDate,
    ListQuery,
    Page,
    QueryBool,
    QueryId,
    Text,
    acting_partner,
    decimal_input,
    get_referenced,
    get_visible,
    paginate,
    refused_when,
    require,
    responses,
)
from metacluster.companies.models import Company, Contact
from metacluster.programmes.api import visible_programme

from .choices import ServiceKind, Unit
from .models import Delivery, Service
from .workflows import record_attendance, record_delivery

router = Router(tags=["services"])

MAX_ATTENDEES = 500


# --- Schemas -----------------------------------------------------------------------------------


class ServiceOut(Schema):
    id: int
    programme_id: int
    provider_id: int
    provider: str
    kind: ServiceKind
    name: str
    description: str
    unit: Unit
    value_per_unit: Decimal
    active: bool

    @staticmethod
    def resolve_provider(service: Service) -> str:
        return service.provider.name


class DeliveryOut(Schema):
    id: int
    programme_id: int
    service_id: int
    service: str
    company_id: int
    company: str
    contact_id: int | None
    provider_id: int
    provider: str
    advisor_id: int | None
    date: date
    quantity: Decimal
    value: Decimal = Field(..., description="Quantity × the service's value per unit (EUR).")
    notes: str
    batch: UUID | None = Field(..., description="Shared by deliveries entered as attendance.")
    created_at: datetime
    aid_value: Decimal | None = Field(
        ...,
        description="State aid in kind (EUR): quantity × the market rate when it was recorded.",
    )
    aid_scheme: str | None = Field(..., description="de_minimis or gber_20a.")

    @staticmethod
    def resolve_aid_value(delivery: Delivery) -> Decimal | None:
        aid = getattr(delivery, "aid", None)
        return aid.value if aid else None

    @staticmethod
    def resolve_aid_scheme(delivery: Delivery) -> str | None:
        aid = getattr(delivery, "aid", None)
        return aid.scheme if aid else None

    @staticmethod
    def resolve_value(delivery: Delivery) -> Decimal:
        return delivery.value.quantize(Decimal("0.01"))

    @staticmethod
    def resolve_programme_id(delivery: Delivery) -> int:
        return delivery.service.programme_id

    @staticmethod
    def resolve_service(delivery: Delivery) -> str:
        return delivery.service.name

    @staticmethod
    def resolve_company(delivery: Delivery) -> str:
        return delivery.company.name

    @staticmethod
    def resolve_provider(delivery: Delivery) -> str:
        return delivery.provider.name


class ServiceQuery(ListQuery):
    kind: ServiceKind | None = None
    provider: QueryId | None = Field(
        None, description="Organisation id of the partner offering it."
    )
    active: QueryBool | None = Field(None, description="Only services still offered (or not).")


class DeliveryQuery(ListQuery):
    programme: QueryId | None = None
    company: QueryId | None = None
    service: QueryId | None = None
    provider: QueryId | None = Field(None, description="Organisation id of the delivering partner.")
    date_from: IsoDate | None = Field(None, description="On or after this date.")
    date_to: IsoDate | None = Field(None, description="On or before this date.")


Quantity = decimal_input(8, 2, positive=True)


class DeliveryFields(Input):
    service: Id
    date: IsoDate
    quantity: Quantity = Field(..., description="How many units of the service, more than 0.")
    notes: Text = Field("", max_length=20_000)
    provider: Id | None = Field(
        None,
        description="Organisation id of the delivering partner; yours by default. Advisors "
        "record only their own organisation's deliveries, programme managers any partner's.",
    )
    advisor: Id | None = Field(
        None, description="User id of the advisor who delivered it; you by default."
    )
    aid_override_reason: Text = Field(
        "",
        max_length=2000,
        description="Past the state-aid ceiling a delivery is refused; a programme manager may "
        "record it anyway by giving the reason here. Check first with POST /stateaid/check.",
    )


class DeliveryIn(DeliveryFields):
    company: Id
    contact: Id | None = None


class AttendanceIn(DeliveryFields):
    companies: list[Id] = Field(..., min_length=1, max_length=MAX_ATTENDEES)


class AttendanceOut(Schema):
    batch: UUID
    deliveries: list[DeliveryOut]


# --- Helpers -----------------------------------------------------------------------------------


def deliveries_for(user):
    return Delivery.objects.visible_to(user).select_related("service", "company", "provider", "aid")


def recording(request, payload: DeliveryFields) -> dict:
    """Resolve and check what every delivery needs: a service the user sees in a programme
    they record in, a provider they may act for, and the advisor."""
    user = request.user
    service = get_referenced(
        Service.objects.visible_to(user).select_related("programme"),
        payload.service,
        "service",
        _("service"),
    )
    programme = service.programme
    require(
        programme.is_recordable_by(user),
        _("Only advisors and programme managers of the programme can record deliveries."),
    )
    provider = acting_partner(
        request, programme, payload.provider, field="provider", default=service.provider
    )
    if payload.advisor is None:
        advisor = user if user.organisation_id == provider.pk else None
    else:
        advisor = get_referenced(
            User.objects.filter(organisation=provider, is_active=True).exclude(role=Role.SME),
            payload.advisor,
            "advisor",
            _("advisor of the delivering organisation"),
        )
    return {
        "service": service,
        "provider": provider,
        "advisor": advisor,
        "date": payload.date,
        "quantity": payload.quantity,
        "notes": payload.notes,
    }


# --- Catalogue ---------------------------------------------------------------------------------


@router.get("/programmes/{int:programme_id}/services", response=responses(Page[ServiceOut]))
def list_services(request, programme_id: Id, query: Query[ServiceQuery]):
    """The programme's catalogue: the services its partners offer."""
    programme = visible_programme(request, programme_id)
    services = Service.objects.filter(programme=programme).select_related("provider")
    if query.kind:
        services = services.filter(kind=query.kind)
    if query.provider:
        services = services.filter(provider_id=query.provider)
    if query.active is not None:
        services = services.filter(active=query.active)
    return paginate(services, query)


# --- Deliveries --------------------------------------------------------------------------------


@router.get("/deliveries", response=responses(Page[DeliveryOut]))
def list_deliveries(request, query: Query[DeliveryQuery]):
    """Deliveries in your programmes (SME users: those to their own company)."""
    deliveries = deliveries_for(request.user)
    filters = {
        "service__programme_id": query.programme,
        "company_id": query.company,
        "service_id": query.service,
        "provider_id": query.provider,
        "date__gte": query.date_from,
        "date__lte": query.date_to,
    }
    deliveries = deliveries.filter(**{k: v for k, v in filters.items() if v is not None})
    return paginate(deliveries, query)


@router.get("/deliveries/{int:delivery_id}", response=responses(DeliveryOut))
def get_delivery(request, delivery_id: Id):
    return get_visible(deliveries_for(request.user), delivery_id, _("delivery"))


# What every delivery must satisfy beyond its schema (see `recording` and Delivery.clean).
DELIVERY_RULES = (
    "`service`: a service you see, still offered, in a programme you record in.",
    "`date`: within the programme's period and not in the future.",
    "`provider`: a partner of the programme (by default yours, or else the service's).",
    "`advisor`: an active advisor or manager of the delivering organisation.",
    "`aid_override_reason`: needed, from a programme manager, when the aid would take the "
    "company's undertaking past its state-aid ceiling.",
)


@router.post(
    "/deliveries",
    response=responses(DeliveryOut, 201),
    openapi_extra=refused_when(
        *DELIVERY_RULES,
        "`company`: a company you see.",
        "`contact`: a contact at that company.",
    ),
)
def create_delivery(request, payload: DeliveryIn):
    """Record a service given to a company. The company is engaged in the programme if it was
    not already. The date must fall in the programme period and not in the future."""
    fields = recording(request, payload)
    company = get_referenced(
        Company.objects.visible_to(request.user), payload.company, "company", _("company")
    )
    contact = get_referenced(
        Contact.objects.visible_to(request.user), payload.contact, "contact", _("contact")
    )
    delivery = record_delivery(
        Delivery(company=company, contact=contact, **fields),
        by=request.user,
        aid_override=payload.aid_override_reason,
    )
    delivery.refresh_from_db()
    return Status(201, delivery)


@router.post(
    "/deliveries/attendance",
    response=responses(AttendanceOut, 201),
    openapi_extra=refused_when(
        *DELIVERY_RULES,
        "`companies.N`: the N-th company (from 0) is one you see, and listed only once, "
        "and its aid stays within its state-aid ceiling (or `aid_override_reason` is given).",
    ),
)
def create_attendance(request, payload: AttendanceIn):
    """Record one service (e.g. a workshop) given to several companies at once: one delivery
    per company, all or none. Problems with single companies are reported as `companies.N`,
    N being the position in the list."""
    fields = recording(request, payload)
    visible = Company.objects.visible_to(request.user).in_bulk(payload.companies)
    errors, seen = {}, set()
    for index, company_id in enumerate(payload.companies):
        if company_id not in visible:
            errors[f"companies.{index}"] = [
                _("No company with id %(id)s that you can see.") % {"id": company_id}
            ]
        elif company_id in seen:
            errors[f"companies.{index}"] = [
                _("Company %(id)s is listed more than once.") % {"id": company_id}
            ]
        seen.add(company_id)
    if errors:
        raise ValidationError(errors)
    companies = [visible[company_id] for company_id in payload.companies]
    deliveries = record_attendance(
        companies=companies,
        by=request.user,
        aid_override=payload.aid_override_reason,
        **fields,
    )
    return Status(
        201,
        {
            "batch": deliveries[0].batch,
            "deliveries": list(deliveries_for(request.user).filter(batch=deliveries[0].batch)),
        },
    )
