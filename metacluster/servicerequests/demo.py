"""Demo service requests between the partners of the demo programmes (`metacluster load-demo`).

In each programme a partner asks another for a service for a company it is responsible for,
in every state: new, accepted, planned, declined (with a reason), withdrawn, and delivered. A
delivered request points at a delivery the base demo already recorded (the partner asked
served the company), so no delivery, engagement or indicator figure changes. The programmes
have ended, so the requests lie in their periods and the open ones are overdue. The `sme`
user's company has asked for one service itself. No mail is sent: the records are written
directly, with their history, rather than through flow."""

from datetime import UTC, datetime, time, timedelta

from django.db.models import Q

from metacluster.accounts.choices import Role
from metacluster.accounts.models import User
from metacluster.companies.models import Engagement
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Delivery, Service

from .choices import RequestOrigin, RequestStatus
from .models import DEFAULT_SHARED_FIELDS, RequestComment, RequestEvent, ServiceRequest

# How many requests of each state per programme (delivered ones as deliveries allow).
PLAN = [
    (RequestStatus.REQUESTED, 3),
    (RequestStatus.ACCEPTED, 2),
    (RequestStatus.PLANNED, 2),
    (RequestStatus.DECLINED, 2),
    (RequestStatus.WITHDRAWN, 1),
]
DELIVERED = 6
DECLINE_REASONS = (
    "No coach free before the programme ends; ask us again next quarter.",
    "The company is outside the sectors this service is funded for.",
    "Already served by another partner for the same need.",
)
MESSAGES = (
    "Preparing a first order from a distributor; needs help with the contract terms.",
    "Wants to test the product against a buyer's specification before a tender.",
    "Asked at our export café; a good fit for your programme offer.",
    "Recommended after the readiness assessment: weak on market knowledge.",
)


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _staff(organisation) -> User | None:
    return (
        organisation.users.filter(role__in=[Role.ADVISOR, Role.MANAGER], is_active=True)
        .order_by("pk")
        .first()
    )


def extend(programmes: dict, rng) -> dict[str, int]:
    """Add this app's demo records to the demo programmes (keyed by acronym); return counts."""
    made = 0
    for programme in programmes.values():
        made += _delivered(programme, rng)
        made += _open_and_closed(programme, rng)
    made += _sme_request(programmes)
    return {"service requests": made}


def _write(request: ServiceRequest, steps, by_side) -> ServiceRequest:
    """Save the request and its history: `steps` are (status, at, reason) after 'requested'."""
    request.save()
    history = [
        RequestEvent(
            request=request,
            from_status="",
            to_status=RequestStatus.REQUESTED,
            by=request.requested_by,
            organisation=request.referring_organisation,
            at=request.created_at,
        )
    ]
    status = RequestStatus.REQUESTED
    for to, at, reason in steps:
        actor = by_side["requesting" if to == RequestStatus.WITHDRAWN else "receiving"]
        history.append(
            RequestEvent(
                request=request,
                from_status=status,
                to_status=to,
                by=actor,
                organisation=actor.organisation if actor else None,
                at=at,
                reason=reason,
            )
        )
        status = to
    RequestEvent.objects.bulk_create(history)
    return request


def _delivered(programme, rng) -> int:
    """Deliveries the base demo recorded by a partner other than the company's responsible
    one become requests that partner received and delivered."""
    responsible = dict(
        Engagement.objects.filter(programme=programme).values_list("company_id", "partner_id")
    )
    candidates = [
        d
        for d in Delivery.objects.filter(
            service__programme=programme, request__isnull=True, testbed_booking__isnull=True
        )
        .exclude(service__kind=ServiceKind.TESTBED)
        .select_related("service", "provider", "company")
        .order_by("pk")
        if responsible.get(d.company_id) not in (None, d.provider_id)
        and d.date - timedelta(days=40) >= programme.start_date
    ]
    made = 0
    for delivery in rng.sample(candidates, min(DELIVERED, len(candidates))):
        referrer = delivery.company.engagements.get(programme=programme).partner
        asked_on = delivery.date - timedelta(days=rng.randrange(15, 40))
        advisor = delivery.advisor or _staff(delivery.provider)
        request = ServiceRequest(
            service=delivery.service,
            company=delivery.company,
            requested_by=_staff(referrer),
            referring_organisation=referrer,
            origin=RequestOrigin.DIRECT,
            message=rng.choice(MESSAGES),
            status=RequestStatus.DELIVERED,
            due_date=delivery.date + timedelta(days=rng.randrange(0, 15)),
            advisor=advisor,
            planned_for=delivery.date,
            delivery=delivery,
            shared_fields=DEFAULT_SHARED_FIELDS,
            created_at=_at(asked_on, 9),
        )
        accepted = asked_on + timedelta(days=rng.randrange(1, 6))
        steps = [
            (RequestStatus.ACCEPTED, _at(accepted, 10), ""),
            (RequestStatus.PLANNED, _at(accepted, 11), ""),
            (RequestStatus.DELIVERED, _at(delivery.date, 16), ""),
        ]
        _write(request, steps, {"receiving": advisor, "requesting": request.requested_by})
        made += 1
    return made


