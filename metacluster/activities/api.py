"""Trainings, webinars, workshops and export missions: activities and their registrations.
The rules are the pages' (activities.workflows.check_*), so the API allows what they allow."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from metacluster.apiutils import (
    Id,
    Input,
    ListQuery,
    Page,
    QueryId,
    get_referenced,
    get_visible,
    paginate,
    refused_when,
    responses,
)

from . import workflows
from .choices import ActivityKind, RegistrationMode, RegistrationStatus
from .models import Activity, Registration

router = Router(tags=["activities"])


class ActivityOut(Schema):
    id: int
    programme_id: int
    kind: ActivityKind
    title: str
    description: str
    service_id: int
    starts_at: datetime
    ends_at: datetime
    place: str
    video_link: str
    capacity: int
    registration: RegistrationMode
    destination: str
    visits: str
    seats_taken: int

    @staticmethod
    def resolve_seats_taken(activity: Activity) -> int:
        return activity.seats_taken()


class RegistrationOut(Schema):
    id: int
    activity_id: int
    company_id: int
    company: str
    status: RegistrationStatus
    attended: bool

    @staticmethod
    def resolve_company(registration: Registration) -> str:
        return registration.company.name


class ActivityAttendanceIn(Input):
    registrations: list[Id] = Field(
        ..., description="The registrations (places) whose companies attended."
    )
    aid_override: str = Field(
        "", description="Reason for recording aid past a company's ceiling (managers)."
    )


class ActivityAttendanceOut(Schema):
    deliveries: int = Field(
        ...,
        description="Deliveries recorded (attendances already recorded "
        "or of companies not holding a place are left out).",
    )


class ActivityQuery(ListQuery):
    programme: QueryId | None = None
    kind: ActivityKind | None = None


class RegisterIn(Input):
    company: Id | None = Field(
        None,
        description="Staff: the company to register (engaged in the programme). SME users "
        "register their own company and may leave this out.",
    )


def _activity(request, activity_id: int) -> Activity:
    return get_visible(Activity.objects.visible_to(request.user), activity_id, _("activity"))


@router.get("/activities", response=responses(Page[ActivityOut]))
def list_activities(request, query: Query[ActivityQuery]):
    """Activities of the programmes you see."""
    rows = Activity.objects.visible_to(request.user).order_by("starts_at", "pk")
    if query.programme is not None:
        rows = rows.filter(programme_id=query.programme)
    if query.kind is not None:
        rows = rows.filter(kind=query.kind)
    return paginate(rows, query)


@router.get("/activities/{int:activity_id}", response=responses(ActivityOut))
def get_activity(request, activity_id: Id):
    return _activity(request, activity_id)


@router.get(
    "/activities/{int:activity_id}/registrations", response=responses(Page[RegistrationOut])
)
def list_registrations(request, activity_id: Id, query: Query[ListQuery]):
    """Who registered (SME users: their own company's place only)."""
    activity = _activity(request, activity_id)
    return paginate(workflows.registrations_visible_to(request.user, activity), query)


@router.post(
    "/activities/{int:activity_id}/registrations",
    response=responses(RegistrationOut, 201),
    openapi_extra=refused_when("`company`: staff name a company engaged in the programme."),
)
def register(request, activity_id: Id, payload: RegisterIn):
    """A place if one is free, else a place on the waiting list (see `status`)."""
    user = request.user
    activity = _activity(request, activity_id)
    workflows.check_may_register(user, activity)
    if user.is_sme:
        if payload.company not in (None, user.company_id):
            raise PermissionDenied(_("SME users register their own company."))
        company = user.company
    else:
        if payload.company is None:
            raise DjangoValidationError({"company": _("Choose a company.")})
        company = get_referenced(
            workflows.registrable_companies(activity.programme),
            payload.company,
            "company",
            _("company of the programme"),
        )
    return Status(201, workflows.register(activity, company))


@router.post(
    "/activities/registrations/{int:registration_id}/cancel",
    response=responses(RegistrationOut),
)
def cancel(request, registration_id: Id):
    """Cancel a place; the first company waiting moves up. An attendance cannot be cancelled
    (409)."""
    user = request.user
    visible = Registration.objects.filter(
        activity__in=Activity.objects.visible_to(user)
    ).select_related("activity__programme", "company")
    if user.is_sme:
        visible = visible.filter(company_id=user.company_id)
    registration = get_visible(visible, registration_id, _("registration"))
    workflows.check_may_cancel(user, registration)
    try:
        workflows.cancel(registration)
    except workflows.RegistrationError as error:
        raise HttpError(409, str(error)) from error
    registration.refresh_from_db()
    return registration


@router.post(
    "/activities/{int:activity_id}/attendance",
    response=responses(ActivityAttendanceOut),
    openapi_extra=refused_when("`aid_override`: a company's aid would pass its ceiling."),
)
def attendance(request, activity_id: Id, payload: ActivityAttendanceIn):
    """Record who attended: one delivery of the activity's service per attendee, all or none
    (as on the activity's page). Advisors record the attendance of their own organisation's
    services only (403); the programme's managers of any partner's."""
    user = request.user
    activity = _activity(request, activity_id)
    workflows.check_recordable(user, activity.programme)
    workflows.check_may_deliver(user, activity.service)
    chosen = list(
        activity.registrations.filter(pk__in=payload.registrations).select_related("company")
    )
    count = workflows.mark_attendance(activity, chosen, by=user, aid_override=payload.aid_override)
    return {"deliveries": count}
