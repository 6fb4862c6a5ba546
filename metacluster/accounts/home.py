"""The home page of each role: what this person should look at or do today.

- a programme manager: the indicators of their programmes against targets, what changed this
  week, overdue service requests and reports due;
- an advisor: an inbox of work waiting for them, each item one click from done;
- an SME user: "My next steps";
- a viewer: the figures of the programmes they may see, nothing to act on.

Each builder reads through the records' own `visible_to(user)` and costs a fixed number of
queries however many records there are (accounts/tests/test_home.py counts them); lists show
the first few items and say how many there are in all."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

SHOWN = 8  # items per list; the count says how many there are in all
WEEK = timedelta(days=7)
NEW_INTEREST = timedelta(days=14)


def _head(queryset, shown: int = SHOWN) -> dict:
    """The first items and the count of a list, in two queries."""
    return {"items": list(queryset[:shown]), "count": queryset.count()}


def role_of(user) -> str:
    if user.is_sme:
        return "sme"
    if user.is_manager:
        return "manager"
    if user.can_edit_records:
        return "advisor"
    return "viewer"


def indicators(programmes) -> list[dict]:
    """Per programme, each indicator's achieved value against its target."""
    from metacluster.programmes.kpis import DefinitionError, figures

    rows = []
    for programme in programmes:
        items = []
        for indicator in programme.indicators.all():
            try:
                achieved = figures(indicator).achieved
            except DefinitionError:
                achieved = None
            percent = (
                round(100 * achieved / indicator.target)
                if achieved is not None and indicator.target
                else None
            )
            items.append({"indicator": indicator, "achieved": achieved, "percent": percent})
        rows.append({"programme": programme, "indicators": items})
    return rows


def manager(user) -> dict:
    from metacluster.companies.models import Engagement, StageChange
    from metacluster.deals.models import Deal
    from metacluster.programmes.models import Programme
    from metacluster.reporting.models import ReportingPeriod
    from metacluster.servicerequests.models import ServiceRequest
    from metacluster.services.models import Delivery

    now = timezone.now()
    today = timezone.localdate()
    programmes = list(Programme.objects.managed_by(user).prefetch_related("indicators"))
    changes = (
        StageChange.objects.filter(
            engagement__in=Engagement.objects.visible_to(user), changed_at__gte=now - WEEK
        )
        .select_related("engagement__company", "engagement__programme", "changed_by")
        .order_by("-changed_at")
    )
    deals = Deal.objects.visible_to(user)
    reports_due = (
        ReportingPeriod.objects.visible_to(user)
        .filter(programme__in=programmes, report__isnull=True)
        .filter(Q(due_on__lte=today + timedelta(days=30)) | Q(due_on__isnull=True, end__lt=today))
        .select_related("programme")
        .order_by("due_on", "end")
    )
    return {
        "indicators": indicators(programmes),
        "changes": _head(changes),
        "week": {
            "deals_opened": deals.filter(opened_on__gte=today - WEEK).count(),
            "deals_won": deals.filter(stage="won", closed_on__gte=today - WEEK).count(),
            "deliveries": Delivery.objects.visible_to(user).filter(date__gte=today - WEEK).count(),
        },
        "overdue": _head(
            ServiceRequest.objects.visible_to(user)
            .overdue()
            .select_related("service__provider", "company")
            .order_by("due_date")
        ),
        "reports_due": _head(reports_due),
        "today": today,
    }


