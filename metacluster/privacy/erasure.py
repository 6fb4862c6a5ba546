"""Erasure (GDPR Art. 17): remove or pseudonymise a person's data, or a company's, keeping
only what a legal hold requires (see holds.py). Each function runs in one transaction: all or
nothing."""

from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from . import holds as legal_holds


@dataclass
class Result:
    deleted: bool = False
    holds: list = field(default_factory=list)
    erased_contacts: int = 0
    erased_users: int = 0
    deleted_notes: int = 0


def _forget_in_audit_trail(model, pk, pseudonym: str) -> None:
    """The audit trail keeps that the record changed, when and by whom, not the personal
    values it held (run after the erasure, so that its own entry is scrubbed too)."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_pk=str(pk)
    ).update(object_repr=pseudonym, changes={}, changes_text="", serialized_data=None)


@transaction.atomic
def erase_contact(contact) -> bool:
    """Delete the contact, or, when a delivery names them (funder evidence), keep the row
    under a pseudonym without name, e-mail, phone or job title. True if deleted."""
    pk, model = contact.pk, type(contact)
    pseudonym = _("Erased contact #%(id)s") % {"id": pk}
    deleted = not contact.deliveries.exists()
    if deleted:
        contact.delete()
    else:
        contact.name, contact.email, contact.phone, contact.job_title = pseudonym, "", "", ""
        contact.save()
    _forget_in_audit_trail(model, pk, pseudonym)
    return deleted


@transaction.atomic
def erase_user(user) -> None:
    """Pseudonymise a user: no name, e-mail or usable password; inactive; every API token
    revoked (by the password change). The row stays, so that records keep their author."""
    pseudonym = f"erased-{user.pk}"
    user.username, user.first_name, user.last_name, user.email = pseudonym, "", "", ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    _forget_in_audit_trail(type(user), user.pk, pseudonym)
    LogEntry.objects.filter(actor=user).update(actor_email=None)


def _delete_with_dependants(record, depth: int = 0) -> None:
    """Delete `record` and, first, the records that protect it from deletion (deliveries and
    aid records of a company no hold keeps)."""
    while True:
        try:
            with transaction.atomic():
                record.delete()
            return
        except ProtectedError as error:
            if depth >= 4:
                raise
            for dependant in list(error.protected_objects):
                _delete_with_dependants(dependant, depth + 1)


@transaction.atomic
def erase_company(company) -> Result:
    """Erase the personal data a company's records hold: contacts, notes and its SME users.
    Without a legal hold the company and all its records are deleted; under a hold they are
    kept (business data the law requires), and the result says why and until when."""
    result = Result(holds=legal_holds.for_company(company))
    for contact in company.contacts.all():
        erase_contact(contact)
        result.erased_contacts += 1
    result.deleted_notes, _by_kind = company.notes.all().delete()
    for user in company.users.all():
        erase_user(user)
        result.erased_users += 1
    if not result.holds:
        pk, model = company.pk, type(company)
        company.users.all().delete()
        _delete_with_dependants(company)
        _forget_in_audit_trail(model, pk, _("Erased company #%(id)s") % {"id": pk})
        result.deleted = True
    return result
