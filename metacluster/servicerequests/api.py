"""Service requests in the API: /api/v1/services/requests. Mounted by metacluster/api.py.

A request is seen by its two sides (the referring partner and the partner asked, or the SME
itself) and by the programme's managers; anyone else gets 404. The company appears only as
far as the request shares it (`shared_profile`, `shared_contacts`)."""

from datetime import date, datetime
from typing import Literal

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
    decimal_input,
    get_referenced,
    get_visible,
    paginate,
    refused_when,
    require,
    responses,
)
from metacluster.companies.models import Company, Contact
from metacluster.programmes.models import Programme
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Service

from . import flow
from .choices import RequestOrigin, RequestStatus
from .models import SHAREABLE_FIELDS, ServiceRequest

router = Router(tags=["service requests"])

SharedField = Literal[SHAREABLE_FIELDS]  # type: ignore[valid-type]
Quantity = decimal_input(8, 2, positive=True)


# --- Schemas -----------------------------------------------------------------------------------


class SharedFactOut(Schema):
    field: str
    label: str
    value: str


class SharedContactOut(Schema):
    id: int
    name: str
    job_title: str
    email: str
    phone: str


class RequestEventOut(Schema):
    from_status: str = Field(..., description="Empty for the request being made.")
    to_status: RequestStatus
    by: str | None
    organisation: str | None
    at: datetime
    reason: str

    @staticmethod
    def resolve_by(event) -> str | None:
        return event.by.get_full_name() or event.by.username if event.by else None

    @staticmethod
    def resolve_organisation(event) -> str | None:
        return event.organisation.name if event.organisation else None


class RequestCommentOut(Schema):
    id: int
    author: str | None
    organisation: str | None
    text: str
    created_at: datetime

    @staticmethod
    def resolve_author(comment) -> str | None:
        return comment.author.get_full_name() or comment.author.username if comment.author else None

    @staticmethod
    def resolve_organisation(comment) -> str | None:
        return comment.organisation.name if comment.organisation else None


class ServiceRequestOut(Schema):
    id: int
    version: int = Field(..., description="Send it back with a transition; 409 if it changed.")
    programme_id: int
    service_id: int
    service: str
    kind: ServiceKind
    provider_id: int = Field(..., description="The partner asked (offering the service).")
    provider: str
    referring_organisation_id: int | None = Field(
        ..., description="The partner that asked; empty when the SME asked itself."
    )
    company_id: int
    company: str
    origin: RequestOrigin
    status: RequestStatus
    message: str
    due_date: date | None
    overdue: bool
    planned_for: date | None
    advisor_id: int | None
    delivery_id: int | None
    created_at: datetime
    next_statuses: list[RequestStatus] = Field(
        ..., description="The statuses you may move the request to now."
    )
    shared_profile: list[SharedFactOut]
    shared_contacts: list[SharedContactOut]
    history: list[RequestEventOut]
    comments: list[RequestCommentOut]

    @staticmethod
    def resolve_programme_id(r: ServiceRequest) -> int:
        return r.service.programme_id

    @staticmethod
    def resolve_service(r: ServiceRequest) -> str:
        return r.service.name

    @staticmethod
    def resolve_kind(r: ServiceRequest) -> str:
        return r.service.kind

    @staticmethod
    def resolve_provider_id(r: ServiceRequest) -> int:
        return r.service.provider_id

    @staticmethod
    def resolve_provider(r: ServiceRequest) -> str:
        return r.service.provider.name

    @staticmethod
    def resolve_company(r: ServiceRequest) -> str:
        return r.company.name

    @staticmethod
    def resolve_overdue(r: ServiceRequest) -> bool:
        return r.is_overdue

    @staticmethod
    def resolve_next_statuses(r: ServiceRequest, context) -> list[str]:
        return r.next_statuses(context["request"].user)

    @staticmethod
    def resolve_shared_profile(r: ServiceRequest) -> list[dict]:
        return [
            {
                **row,
                "label": str(row["label"]),
                "value": "" if row["value"] is None else str(row["value"]),
            }
            for row in r.shared_profile()
        ]

    @staticmethod
    def resolve_shared_contacts(r: ServiceRequest) -> list:
        return list(r.shared_contacts.all())

    @staticmethod
    def resolve_history(r: ServiceRequest) -> list:
        return list(r.history.all())

    @staticmethod
    def resolve_comments(r: ServiceRequest) -> list:
        return list(r.comments.all())


