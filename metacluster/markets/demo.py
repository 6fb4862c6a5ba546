"""Demo records of export markets, added to the demo programmes by `metacluster load-demo`:
feasibility studies of engaged companies in the programmes' target markets, some decided (and
so recorded as feasibility-analysis deliveries), some still open."""

from datetime import timedelta

from metacluster.accounts.choices import Role
from metacluster.accounts.models import User
from metacluster.companies.models import Engagement

from . import adapters
from .choices import Decision, Offering
from .models import FeasibilityStudy
from .workflows import feasibility_service, save_study

# Per programme: how many studies, for which offering, in which markets (when the programme
# names no target markets of its own).
PLAN = {
    "ict-meta-cluster": (7, Offering.ICT_SERVICES, ()),
    "sme2go": (5, Offering.GOODS, ("DE", "NO", "GB", "US", "JP", "PL")),
    "4smartgrowth": (3, Offering.GOODS, ()),
}
NOTES = (
    "Strong demand for the product category; buyers expect references from the home market.",
    "Distributor interviews done; pricing must drop about 15 % to compete with local suppliers.",
    "Public procurement dominates; a local partner is the realistic way in.",
    "Data-protection rules require hosting in the market; localisation of the UI needed.",
    "Time-zone gap makes support costly; start with a reseller who runs first-line support.",
)
REQUIREMENTS = (
    "CE marking covers it; local sector certificate takes about six months.",
    "Translate the user interface and contracts; register for VAT.",
    "A branch or subsidiary is needed to bid in public tenders.",
    "",
)


def extend(programmes: dict, rng) -> dict[str, int]:
    """Add feasibility studies to the demo programmes (keyed by acronym); return counts."""
    created = 0
    snapshots: dict[tuple, dict] = {}
    advisors = {}
    for user in User.objects.filter(role__in=[Role.ADVISOR, Role.MANAGER]).order_by("pk"):
        advisors.setdefault(user.organisation_id, user)
    sme_companies = set(
        User.objects.filter(role=Role.SME, username="sme").values_list("company_id", flat=True)
    )
    for acronym, (count, offering, fallback_markets) in PLAN.items():
        programme = programmes.get(acronym)
        if programme is None:
            continue
        markets = list(programme.target_markets.values_list("country", flat=True)) or list(
            fallback_markets
        )
        engagements = list(
            Engagement.objects.filter(programme=programme)
            .select_related("company", "partner")
            .order_by("company__name")
        )
        if not markets or not engagements:
            continue
        # The demo SME user's company first, so that its login shows a study of its own.
        engagements.sort(key=lambda e: e.company_id not in sme_companies)
        can_decide = feasibility_service_exists(programme)
        for index, engagement in enumerate(engagements[:count]):
            company = engagement.company
            market = rng.choice([m for m in markets if m != company.country])
            key = (company.country, offering, market)
            if key not in snapshots:
                snapshots[key] = adapters.snapshot(
                    home=company.country, offering=offering, market=market
                )
            decision = Decision.PENDING
            if can_decide and index % 3 != 2:
                decision = Decision.GO if index % 3 == 0 else Decision.NO_GO
            study = FeasibilityStudy(
                programme=programme,
                company=company,
                market=market,
                offering=offering,
                partner=engagement.partner,
                advisor=advisors.get(engagement.partner_id),
                ranking_snapshot=snapshots[key],
                notes=rng.choice(NOTES),
                certification_needed=rng.random() < 0.4,
                localisation_needed=rng.random() < 0.6,
                legal_entity_needed=rng.random() < 0.3,
                partner_needed=rng.random() < 0.5,
                requirements=rng.choice(REQUIREMENTS),
                decision=decision,
                decided_on=(
                    programme.end_date - timedelta(days=rng.randint(30, 240))
                    if decision != Decision.PENDING
                    else None
                ),
            )
            if FeasibilityStudy.objects.filter(
                programme=programme, company=company, market=market
            ).exists():
                continue
            save_study(study, by=None)
            created += 1
    return {"feasibility studies": created}


def feasibility_service_exists(programme) -> bool:
    return feasibility_service(FeasibilityStudy(programme=programme)) is not None


def remove(programmes, companies) -> None:
    """Delete the studies that would block deleting the demo programmes or companies."""
    from django.db.models import Q

    FeasibilityStudy.objects.filter(Q(programme__in=programmes) | Q(company__in=companies)).delete()
