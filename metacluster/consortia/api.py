"""Consortia: companies that make a joint offer to a target market."""

from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from metacluster.apiutils import (
    CountryFilter,
    Id,
    ListQuery,
    Page,
    QueryId,
    get_visible,
    paginate,
    responses,
)
from metacluster.companies.models import Company

from .models import Consortium

router = Router(tags=["consortia"])


class MemberOut(Schema):
    id: int
    name: str
    country: str


class ConsortiumOut(Schema):
    id: int
    programme_id: int
    name: str
    market: str
    coordinator_id: int
    coordinator: str
    formed_on: date
    members: list[MemberOut]

    @staticmethod
    def resolve_coordinator(consortium: Consortium) -> str:
        return consortium.coordinator.name

    @staticmethod
    def resolve_members(consortium: Consortium) -> list:
        return list(consortium.members.all())


class ConsortiumQuery(ListQuery):
    programme: QueryId | None = None
    market: CountryFilter | None = None


def consortia_for(user):
    members = Company.objects.only("id", "name", "country").order_by("name")
    return (
        Consortium.objects.visible_to(user)
        .select_related("coordinator")
        .prefetch_related(Prefetch("members", queryset=members))
    )


@router.get("/consortia", response=responses(Page[ConsortiumOut]))
def list_consortia(request, query: Query[ConsortiumQuery]):
    """Consortia in your programmes with their members (SME users: those their company is in)."""
    consortia = consortia_for(request.user)
    if query.programme:
        consortia = consortia.filter(programme_id=query.programme)
    if query.market:
        consortia = consortia.filter(market=query.market.upper())
    return paginate(consortia, query)


@router.get("/consortia/{int:consortium_id}", response=responses(ConsortiumOut))
def get_consortium(request, consortium_id: Id):
    return get_visible(consortia_for(request.user), consortium_id, _("consortium"))