class ServiceRequestQuery(ListQuery):
    box: Literal["all", "sent", "received"] = Field(
        "all", description="sent: your side asked; received: your organisation was asked."
    )
    status: RequestStatus | None = None
    service: QueryId | None = None
    programme: QueryId | None = None
    company: QueryId | None = None
    overdue: QueryBool | None = Field(None, description="Open and past the wanted-by date.")


class ServiceRequestIn(Input):
    company: Id
    service: Id | None = Field(
        None, description="The catalogue service; or give `programme` and `kind` to be routed."
    )
    programme: Id | None = None
    kind: ServiceKind | None = None
    provider: Id | None = Field(
        None,
        description="With `kind`: the partner you choose when several offer that kind. Without "
        "it, the company's responsible partner if it offers the kind, or the only one that does.",
    )
    message: Text = Field("", max_length=5000)
    due_date: IsoDate | None = Field(None, description="Wanted by.")
    shared_fields: list[SharedField] = Field(
        default_factory=list,
        max_length=len(SHAREABLE_FIELDS),
        description="Profile fields the partner asked may see (name and country always).",
    )
    shared_contacts: list[Id] = Field(default_factory=list, max_length=50)


class RequestTransitionIn(Input):
    to: Literal["accepted", "declined", "planned", "delivered", "withdrawn"]
    version: Id = Field(..., description="The version you loaded; 409 if it has changed.")
    reason: Text = Field("", max_length=2000, description="Needed to decline.")
    advisor: Id | None = Field(
        None,
        description="To accept: the advisor of your organisation who delivers; you by default.",
    )
    planned_for: IsoDate | None = Field(None, description="To plan: the date.")
    date: IsoDate | None = Field(None, description="To deliver: the day it was delivered.")
    quantity: Quantity | None = Field(None, description="To deliver: units of the service.")
    notes: Text = Field("", max_length=20_000)
    aid_override_reason: Text = Field("", max_length=2000)


class RequestCommentIn(Input):
    text: Text = Field(..., min_length=1, max_length=5000, pattern=r"\S")


# --- Helpers -----------------------------------------------------------------------------------


def requests_for(user):
    return (
        ServiceRequest.objects.visible_to(user)
        .select_related("service__provider", "company")
        .prefetch_related(
            "shared_contacts",
            "history__by",
            "history__organisation",
            "comments__author",
            "comments__organisation",
        )
    )


def _service_for(user, payload: ServiceRequestIn, company) -> Service:
    services = Service.objects.visible_to(user).select_related("programme")
    if payload.service is not None:
        return get_referenced(services, payload.service, "service", _("service"))
    if payload.programme is None or payload.kind is None:
        raise ValidationError({"service": _("Give a service, or a programme and a kind.")})
    programme = get_referenced(
        Programme.objects.visible_to(user), payload.programme, "programme", _("programme")
    )
    provider = None
    if payload.provider is not None:
        provider = get_referenced(
            programme.partner_organisations(), payload.provider, "provider", _("partner")
        )
    return flow.route(programme=programme, kind=payload.kind, company=company, provider=provider)


# --- Operations --------------------------------------------------------------------------------


@router.get("", response=responses(Page[ServiceRequestOut]))
def list_requests(request, query: Query[ServiceRequestQuery]):
    """Requests you see: those your side sent or your organisation received (SME users: their
    company's), and, for programme managers, their programmes'."""
    user = request.user
    rows = requests_for(user)
    if query.box == "sent":
        rows = rows.sent_by(user)
    elif query.box == "received":
        rows = rows.received_by(user)
    if query.overdue is True:
        rows = rows.overdue()
    elif query.overdue is False:
        rows = rows.exclude(pk__in=ServiceRequest.objects.overdue().values("pk"))
    filters = {
        "status": query.status,
        "service_id": query.service,
        "service__programme_id": query.programme,
        "company_id": query.company,
    }
    rows = rows.filter(**{k: v for k, v in filters.items() if v is not None})
    return paginate(rows, query)


