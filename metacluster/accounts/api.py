"""Who is calling: the user behind the session or API token."""

from ninja import Router, Schema

from metacluster.apiutils import responses
from metacluster.programmes.models import Programme

from .choices import OrganisationKind, Role

router = Router(tags=["accounts"])


class OrganisationOut(Schema):
    id: int
    name: str
    country: str
    kind: OrganisationKind


class CompanyRefOut(Schema):
    id: int
    name: str


class ProgrammeAccessOut(Schema):
    id: int
    name: str
    can_manage: bool
    can_record: bool


class MeOut(Schema):
    id: int
    username: str
    name: str
    email: str
    role: Role
    organisation: OrganisationOut | None
    company: CompanyRefOut | None
    time_zone: str
    language: str
    is_superuser: bool
    programmes: list[ProgrammeAccessOut]


@router.get("/me", response=responses(MeOut))
def me(request):
    """You: your organisation (staff) or company (SME users), role, time zone, and what you
    may do in each of your programmes."""
    user = request.user
    managed = set(Programme.objects.managed_by(user).values_list("pk", flat=True))
    recordable = set(Programme.objects.recordable_by(user).values_list("pk", flat=True))
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.get_full_name(),
        "email": user.email,
        "role": user.role,
        "organisation": user.organisation,
        "company": user.company,
        "time_zone": user.time_zone,
        "language": user.language,
        "is_superuser": user.is_superuser,
        "programmes": [
            {
                "id": programme.pk,
                "name": programme.name,
                "can_manage": programme.pk in managed,
                "can_record": programme.pk in recordable,
            }
            for programme in Programme.objects.visible_to(user)
        ],
    }