def _open_and_closed(programme, rng) -> int:
    """Requests in the other states, made in the programme's last months."""
    engagements = list(
        Engagement.objects.filter(programme=programme)
        .select_related("company", "partner")
        .order_by("pk")
    )
    services = list(Service.objects.filter(programme=programme).active().order_by("pk"))
    if not engagements or not services:
        return 0
    made = 0
    for status, count in PLAN:
        for _ in range(count):
            engagement = rng.choice(engagements)
            offers = [s for s in services if s.provider_id != engagement.partner_id]
            if not offers:
                continue
            service = rng.choice(offers)
            asked_on = programme.end_date - timedelta(days=rng.randrange(20, 90))
            receiver = _staff(service.provider)
            request = ServiceRequest(
                service=service,
                company=engagement.company,
                requested_by=_staff(engagement.partner),
                referring_organisation=engagement.partner,
                message=rng.choice(MESSAGES),
                status=status,
                due_date=asked_on + timedelta(days=rng.randrange(14, 45)),
                shared_fields=rng.sample(DEFAULT_SHARED_FIELDS, 3),
                created_at=_at(asked_on, 9),
            )
            answered = asked_on + timedelta(days=rng.randrange(1, 8))
            steps = {
                RequestStatus.REQUESTED: [],
                RequestStatus.ACCEPTED: [(RequestStatus.ACCEPTED, _at(answered, 10), "")],
                RequestStatus.PLANNED: [
                    (RequestStatus.ACCEPTED, _at(answered, 10), ""),
                    (RequestStatus.PLANNED, _at(answered, 11), ""),
                ],
                RequestStatus.DECLINED: [
                    (RequestStatus.DECLINED, _at(answered, 10), rng.choice(DECLINE_REASONS))
                ],
                RequestStatus.WITHDRAWN: [
                    (RequestStatus.WITHDRAWN, _at(answered, 10), "The company found a consultant.")
                ],
            }[status]
            if status in (RequestStatus.ACCEPTED, RequestStatus.PLANNED):
                request.advisor = receiver
            if status == RequestStatus.PLANNED:
                request.planned_for = min(answered + timedelta(days=14), programme.end_date)
            _write(request, steps, {"receiving": receiver, "requesting": request.requested_by})
            if status == RequestStatus.ACCEPTED and receiver:
                RequestComment.objects.create(
                    request=request,
                    author=receiver,
                    organisation=receiver.organisation,
                    text="Could you share a contact person at the company?",
                    created_at=_at(answered, 12),
                )
            made += 1
    return made


def _sme_request(programmes) -> int:
    sme = User.objects.filter(username="sme", role=Role.SME).select_related("company").first()
    if sme is None:
        return 0
    engagement = (
        Engagement.objects.filter(company=sme.company, programme__in=programmes.values())
        .select_related("programme")
        .order_by("pk")
        .first()
    )
    if engagement is None:
        return 0
    service = (
        Service.objects.filter(programme=engagement.programme, kind=ServiceKind.COACHING)
        .active()
        .order_by("pk")
        .first()
    )
    if service is None:
        return 0
    programme = engagement.programme
    asked_on = programme.end_date - timedelta(days=30)
    request = ServiceRequest(
        service=service,
        company=sme.company,
        requested_by=sme,
        message="We would like coaching before our first trade fair abroad.",
        due_date=programme.end_date,
        shared_fields=DEFAULT_SHARED_FIELDS,
        created_at=_at(asked_on, 8),
    )
    _write(request, [], {"receiving": None, "requesting": sme})
    return 1


def remove(programmes, companies) -> None:
    """Delete this app's records that would block deleting the demo programmes or companies."""
    ServiceRequest.objects.filter(
        Q(service__programme__in=programmes) | Q(company__in=companies)
    ).delete()
