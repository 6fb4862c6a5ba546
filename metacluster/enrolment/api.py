"""Applications from the public programme pages: the list for the programme's staff, and
accepting or declining one. The rules are the pages' (enrolment.workflows.check_*)."""

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from metacluster.apiutils import (
    Id,
    Input,
    ListQuery,
    Page,
    QueryId,
    Text,
    get_visible,
    paginate,
    refused_when,
    responses,
)

from . import workflows
from .choices import ApplicationStatus
from .models import Application

router = Router(tags=["applications"])


class ApplicationOut(Schema):
    id: int
    programme_id: int
    company_name: str
    registry_code: str
    country: str
    region: str
    employees: int
    website: str
    offering: str
    ict_component: bool
    export_will: bool
    contact_name: str
    contact_email: str
    language: str
    status: ApplicationStatus
    screening_reasons: list[str]
    existing_company_id: int | None
    company_id: int | None
    decline_reason: str
    created_at: datetime
    reviewed_at: datetime | None


class ApplicationQuery(ListQuery):
    programme: QueryId | None = None
    status: ApplicationStatus | None = None


class DeclineIn(Input):
    reason: Text = Field(..., min_length=1, max_length=5000, description="Sent to the applicant.")


def _application(request, application_id: int) -> Application:
    return get_visible(
        Application.objects.visible_to(request.user).select_related("programme"),
        application_id,
        _("application"),
    )


def _decide(step):
    """A decided application cannot be decided again: 409, like a stale edit."""
    try:
        return step()
    except workflows.ReviewError as error:
        raise HttpError(409, str(error)) from error


@router.get("/applications", response=responses(Page[ApplicationOut]))
def list_applications(request, query: Query[ApplicationQuery]):
    """Applications to the programmes whose staff you are."""
    rows = Application.objects.visible_to(request.user).order_by("-created_at", "-pk")
    if query.programme is not None:
        rows = rows.filter(programme_id=query.programme)
    if query.status is not None:
        rows = rows.filter(status=query.status)
    return paginate(rows, query)


@router.get("/applications/{int:application_id}", response=responses(ApplicationOut))
def get_application(request, application_id: Id):
    return _application(request, application_id)


@router.post("/applications/{int:application_id}/accept", response=responses(ApplicationOut))
def accept(request, application_id: Id):
    """Engage the company at the first stage with your organisation as partner and invite its
    contact by e-mail. Only a pending application (409 otherwise)."""
    application = _application(request, application_id)
    workflows.check_may_accept(request.user, application)
    application, _user = _decide(lambda: workflows.accept(application, by=request.user))
    return application


@router.post(
    "/applications/{int:application_id}/decline",
    response=responses(ApplicationOut),
    openapi_extra=refused_when("`reason`: not only spaces."),
)
def decline(request, application_id: Id, payload: DeclineIn):
    """Decline with a reason the applicant receives. Only a pending application (409 otherwise)."""
    application = _application(request, application_id)
    workflows.check_may_review(request.user, application)
    if not payload.reason.strip():
        raise DjangoValidationError({"reason": _("Say why the application is declined.")})
    return _decide(lambda: workflows.decline(application, by=request.user, reason=payload.reason))
