"""Who may see and do what: the one home of the access rules that several apps share.

Each rule — "may this user do X to Y" — is written once here (or, for a rule about one kind
of record only, as a queryset method on its model) and called by the page, the form and the
API alike, so that the page never allows what the API refuses. Not visible → 404; visible but
not allowed → 403 in the API, a form error on the page.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from metacluster.programmes.models import Programme

from .choices import Role
from .models import Organisation

ACT_FOR_OTHERS_REFUSED = _(
    "Advisors record only their own organisation's work; ask a programme manager."
)


def visible_programme_records(
    queryset, user, *, programme: str = "programme", company: str = "company"
):
    """Records that belong to a programme and a company (engagements, deliveries, deals, ...).

    Staff see the records of programmes their organisation is a partner of; an SME user sees
    only its own company's; anonymous users see nothing. `programme` and `company` are the
    lookups from the record to its programme and company."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if user.role == Role.SME:
        return queryset.filter(**{company: user.company_id})
    return queryset.filter(**{f"{programme}__in": Programme.objects.visible_to(user)})


def partners_acted_for(user, programme):
    """The partner organisations of `programme` for which `user` may record work (deliveries,
    deals, feasibility studies, opportunities, catalogue entries): any partner for the
    programme's managers; only their own organisation for its advisors; none for others."""
    partners = Organisation.objects.filter(partnerships__programme=programme)
    if programme.is_managed_by(user):
        return partners
    if not programme.is_recordable_by(user):
        return partners.none()
    return partners.filter(pk=user.organisation_id)


def may_act_for(user, programme, organisation) -> bool:
    """May `user` record work in `programme` on behalf of the partner `organisation`?"""
    return partners_acted_for(user, programme).filter(pk=organisation.pk).exists()


def partners_acted_for_any(user, programmes):
    """The organisations `user` may act for in at least one of `programmes` (the choices of a
    form whose programme is chosen in the same form; the pair is checked on submit)."""
    managed = Programme.objects.managed_by(user).filter(pk__in=programmes.values("pk"))
    partners = Organisation.objects.filter(partnerships__programme__in=managed)
    own = Organisation.objects.filter(
        pk=user.organisation_id, partnerships__programme__in=programmes
    )
    return Organisation.objects.filter(Q(pk__in=partners.values("pk")) | Q(pk__in=own.values("pk")))


def may_manage_personal_data(user, company) -> bool:
    """May `user` export, erase and record consent for the personal data held about `company`
    (its contacts, notes and SME users)? Programme managers who may edit the company."""
    from metacluster.companies.models import Company

    if user.is_superuser:
        return True
    return (
        user.is_authenticated
        and user.is_manager
        and not user.is_sme
        and Company.objects.editable_by(user).filter(pk=company.pk).exists()
    )


def may_export_company(user, company) -> bool:
    """The company's managers, and its own SME users (their right of access)."""
    own = user.is_authenticated and user.is_sme and user.company_id == company.pk
    return own or may_manage_personal_data(user, company)


def may_export_user(user, person) -> bool:
    """Everyone their own data; a manager that of the SME users of companies they manage."""
    if user.pk == person.pk or user.is_superuser:
        return True
    return person.company is not None and may_manage_personal_data(user, person.company)
