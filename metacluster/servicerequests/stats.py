"""Figures on service requests for the dashboard: per partner, what it sent and received and
how fast it answered and delivered; across the programme, the services most asked for and most
declined. Aggregates only: no company is named, so every partner of a programme may see them."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import median

from .choices import RequestStatus
from .models import RequestEvent, ServiceRequest

TOP = 5


@dataclass
class PartnerFigures:
    organisation: object
    sent: int = 0
    received: int = 0
    open: int = 0
    declined: int = 0
    delivered: int = 0
    days_to_accept: list[float] = field(default_factory=list)
    days_to_deliver: list[float] = field(default_factory=list)

    @property
    def median_days_to_accept(self) -> float | None:
        return round(median(self.days_to_accept), 1) if self.days_to_accept else None

    @property
    def median_days_to_deliver(self) -> float | None:
        return round(median(self.days_to_deliver), 1) if self.days_to_deliver else None


def _days(start, end) -> float:
    return (end - start).total_seconds() / 86400


def figures(requests) -> dict:
    """`requests`: a ServiceRequest queryset (e.g. one programme's). Times run from the request
    being made to the first time it was accepted, and to its delivery being recorded."""
    rows = list(
        requests.select_related("service__provider", "referring_organisation").order_by("pk")
    )
    reached = defaultdict(dict)  # request pk -> status -> first time it got there
    events = RequestEvent.objects.filter(
        request__in=[r.pk for r in rows],
        to_status__in=[RequestStatus.ACCEPTED, RequestStatus.DELIVERED],
    ).order_by("at", "pk")
    for event in events:
        reached[event.request_id].setdefault(event.to_status, event.at)
    partners: dict[int, PartnerFigures] = {}

    def partner(organisation) -> PartnerFigures:
        if organisation.pk not in partners:
            partners[organisation.pk] = PartnerFigures(organisation)
        return partners[organisation.pk]

    requested, declined = Counter(), Counter()
    for request in rows:
        if request.referring_organisation:
            partner(request.referring_organisation).sent += 1
        receiver = partner(request.service.provider)
        receiver.received += 1
        receiver.open += request.is_open
        receiver.declined += request.status == RequestStatus.DECLINED
        receiver.delivered += request.status == RequestStatus.DELIVERED
        times = reached[request.pk]
        if RequestStatus.ACCEPTED in times:
            receiver.days_to_accept.append(_days(request.created_at, times[RequestStatus.ACCEPTED]))
        if RequestStatus.DELIVERED in times:
            receiver.days_to_deliver.append(
                _days(request.created_at, times[RequestStatus.DELIVERED])
            )
        requested[request.service] += 1
        if request.status == RequestStatus.DECLINED:
            declined[request.service] += 1
    return {
        "partners": sorted(partners.values(), key=lambda p: p.organisation.name),
        "most_requested": requested.most_common(TOP),
        "most_declined": declined.most_common(TOP),
        "total": len(rows),
    }


def for_programme(programme) -> dict:
    return figures(ServiceRequest.objects.filter(service__programme=programme))
