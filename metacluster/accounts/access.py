"""Who may see which records: the rule shared by every programme's records."""

from .choices import Role


def visible_programme_records(
    queryset, user, *, programme: str = "programme", company: str = "company"
):
    """Records that belong to a programme and a company (engagements, deliveries, deals, ...).

    Staff see the records of programmes their organisation is a partner of; an SME user sees
    only its own company's; anonymous users see nothing. `programme` and `company` are the
    lookups from the record to its programme and company."""
    from metacluster.programmes.models import Programme

    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if user.role == Role.SME:
        return queryset.filter(**{company: user.company_id})
    return queryset.filter(**{f"{programme}__in": Programme.objects.visible_to(user)})
