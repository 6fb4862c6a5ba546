"""Retention (GDPR Art. 5(1)(e)): personal data is kept no longer than its purpose needs.
`purge()` applies settings.PERSONAL_DATA_RETENTION_DAYS, one period per record kind, and is
run by `metacluster purge-personal-data` (daily, from a scheduler)."""

from datetime import timedelta

from auditlog.models import LogEntry
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from . import erasure

KINDS = ("contact_consent_withdrawn", "contact_inactive", "sme_user_inactive", "audit_entry")


def _due(kind: str):
    return timezone.now() - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS[kind])


def due_contacts_withdrawn():
    """Contacts kept on consent that was withdrawn longer ago than the retention period."""
    from metacluster.companies.models import Contact

    return Contact.objects.filter(
        lawful_basis="consent", consent_withdrawn_at__lt=_due("contact_consent_withdrawn")
    )


def due_contacts_inactive():
    """Contacts of companies nothing happened with (no engagement stage change, delivery or
    deal) for longer than the retention period."""
    from metacluster.companies.models import Contact

    cutoff = _due("contact_inactive")
    active = (
        Q(company__created_at__gte=cutoff)
        | Q(company__engagements__stage_changed_at__gte=cutoff)
        | Q(company__deliveries__date__gte=cutoff.date())
        | Q(company__deals__opened_on__gte=cutoff.date())
    )
    return Contact.objects.exclude(pk__in=Contact.objects.filter(active).values("pk"))


def due_sme_users():
    """SME users who have not logged in (or, never, since joining) for the retention period."""
    from metacluster.accounts.models import User

    cutoff = _due("sme_user_inactive")
    return User.objects.filter(role="sme", is_active=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )


def due_audit_entries():
    return LogEntry.objects.filter(timestamp__lt=_due("audit_entry"))


def purge(*, dry_run: bool = False) -> dict[str, int]:
    """Erase what is past its retention period; {kind: how many}. Legal holds keep companies'
    business records, never a person's identity (see holds.py)."""
    due = {
        "contact_consent_withdrawn": list(due_contacts_withdrawn()),
        "contact_inactive": list(due_contacts_inactive()),
        "sme_user_inactive": list(due_sme_users()),
    }
    # A contact both withdrawn and inactive is counted once, as withdrawn.
    withdrawn = {contact.pk for contact in due["contact_consent_withdrawn"]}
    due["contact_inactive"] = [c for c in due["contact_inactive"] if c.pk not in withdrawn]
    counts = {kind: len(records) for kind, records in due.items()}
    entries = due_audit_entries()
    counts["audit_entry"] = entries.count()
    if dry_run:
        return counts
    for contact in due["contact_consent_withdrawn"] + due["contact_inactive"]:
        erasure.erase_contact(contact)
    for user in due["sme_user_inactive"]:
        erasure.erase_user(user)
    entries.delete()
    return counts
