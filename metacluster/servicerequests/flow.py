"""Service requests from asking to delivery: routing, the status moves, comments.

Each move is one transaction that claims the request's version first (so of two answers given at
the same moment only one wins, the other gets StaleEdit), checks that the move is allowed from
the status the request is in now (models.TRANSITIONS) and for the side the user acts for,
writes the history entry, and e-mails the other side once the transaction has committed."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from metacluster.accounts.choices import Role
from metacluster.companies.models import Engagement
from metacluster.services.models import Delivery, Service
from metacluster.services.workflows import record_delivery
from metacluster.versioning import STALE_MESSAGE, StaleEdit

from . import notices
from .choices import RequestOrigin, RequestStatus
from .models import TRANSITIONS, RequestComment, RequestEvent, ServiceRequest

# --- Routing -----------------------------------------------------------------------------------


def route(*, programme, kind: str, company, provider=None) -> Service:
    """The catalogue service a request for `kind` goes to.

    The partner the requester chose, if it offers the kind; otherwise the only partner that
    offers it; when several do, the company's responsible partner in the programme if it is
    one of them, else the requester must choose (ValidationError on `provider`)."""
    offers = Service.objects.filter(programme=programme, kind=kind).active().order_by("pk")
    if provider is not None:
        chosen = offers.filter(provider=provider).first()
        if chosen is None:
            raise ValidationError(
                {"provider": _("This partner does not offer that kind of service here.")}
            )
        return chosen
    by_provider = {}
    for service in offers:
        by_provider.setdefault(service.provider_id, service)
    if not by_provider:
        raise ValidationError({"kind": _("No partner offers this kind of service here.")})
    if len(by_provider) == 1:
        return next(iter(by_provider.values()))
    responsible = (
        Engagement.objects.filter(programme=programme, company=company)
        .values_list("partner_id", flat=True)
        .first()
    )
    if responsible in by_provider:
        return by_provider[responsible]
    raise ValidationError(
        {"provider": _("Several partners offer this kind of service: choose one.")}
    )


# --- Asking ------------------------------------------------------------------------------------


def request_service(
    *,
    service,
    company,
    by,
    origin=RequestOrigin.DIRECT,
    message="",
    due_date=None,
    shared_fields=None,
    shared_contacts=(),
) -> ServiceRequest:
    """Ask the partner that offers `service` to deliver it to `company`.

    A staff user asks on behalf of their organisation (the referring partner); an SME user asks
    for its own company. `shared_fields` and `shared_contacts` are what the partner asked may
    see of the company; nothing else of it is shown on the request (and never any notes).
    Nothing is delivered yet: the delivery is recorded when it happens."""
    request = ServiceRequest(
        service=service,
        company=company,
        requested_by=by,
        referring_organisation=None if by is None or by.is_sme else by.organisation,
        origin=origin,
        message=message,
        due_date=due_date,
        shared_fields=list(shared_fields or []),
    )
    request.full_clean()
    contacts = list(shared_contacts)
    if any(contact.company_id != company.pk for contact in contacts):
        raise ValidationError({"shared_contacts": _("Share only contacts at the company.")})
    with transaction.atomic():
        request.save()
        request.shared_contacts.set(contacts)
        event = RequestEvent.objects.create(
            request=request,
            from_status="",
            to_status=RequestStatus.REQUESTED,
            by=by,
            organisation=request.referring_organisation,
            at=request.created_at,
        )
        notices.after_commit(event)
    return request


# --- Moving ------------------------------------------------------------------------------------


def _move(
    request: ServiceRequest,
    to: str,
    *,
    by,
    version: int,
    reason: str = "",
    apply=None,
) -> RequestEvent:
    """Claim the version, check the move, let `apply` change the request, record the step."""
    if not request.sides_of(by):
        raise PermissionDenied(_("Only the two sides of a request can change it."))
    with transaction.atomic():
        claimed = ServiceRequest.objects.filter(pk=request.pk, version=version).update(
            version=F("version") + 1
        )
        if claimed != 1:
            raise _stale(request)
        # What is stored now, not what the caller loaded: the version says they are the same.
        current = ServiceRequest.objects.select_related("service").get(pk=request.pk)
        side = TRANSITIONS.get((current.status, to))
        if side is None:
            raise ValidationError(
                {
                    "to": _("A %(from)s request cannot become %(to)s.")
                    % {
                        "from": RequestStatus(current.status).label,
                        "to": RequestStatus(to).label if to in RequestStatus.values else to,
                    }
                }
            )
        if side not in current.sides_of(by):
            raise PermissionDenied(
                _("Only the partner asked can answer or deliver a request.")
                if side == "receiving"
                else _("Only the side that asked can withdraw a request.")
            )
        if apply is not None:
            apply(current)
        event = RequestEvent.objects.create(
            request=current,
            from_status=current.status,
            to_status=to,
            by=by,
            organisation=None if by.is_sme else by.organisation,
            reason=reason,
        )
        current.status = to
        current.save()
        notices.after_commit(event)
    request.refresh_from_db()
    return event


def _stale(request: ServiceRequest) -> StaleEdit:
    """Someone answered since `request` was loaded: say which version is current now."""
    error = StaleEdit(str(STALE_MESSAGE))
    current = ServiceRequest.objects.filter(pk=request.pk).values_list("version", flat=True)
    error.fields = {
        "version": [_("The current version is %(version)s.") % {"version": current.first()}]
    }
    return error


def accept(request, *, by, version: int, advisor=None) -> RequestEvent:
    """The partner asked takes the request on and names the advisor who will deliver it."""
    advisor = advisor or by

    def apply(current):
        if (
            advisor.organisation_id != current.service.provider_id
            or advisor.role not in (Role.ADVISOR, Role.MANAGER)
            or not advisor.is_active
        ):
            raise ValidationError(
                {"advisor": _("Assign an advisor of the partner that offers the service.")}
            )
        current.advisor = advisor

    return _move(request, RequestStatus.ACCEPTED, by=by, version=version, apply=apply)


def decline(request, *, by, version: int, reason: str) -> RequestEvent:
    """The partner asked says no, and why: the requester needs the reason to look elsewhere."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the request is declined.")})
    return _move(request, RequestStatus.DECLINED, by=by, version=version, reason=reason.strip())


