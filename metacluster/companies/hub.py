"""The company hub: everything about one company an advisor (or the SME itself) works on.

The hub is one page of sections — programmes, readiness, markets, matches, events, service
requests, deals, deliveries and state aid, notes and contacts. Each section is built here by a
function `(company, user, back) -> dict` and drawn by `companies/hub/_<name>.html`, so that
the company view can render the whole page or, for htmx, one section alone. Every section
reads the records of this company through the records' own `visible_to(user)`, so the hub
never shows more than the pages it links to; and every section costs a fixed number of
queries, however many records the company has (tests/test_hub.py counts them).

Each section carries its one action (start an assessment, request a service, record a deal,
...) as a link with `next=` the hub, so that the action returns here when it is done."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.nexturl import with_next

# Below this score a match is shown as weak: worth a look, not a call.
WEAK_MATCH = 0.35
TOP_MARKETS = 5
TOP_MATCHES = 5
RECENT = 10  # deliveries, meetings ... shown on the hub; the full lists are one click away


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    build: Callable
    sme: bool = True  # shown on an SME user's own hub
    lazy: bool = False  # computed (rankings, matches): loaded by htmx after the page


def _programmes(company, user, back):
    from metacluster.programmes.models import Programme

    from .forms import StageForm
    from .models import Engagement

    engagements = (
        Engagement.objects.visible_to(user)
        .filter(company=company)
        .select_related("programme", "partner")
        .prefetch_related("history__changed_by")
    )
    recordable = set(Programme.objects.recordable_by(user).values_list("pk", flat=True))
    return {
        "engagements": [
            (
                e,
                StageForm(initial={"stage": e.stage, "version": e.version}),
                e.programme_id in recordable and not user.is_sme,
            )
            for e in engagements
        ]
    }


def _readiness(company, user, back):
    from metacluster.readiness.models import Assessment

    assessments = list(
        Assessment.objects.visible_to(user).filter(company=company).select_related("programme")
    )
    completed = [a for a in assessments if not a.is_draft]
    completed.sort(key=lambda a: (a.completed_at, a.pk), reverse=True)
    latest = completed[0] if completed else None
    previous = completed[1] if len(completed) > 1 else None
    trend = None
    if latest and previous and latest.overall is not None and previous.overall is not None:
        trend = round(latest.overall - previous.overall, 1)
    drafts = [a for a in assessments if a.is_draft and a.is_answerable_by(user)]
    can_start = user.is_sme or (user.can_edit_records and not user.is_sme)
    # One click starts: a POST per programme (readiness:start), the SME for itself, staff
    # in the programmes they record in.
    from metacluster.programmes.models import Programme

    busy = {a.programme_id for a in assessments if a.is_draft}
    sme_programmes, start_programmes = [], []
    if user.is_sme and user.company_id == company.pk:
        sme_programmes = [p for p in Programme.objects.visible_to(user) if p.pk not in busy]
    elif can_start and company.kind == "sme":
        start_programmes = [
            p
            for p in Programme.objects.recordable_by(user).filter(engagements__company=company)
            if p.pk not in busy
        ]
    return {
        "latest": latest,
        "previous": previous,
        "trend": trend,
        "drafts": drafts,
        "can_start": can_start and not drafts and not user.is_sme,
        "sme_programmes": sme_programmes,
        "start_programmes": start_programmes,
        "start_url": with_next(reverse("readiness:start"), back, company=company.pk),
        "count": len(completed),
    }


def offering_of(company) -> str:
    """What the company sells abroad, for its market ranking: its latest feasibility study's
    offering, else guessed from its main activity (manufacturing sells goods)."""
    from metacluster.markets.choices import Offering

    study = company.feasibility_studies.order_by("-created_at").values("offering").first()
    if study:
        return study["offering"]
    code = company.nace_primary or ""
    if code[:2].isdigit() and 10 <= int(code[:2]) <= 33:
        return Offering.GOODS
    return Offering.ICT_SERVICES


def _markets(company, user, back):
    from metacluster.core.markets import InvalidRanking, rank
    from metacluster.markets import adapters
    from metacluster.markets.models import FeasibilityStudy
    from metacluster.programmes.models import Programme

    offering = offering_of(company)
    try:
        ranking = rank(adapters.ranking_data(), home=company.country, offering=offering)
        top = ranking.markets[:TOP_MARKETS]
    except (InvalidRanking, ValueError, KeyError):
        top = []
    studies = {
        s.market: s
        for s in FeasibilityStudy.objects.visible_to(user).filter(company=company).order_by("pk")
    }
    engaged = list(
        Programme.objects.recordable_by(user)
        .filter(engagements__company=company)
        .values_list("pk", flat=True)[:2]
    )
    can_study = not user.is_sme and bool(engaged)
    only = engaged[0] if len(engaged) == 1 else None  # preselected when there is one
    compare = (
        reverse("markets:compare")
        + "?"
        + "&".join(
            [f"home={company.country}", f"offering={offering}"]
            + [f"m={m.country.iso3}" for m in top]
        )
    )
    return {
        "offering": offering,
        "markets": [
            (
                m,
                studies.get(m.country.iso2),
                with_next(
                    reverse("markets:study_create"),
                    back,
                    company=company.pk,
                    market=m.country.iso2,
                    offering=offering,
                    programme=only,
                ),
            )
            for m in top
        ],
        "studies": list(studies.values()),
        "compare_url": compare,
        "ranking_url": reverse("markets:index") + f"?home={company.country}&offering={offering}",
        "can_study": can_study,
    }


def _matches(company, user, back):
    from metacluster.matchmaking import adapters
    from metacluster.matchmaking.models import Opportunity
    from metacluster.matchmaking.views import _capability_names
    from metacluster.programmes.models import Programme

    _mode, ranked = adapters.opportunities_for(
        company, Opportunity.objects.visible_to(user), top=TOP_MATCHES, viewer=user
    )
    return {
        "ranked": [(item, item.match.score < WEAK_MATCH) for item in ranked],
        "weak_below": WEAK_MATCH,
        "capability_names": _capability_names(Programme.objects.visible_to(user)),
        "all_url": reverse("matchmaking:company", args=[company.pk]),
    }


def _events(company, user, back):
    from metacluster.events.models import Event, Meeting, Participant

    taking_part = list(
        Participant.objects.visible_to(user)
        .filter(company=company)
        .select_related("event")
        .order_by("-event__created_at")[:RECENT]
    )
    meetings = list(
        Meeting.objects.visible_to(user)
        .filter(Q(request__sender__company=company) | Q(request__recipient__company=company))
        .select_related("event", "slot", "request__sender", "request__recipient")
        .order_by("-slot__start")[:RECENT]
    )
    for meeting in meetings:
        sender = meeting.request.sender
        meeting.counterpart = (
            meeting.request.recipient if sender.company_id == company.pk else sender
        )
    joinable = []
    if not user.is_sme:
        today = timezone.localdate()
        joinable = list(
            Event.objects.organised_by(user)
            .filter(programme__engagements__company=company, sessions__date__gte=today)
            .exclude(participants__company=company)
            .distinct()
            .order_by("created_at")[:RECENT]
        )
    return {
        "taking_part": taking_part,
        "meetings": meetings,
        "joinable": joinable,
        "now": timezone.now(),
    }


def _requests(company, user, back):
    from metacluster.servicerequests.models import ServiceRequest

    requests = list(
        ServiceRequest.objects.visible_to(user)
        .filter(company=company)
        .select_related("service__provider", "referring_organisation")[:RECENT]
    )
    for r in requests:
        # In: asked of the user's organisation; out: asked by it (or by the SME itself).
        r.direction = (
            "in" if not user.is_sme and r.service.provider_id == user.organisation_id else "out"
        )
    can_request = (user.is_sme and user.company_id == company.pk) or (
        user.can_edit_records and not user.is_sme
    )
    return {
        "requests": requests,
        "can_request": can_request,
        "new_url": with_next(reverse("requests:new"), back, company=company.pk),
    }


def _deals(company, user, back):
    from metacluster.deals.models import Deal
    from metacluster.programmes.models import Programme

    deals = list(
        Deal.objects.visible_to(user).filter(company=company).select_related("programme")[:RECENT]
    )
    can_record = not user.is_sme and Programme.objects.recordable_by(user).exists()
    # A new deal is most often in the market the company last studied.
    from metacluster.markets.models import FeasibilityStudy

    studied = (
        FeasibilityStudy.objects.visible_to(user)
        .filter(company=company)
        .exclude(decision="no_go")
        .order_by("-created_at")
        .values_list("market", flat=True)
        .first()
    )
    return {
        "deals": deals,
        "can_record": can_record,
        "new_url": with_next(
            reverse("deals:create"), back, company=company.pk, market=studied or None
        ),
    }


def _deliveries(company, user, back):
    from metacluster.programmes.models import Programme
    from metacluster.services.models import Delivery
    from metacluster.stateaid.ledger import standings

    deliveries = list(
        Delivery.objects.visible_to(user)
        .filter(company=company)
        .select_related("service", "provider")[:RECENT]
    )
    recordable = list(
        Programme.objects.recordable_by(user)
        .filter(engagements__company=company)
        .distinct()
        .values_list("acronym", flat=True)
    )
    try:
        standing = standings([company.pk])[company.pk]
    except (KeyError, ValueError):
        standing = None
    return {
        "deliveries": deliveries,
        "standing": standing,
        "record_urls": [
            (
                acronym,
                with_next(
                    reverse("services:delivery_new", args=[acronym]), back, company=company.pk
                ),
            )
            for acronym in ([] if user.is_sme else recordable)
        ],
    }


def _notes(company, user, back):
    from .forms import NoteForm
    from .models import Merge, Note

    own = user.is_sme and user.company_id == company.pk
    return {
        "notes": []
        if user.is_sme
        else list(
            Note.objects.visible_to(user)
            .filter(company=company)
            .select_related("organisation", "author")
        ),
        "contacts": list(company.contacts.all()) if not user.is_sme or own else [],
        "can_note": bool(user.organisation_id) and not user.is_sme,
        "note_form": NoteForm(),
        "can_edit": type(company).objects.editable_by(user).filter(pk=company.pk).exists(),
        "merges": []
        if user.is_sme
        else list(Merge.objects.filter(survivor=company).select_related("merged", "merged_by")),
    }


SECTIONS = [
    Section("programmes", _("Programmes"), _programmes),
    Section("readiness", _("Export readiness"), _readiness),
    Section("markets", _("Markets"), _markets, lazy=True),
    Section("matches", _("Matches"), _matches, lazy=True),
    Section("events", _("Events and meetings"), _events),
    Section("requests", _("Service requests"), _requests),
    Section("deals", _("Deals"), _deals),
    Section("deliveries", _("Services received and state aid"), _deliveries),
    Section("notes", _("Notes and contacts"), _notes),
]
BY_NAME = {section.name: section for section in SECTIONS}


def sections_for(user) -> list[Section]:
    return [s for s in SECTIONS if s.sme or not user.is_sme]