def inbox(user) -> dict:
    """The advisor's inbox: lists of work waiting for the user's organisation."""
    from metacluster.companies.models import Engagement
    from metacluster.deals.models import Deal
    from metacluster.events.models import Event, Meeting, MeetingRequest
    from metacluster.matchmaking.models import Interest
    from metacluster.readiness.models import Assessment
    from metacluster.servicerequests.choices import RequestStatus
    from metacluster.servicerequests.models import ServiceRequest

    now = timezone.now()
    org = user.organisation_id
    requests = ServiceRequest.objects.visible_to(user).select_related(
        "service__provider", "company"
    )
    ours = Q(referring_organisation_id=org) | Q(service__provider_id=org)
    open_requests = ServiceRequest.objects.open().filter(company=OuterRef("company"))
    open_deals = Deal.objects.open().filter(
        company=OuterRef("company"), programme=OuterRef("programme")
    )
    drafts = Assessment.objects.drafts().filter(company=OuterRef("company"))
    upcoming = Meeting.objects.scheduled().filter(
        Q(request__sender__company=OuterRef("company"))
        | Q(request__recipient__company=OuterRef("company")),
        slot__start__gte=now,
    )
    stalled = (
        Engagement.objects.visible_to(user)
        .filter(partner_id=org)
        .exclude(stage="first_sale")
        .filter(~Exists(open_requests), ~Exists(open_deals), ~Exists(drafts), ~Exists(upcoming))
        .select_related("company", "programme")
        .order_by("stage_changed_at")
    )
    return {
        "to_accept": _head(
            requests.received_by(user).filter(status=RequestStatus.REQUESTED).order_by("created_at")
        ),
        "overdue": _head(requests.filter(ours).overdue().order_by("due_date")),
        # Pending requests to the companies the user's organisation looks after, in events
        # it organises: a nudge to the SME, or an answer on its behalf, is one click away.
        "meeting_requests": _head(
            MeetingRequest.objects.visible_to(user)
            .filter(
                status="pending",
                event__in=Event.objects.organised_by(user),
                recipient__company__in=Engagement.objects.filter(partner_id=org).values(
                    "company_id"
                ),
            )
            .select_related("event", "sender", "recipient")
            .order_by("expires_at")
        ),
        "assessments": _head(
            Assessment.objects.visible_to(user)
            .drafts()
            .filter(organisation_id=org)
            .select_related("company", "programme")
            .order_by("updated_at")
        ),
        "interests": _head(
            Interest.objects.visible_to(user)
            .filter(
                opportunity__partner_id=org,
                deal__isnull=True,
                created_at__gte=now - NEW_INTEREST,
            )
            .select_related("company", "opportunity")
            .order_by("-created_at")
        ),
        "stalled": _head(stalled),
    }


INBOX_LISTS = ("to_accept", "overdue", "meeting_requests", "assessments", "interests", "stalled")


def inbox_count(user) -> int:
    """The number on the menu's badge: everything in the inbox."""
    if role_of(user) != "advisor" or not user.organisation_id:
        return 0
    found = inbox(user)
    return sum(found[name]["count"] for name in INBOX_LISTS)


def sme(user) -> dict:
    """The SME's next steps: the assessment to finish, services its result recommends, its
    best matches, its next meeting and its open requests."""
    from metacluster.events.models import Meeting
    from metacluster.matchmaking import adapters
    from metacluster.matchmaking.models import Opportunity
    from metacluster.programmes.models import Programme
    from metacluster.readiness.models import Assessment
    from metacluster.servicerequests.models import ServiceRequest
    from metacluster.services.models import Service

    company = user.company
    now = timezone.now()
    assessments = list(
        Assessment.objects.visible_to(user).select_related("programme").order_by("-created_at")
    )
    drafts = [a for a in assessments if a.is_draft]
    completed = [a for a in assessments if not a.is_draft]
    programmes = list(Programme.objects.visible_to(user))
    to_start = [] if assessments else programmes
    recommended = []
    open_requests = list(
        ServiceRequest.objects.visible_to(user).open().select_related("service__provider")
    )
    if completed:
        latest = completed[0]
        kinds = [r.service for r in latest.result().recommendations]
        requested = {r.service_id for r in open_requests}
        services = (
            Service.objects.filter(programme=latest.programme, kind__in=kinds)
            .active()
            .select_related("provider")
        )
        recommended = [(latest, s, s.pk in requested) for s in services[:SHOWN]]
    published = Q(event__scheduling_mode="self") | ~Q(event__agenda_status="draft")
    next_meeting = (
        Meeting.objects.visible_to(user)
        .scheduled()
        .filter(published, slot__end__gte=now)
        .select_related("event", "slot", "request__sender", "request__recipient")
        .order_by("slot__start")
        .first()
    )
    if next_meeting is not None:
        sender = next_meeting.request.sender
        next_meeting.counterpart = (
            next_meeting.request.recipient if sender.company_id == company.pk else sender
        )
    _mode, ranked = adapters.opportunities_for(
        company, Opportunity.objects.visible_to(user), top=3, viewer=user
    )
    return {
        "company": company,
        "drafts": drafts,
        "to_start": to_start,
        "recommended": recommended,
        "matches": ranked,
        "next_meeting": next_meeting,
        "requests": open_requests[:SHOWN],
    }


def viewer(user) -> dict:
    from metacluster.programmes.models import Programme

    programmes = list(Programme.objects.visible_to(user).prefetch_related("indicators"))
    return {"indicators": indicators(programmes)}
