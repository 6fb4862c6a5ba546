"""A company's records of every kind, `n` of each, for the hub's and home pages' tests."""

from datetime import date, time, timedelta

from django.utils import timezone

from metacluster.companies.models import Contact, Note
from metacluster.deals.models import Deal
from metacluster.events.choices import ParticipantKind
from metacluster.events.models import Event, Meeting, MeetingRequest, Participant, Session
from metacluster.readiness.models import Assessment
from metacluster.servicerequests.models import ServiceRequest
from metacluster.services.models import Delivery


def fill(company, programme, service, organisation, n: int, *, advisor=None) -> None:
    today = timezone.localdate()
    for i in range(n):
        Delivery.objects.create(
            service=service,
            company=company,
            provider=service.provider,
            date=date(2021, 1, 1) + timedelta(days=i),
            quantity=1,
        )
        Deal.objects.create(
            programme=programme,
            company=company,
            partner=organisation,
            market="DE",
            counterpart=f"Buyer {i}",
            value=1000 * (i + 1),
        )
        ServiceRequest.objects.create(
            service=service,
            company=company,
            referring_organisation=organisation,
            requested_by=advisor,
            due_date=today - timedelta(days=1),
        )
        Note.objects.create(
            company=company, organisation=organisation, author=advisor, text=f"Note {i}"
        )
        Contact.objects.create(company=company, name=f"Person {i}", lawful_basis="contract")
        Assessment.objects.create(
            programme=programme,
            company=company,
            organisation=organisation,
            instrument_version="2026-1",
            status="completed",
            completed_at=timezone.now() - timedelta(days=n - i),
            assessed_on=today - timedelta(days=n - i),
            overall=40 + i,
            stage="experimental",
        )
        event = Event.objects.create(programme=programme, title=f"Matchmaking {i}")
        Session.objects.create(
            event=event,
            name="Morning",
            date=today + timedelta(days=7),
            start_time=time(9),
            end_time=time(11),
        )
        event.regenerate_slots()
        sme = Participant.objects.create(
            event=event,
            kind=ParticipantKind.SME,
            company=company,
            organisation=company.name,
            country=company.country,
        )
        buyer = Participant.objects.create(
            event=event,
            kind=ParticipantKind.BUYER,
            organisation=f"Buyer {i}",
            email=f"buyer{i}@example.org",
            country="CN",
            time_zone="Asia/Shanghai",
        )
        request = MeetingRequest.objects.create(
            event=event, sender=buyer, recipient=sme, status="accepted"
        )
        Meeting.objects.create(event=event, request=request, slot=event.slots.first())
