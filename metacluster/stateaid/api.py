"""State aid: the JSON API. Aid records are written by recording deliveries (POST
/deliveries); here they are read, checked in advance, and declared from other grantors."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from metacluster.apiutils import (
    Id,
    Input,
    IsoDate,
    ListQuery,
    Page,
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
from metacluster.companies.models import Company
from metacluster.core.aid import Assessment
from metacluster.services.models import Delivery, Service

from .choices import AidScheme, DeclaredScheme
from .ledger import check_delivery, standings
from .models import AidDeclaration, AidRecord, undertaking_companies

router = Router(tags=["stateaid"])


class AidAssessmentOut(Schema):
    status: str = Field(..., description="ok, near (at or past the warning share) or over.")
    regulation: str
    amount: Decimal = Field(..., description="The new aid (EUR); 0 for a standing.")
    before: Decimal = Field(..., description="Aid already granted in the period (EUR).")
    total: Decimal
    ceiling: Decimal
    headroom: Decimal
    window_start: date | None = Field(..., description="None for GBER Art. 20a (per project).")
    window_end: date | None


def assessment_out(assessment: Assessment) -> dict:
    return {
        "status": str(assessment.status),
        "regulation": assessment.regulation,
        "amount": assessment.amount,
        "before": assessment.before,
        "total": assessment.total,
        "ceiling": assessment.ceiling,
        "headroom": assessment.headroom,
        "window_start": assessment.window_start,
        "window_end": assessment.window_end,
    }


class AidRecordOut(Schema):
    id: int
    delivery_id: int
    company_id: int
    programme_id: int
    granted_on: date
    scheme: AidScheme
    units: Decimal
    market_rate: Decimal
    value: Decimal
    override_reason: str
    retention_until: date


class DeclarationOut(Schema):
    id: int
    company_id: int
    grantor: str
    granted_on: date
    amount: Decimal
    scheme: DeclaredScheme
    reference: str
    declared_at: datetime
    version: int


class LedgerOut(Schema):
    company_id: int
    undertaking_company_ids: list[int] = Field(
        ..., description="Companies whose aid counts together (the ones you can see)."
    )
    standing: AidAssessmentOut
    records: list[AidRecordOut]
    declarations: list[DeclarationOut]


class CheckIn(Input):
    company: Id
    service: Id
    quantity: decimal_input(8, 2, positive=True)
    date: IsoDate


class CheckOut(Schema):
    value: Decimal = Field(..., description="Aid value of the delivery (EUR).")
    scheme: AidScheme
    assessment: AidAssessmentOut
    message: str


class DeclarationIn(Input):
    grantor: Text = Field(..., min_length=1, max_length=200)
    granted_on: IsoDate
    amount: decimal_input(10, 2, positive=True)
    scheme: DeclaredScheme = DeclaredScheme.DE_MINIMIS
    reference: Text = Field("", max_length=200)


class RecordQuery(ListQuery):
    programme: QueryId | None = None
    company: QueryId | None = None
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None


def visible_company(request, company_id: int) -> Company:
    return get_visible(Company.objects.visible_to(request.user), company_id, _("company"))


@router.get("/stateaid/records", response=responses(Page[AidRecordOut]))
def list_records(request, query: Query[RecordQuery]):
    """Aid records of deliveries in your programmes (SME users: their own company's)."""
    records = AidRecord.objects.visible_to(request.user)
    filters = {
        "programme_id": query.programme,
        "company_id": query.company,
        "granted_on__gte": query.date_from,
        "granted_on__lte": query.date_to,
    }
    return paginate(records.filter(**{k: v for k, v in filters.items() if v is not None}), query)


@router.get("/stateaid/companies/{int:company_id}", response=responses(LedgerOut))
def company_ledger(request, company_id: Id):
    """A company's ledger: its undertaking's standing on the day of its latest aid, its aid
    records (those you can see) and the aid it declared."""
    company = visible_company(request, company_id)
    group = undertaking_companies(company)
    visible_group = list(
        Company.objects.visible_to(request.user).filter(pk__in=group).values_list("pk", flat=True)
    )
    return {
        "company_id": company.pk,
        "undertaking_company_ids": visible_group,
        "standing": assessment_out(standings([company.pk])[company.pk].assessment),
        "records": list(AidRecord.objects.visible_to(request.user).filter(company=company)),
        "declarations": list(AidDeclaration.objects.filter(company=company)),
    }


@router.post(
    "/stateaid/check",
    response=responses(CheckOut),
    openapi_extra=refused_when(
        "`company`: a company you see.",
        "`service`: a service in a programme you record in.",
        "`date`: within the programme's period.",
    ),
)
def check(request, payload: CheckIn):
    """What recording this delivery would do to the company's undertaking's aid: ok, near
    the ceiling (a warning) or over it (POST /deliveries then needs `aid_override_reason`
    from a programme manager). Nothing is saved."""
    company = get_referenced(
        Company.objects.visible_to(request.user), payload.company, "company", _("company")
    )
    service = get_referenced(
        Service.objects.visible_to(request.user).select_related("programme"),
        payload.service,
        "service",
        _("service"),
    )
    require(
        service.programme.is_recordable_by(request.user),
        _("Only advisors and programme managers of the programme can record deliveries."),
    )
    programme = service.programme
    if not programme.start_date <= payload.date <= programme.end_date:
        raise ValidationError(
            {
                "date": _("The date must fall within the programme period (%(start)s – %(end)s).")
                % {"start": programme.start_date, "end": programme.end_date}
            }
        )
    delivery = Delivery(
        service=service, company=company, quantity=payload.quantity, date=payload.date
    )
    result = check_delivery(delivery)
    return {
        "value": result.value,
        "scheme": result.scheme,
        "assessment": assessment_out(result.assessment),
        "message": result.message(),
    }


@router.post(
    "/stateaid/companies/{int:company_id}/declarations",
    response=responses(DeclarationOut, 201),
    openapi_extra=refused_when("`granted_on`: not in the future, and not before 2000."),
)
def declare(request, company_id: Id, payload: DeclarationIn):
    """Declare aid the company received from another grantor. SME users declare for their own
    company; advisors and managers for companies they may edit."""
    company = visible_company(request, company_id)
    require(
        Company.objects.editable_by(request.user).filter(pk=company.pk).exists(),
        _("You cannot change this company's aid records."),
    )
    declaration = AidDeclaration(company=company, declared_by=request.user, **payload.dict())
    declaration.full_clean()
    declaration.save()
    return Status(201, declaration)