def withdraw(request, *, by, version: int, reason: str = "") -> RequestEvent:
    """The side that asked no longer needs the service."""
    return _move(request, RequestStatus.WITHDRAWN, by=by, version=version, reason=reason)


def plan(request, *, by, version: int, planned_for: date, reason: str = "") -> RequestEvent:
    """The partner asked sets (or moves) the date it will deliver on."""
    if planned_for is None:
        raise ValidationError({"planned_for": _("Give the date the service is planned for.")})

    def apply(current):
        if planned_for < current.requested_on:
            raise ValidationError(
                {"planned_for": _("The plan cannot be for before the request was made.")}
            )
        current.planned_for = planned_for

    return _move(request, RequestStatus.PLANNED, by=by, version=version, reason=reason, apply=apply)


def deliver(
    request,
    *,
    by,
    version: int,
    date: date,
    quantity: Decimal,
    notes: str = "",
    aid_override: str = "",
) -> RequestEvent:
    """Record the delivery the request asked for, with its state-aid check, and close the
    request, all or nothing. A second submit of the same form finds the version taken and
    changes nothing, so a request has exactly one delivery."""
    missing = {
        name: [_("Needed to record the delivery.")]
        for name, value in (("date", date), ("quantity", quantity))
        if value is None
    }
    if missing:
        raise ValidationError(missing)

    def apply(current):
        if date < current.requested_on:
            raise ValidationError(
                {
                    "date": _("The delivery cannot be dated before the request was made (%(day)s).")
                    % {"day": formats.date_format(current.requested_on, "SHORT_DATE_FORMAT")}
                }
            )
        contact = current.shared_contacts.order_by("pk").first()
        delivery = Delivery(
            service=current.service,
            company=current.company,
            contact=contact,
            provider=current.service.provider,
            advisor=current.advisor or by,
            date=date,
            quantity=quantity,
            notes=notes,
        )
        record_delivery(delivery, by=by, aid_override=aid_override)
        current.delivery = delivery

    return _move(request, RequestStatus.DELIVERED, by=by, version=version, apply=apply)


def share(request: ServiceRequest, *, by, version: int, fields, contacts) -> ServiceRequest:
    """The requesting side changes what the partner asked may see of the company, while the
    request is open (e.g. a readiness request, which shares only the name and country)."""
    if "requesting" not in request.sides_of(by):
        raise PermissionDenied(_("Only the side that asked decides what is shared."))
    if not request.is_open:
        raise ValidationError({"shared_fields": _("The request is closed.")})
    contacts = list(contacts)
    if any(contact.company_id != request.company_id for contact in contacts):
        raise ValidationError({"shared_contacts": _("Share only contacts at the company.")})
    request.shared_fields = list(fields)
    request.full_clean()
    with transaction.atomic():
        try:
            request.save_versioned(version)
        except StaleEdit:
            raise _stale(request) from None
        request.shared_contacts.set(contacts)
    return request


# --- Talking -----------------------------------------------------------------------------------


def comment(request: ServiceRequest, *, by, text: str) -> RequestComment:
    """A message to the other side, on the request; both sides read it."""
    if not request.sides_of(by):
        raise PermissionDenied(_("Only the two sides of a request can comment on it."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write something to send.")})
    with transaction.atomic():
        entry = RequestComment.objects.create(
            request=request,
            author=by,
            organisation=None if by.is_sme else by.organisation,
            text=text,
            created_at=timezone.now(),
        )
        notices.after_commit(entry)
    return entry
