"""The personal data of a company's people: export, erasure, consent."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.accounts.access import (
    may_export_company,
    may_export_user,
    may_manage_personal_data,
)
from metacluster.accounts.models import User
from metacluster.companies.models import Company, Contact

from . import erasure, export, holds
from .forms import ConsentForm

REFUSED = _("Only the company's programme managers handle its people's personal data.")


def _company(request, pk: int) -> Company:
    return get_object_or_404(Company.objects.visible_to(request.user), pk=pk)


def _managed_company(request, pk: int) -> Company:
    company = _company(request, pk)
    if not may_manage_personal_data(request.user, company):
        raise PermissionDenied(REFUSED)
    return company


def _managed_contact(request, pk: int) -> Contact:
    contact = get_object_or_404(Contact.objects.visible_to(request.user), pk=pk)
    if not may_manage_personal_data(request.user, contact.company):
        raise PermissionDenied(REFUSED)
    return contact


def _render(request, document: dict, fmt: str, name: str) -> HttpResponse:
    if fmt not in ("json", "html"):
        raise Http404
    if fmt == "json":
        response = JsonResponse(document, json_dumps_params={"indent": 2, "ensure_ascii": False})
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    return render(
        request,
        "privacy/export.html",
        {"document": document, "pretty": json.dumps(document["subject"], indent=2)},
    )


@login_required
def company(request: HttpRequest, pk: int) -> HttpResponse:
    record = _managed_company(request, pk)
    return render(
        request,
        "privacy/company.html",
        {
            "company": record,
            "holds": holds.for_company(record),
            "contacts": record.contacts.all(),
            "users": record.users.all(),
            "consent_form": ConsentForm(),
        },
    )


@login_required
def company_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    record = _company(request, pk)
    if not may_export_company(request.user, record):
        raise PermissionDenied(REFUSED)
    return _render(request, export.company_document(record, request.user), fmt, f"company-{pk}")


@login_required
@require_POST
def company_erase(request: HttpRequest, pk: int) -> HttpResponse:
    record = _managed_company(request, pk)
    name = record.name
    try:
        result = erasure.erase_company(record)
    except ProtectedError:
        messages.error(request, _("Some records could not be deleted; nothing was changed."))
        return redirect("privacy:company", pk=pk)
    summary = _(
        "%(contacts)s contacts and %(users)s user accounts erased, %(notes)s notes deleted."
    ) % {
        "contacts": result.erased_contacts,
        "users": result.erased_users,
        "notes": result.deleted_notes,
    }
    if result.deleted:
        messages.success(request, _("%(name)s is deleted. ") % {"name": name} + summary)
        return redirect("home")
    messages.success(request, summary)
    for hold in result.holds:
        messages.warning(
            request,
            _("Kept until %(until)s: %(reason)s")
            % {"until": hold.until.isoformat(), "reason": hold.reason},
        )
    return redirect("privacy:company", pk=pk)


@login_required
def contact_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    contact = _managed_contact(request, pk)
    return _render(request, export.contact_document(contact), fmt, f"contact-{pk}")


@login_required
@require_POST
def contact_erase(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _managed_contact(request, pk)
    company_id = contact.company_id
    if erasure.erase_contact(contact):
        messages.success(request, _("The contact is deleted."))
    else:
        messages.success(
            request,
            _(
                "The contact's name, e-mail, phone and job title are erased; the deliveries "
                "that name them keep a pseudonym as funder evidence."
            ),
        )
    return redirect("privacy:company", pk=company_id)


@login_required
@require_POST
def contact_consent(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _managed_contact(request, pk)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("privacy:company", pk=contact.company_id)
    now = timezone.now()
    if form.cleaned_data["action"] == "withdraw":
        contact.consent_withdrawn_at = now
        messages.success(request, _("Consent withdrawn %(when)s.") % {"when": now.date()})
    else:
        contact.lawful_basis = form.cleaned_data["lawful_basis"]
        if contact.lawful_basis == "consent":
            contact.consent_given_at, contact.consent_withdrawn_at = now, None
        messages.success(
            request,
            _("Lawful basis recorded: %(basis)s, %(when)s.")
            % {"basis": contact.get_lawful_basis_display(), "when": now.date()},
        )
    contact.save()
    return redirect("privacy:company", pk=contact.company_id)


def _person(request, pk: int) -> User:
    """A user whose data the requester may export: themselves, or an SME user of a company
    they manage (403); anyone else they cannot see is not found (404)."""
    person = get_object_or_404(User, pk=pk)
    if may_export_user(request.user, person):
        return person
    if not (
        person.company_id
        and Company.objects.visible_to(request.user).filter(pk=person.company_id).exists()
    ):
        raise Http404
    raise PermissionDenied(REFUSED)


@login_required
def user_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    person = _person(request, pk)
    return _render(request, export.user_document(person), fmt, f"user-{pk}")


@login_required
@require_POST
def user_erase(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User.objects.filter(role="sme"), pk=pk)
    company_record = _managed_company(request, person.company_id)
    erasure.erase_user(person)
    messages.success(request, _("The user's name, e-mail and login are erased."))
    return redirect("privacy:company", pk=company_record.pk)