@router.get("/{int:request_id}", response=responses(ServiceRequestOut))
def get_request(request, request_id: Id):
    return get_visible(requests_for(request.user), request_id, _("service request"))


@router.post(
    "",
    response=responses(ServiceRequestOut, 201),
    openapi_extra=refused_when(
        "`company`: a company you see (SME users: their own).",
        "`service`: an offered service in a programme you see; or else give `programme` and "
        "`kind`.",
        "`programme`: a programme you see, with `kind`.",
        "`kind`: a kind of service that a partner of the programme offers.",
        "`provider`: a partner of the programme that offers the kind; needed when several "
        "offer it and the company's responsible partner is not one of them.",
        "`shared_contacts`: contacts at the company.",
    ),
)
def create_request(request, payload: ServiceRequestIn):
    """Ask the partner that offers a service to deliver it to a company. Advisors and managers
    ask on behalf of their organisation, in programmes they record in; an SME for itself."""
    user = request.user
    require(
        user.is_sme or user.can_edit_records,
        _("Only advisors, programme managers and the SME itself can request services."),
    )
    company = get_referenced(
        Company.objects.visible_to(user), payload.company, "company", _("company")
    )
    service = _service_for(user, payload, company)
    if not user.is_sme:
        require(
            service.programme.is_recordable_by(user),
            _("Only advisors and managers of the programme can request its services."),
        )
    contacts = [
        get_referenced(Contact.objects.filter(company=company), pk, "shared_contacts", _("contact"))
        for pk in dict.fromkeys(payload.shared_contacts)
    ]
    made = flow.request_service(
        service=service,
        company=company,
        by=user,
        message=payload.message,
        due_date=payload.due_date,
        shared_fields=list(dict.fromkeys(payload.shared_fields)),
        shared_contacts=contacts,
    )
    return Status(201, requests_for(user).get(pk=made.pk))


@router.post(
    "/{int:request_id}/transitions",
    response=responses(ServiceRequestOut),
    openapi_extra=refused_when(
        "`to`: a status the request may move to from where it is (see `next_statuses`).",
        "`reason`: needed to decline.",
        "`advisor`: an active advisor or manager of the partner asked.",
        "`planned_for`: needed to plan; not before the request was made.",
        "`date`: needed to deliver; in the programme's period and not in the future.",
        "`quantity`: needed to deliver.",
        "`aid_override_reason`: needed, from a programme manager, past the state-aid ceiling.",
    ),
)
def transition_request(request, request_id: Id, payload: RequestTransitionIn):
    """Move a request on: the partner asked accepts (naming the advisor), declines (with a
    reason), plans and delivers it (recording the delivery); the side that asked withdraws it.
    Send the version you loaded: if someone answered in between, 409 and nothing changes."""
    user = request.user
    found = get_visible(requests_for(user), request_id, _("service request"))
    common = {"by": user, "version": payload.version}
    if payload.to == RequestStatus.ACCEPTED:
        advisor = get_referenced(
            User.objects.filter(
                organisation_id=found.service.provider_id,
                is_active=True,
                role__in=[Role.ADVISOR, Role.MANAGER],
            ),
            payload.advisor,
            "advisor",
            _("advisor of the partner asked"),
        )
        flow.accept(found, advisor=advisor, **common)
    elif payload.to == RequestStatus.DECLINED:
        flow.decline(found, reason=payload.reason, **common)
    elif payload.to == RequestStatus.PLANNED:
        flow.plan(found, planned_for=payload.planned_for, reason=payload.reason, **common)
    elif payload.to == RequestStatus.DELIVERED:
        flow.deliver(
            found,
            date=payload.date,
            quantity=payload.quantity,
            notes=payload.notes,
            aid_override=payload.aid_override_reason,
            **common,
        )
    else:
        flow.withdraw(found, reason=payload.reason, **common)
    return requests_for(user).get(pk=found.pk)


@router.post(
    "/{int:request_id}/comments",
    response=responses(RequestCommentOut, 201),
)
def comment_request(request, request_id: Id, payload: RequestCommentIn):
    """Write to the other side of a request; they are e-mailed once."""
    found = get_visible(requests_for(request.user), request_id, _("service request"))
    return Status(201, flow.comment(found, by=request.user, text=payload.text))
