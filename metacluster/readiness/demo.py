"""Demo records of export readiness, added to the demo programmes by `metacluster load-demo`.

Every export readiness delivery of the base demo becomes a completed assessment on the day of
the delivery, by the partner that delivered it (a company served twice was re-assessed, with
better answers). Answers are drawn around a level that rises with the company's pipeline stage,
so the figures look like a programme's. The `sme` user's company has two assessments in
4SmartGrowth and an unfinished one in ICT Meta Cluster. No engagement is moved and no
indicator changes: the deliveries already existed, except the two made for the SME's company,
which was already counted as supported in that programme."""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from metacluster.accounts.models import User
from metacluster.companies.choices import Stage
from metacluster.companies.models import Engagement
from metacluster.core.readiness import score
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Delivery

from . import instruments
from .choices import AssessmentStatus
from .models import Assessment, ProgrammeInstrument

LEVEL = {
    Stage.IDENTIFIED: 1.4,
    Stage.CONTACTED: 1.8,
    Stage.ASSESSED: 2.2,
    Stage.SUPPORTED: 2.6,
    Stage.EXPORTING: 3.2,
    Stage.FIRST_SALE: 3.6,
}


def _answers(instrument, rng, level: float, offsets: dict[str, float], dont_know=0.04) -> dict:
    answers = {}
    for item in instrument.items:
        if rng.random() < dont_know:
            answers[item.id] = None
            continue
        value = level + offsets[item.dimension] + rng.gauss(0, 0.8)
        answers[item.id] = max(0, min(5, round(value)))
    return answers


def _completed(instrument, programme, company, organisation, on: date, answers, rng, **extra):
    result = score(instrument, answers)
    completed_at = datetime.combine(on, time(13, rng.randrange(60)), tzinfo=UTC)
    return Assessment(
        programme=programme,
        company=company,
        organisation=organisation,
        instrument_version=instrument.version,
        answers=answers,
        status=AssessmentStatus.COMPLETED,
        shared=rng.random() < 0.6,
        created_at=completed_at - timedelta(days=rng.randrange(0, 10), hours=2),
        assessed_on=on,
        completed_at=completed_at,
        overall=result.overall,
        completeness=result.completeness,
        stage=result.stage or "",
        dimension_scores={k: d.score for k, d in result.dimensions.items()},
        axis_scores=dict(result.axes),
        **extra,
    )


def extend(programmes: dict, rng) -> dict[str, int]:
    """Add this app's demo records to the demo programmes (keyed by acronym); return counts."""
    instrument = instruments.load(instruments.latest_version())
    sme = User.objects.filter(username="sme").select_related("company").first()
    rows: list[Assessment] = []
    for programme in programmes.values():
        ProgrammeInstrument.objects.update_or_create(
            programme=programme, defaults={"version": instrument.version}
        )
        stages = dict(
            Engagement.objects.filter(programme=programme).values_list("company_id", "stage")
        )
        served = defaultdict(list)
        deliveries = (
            Delivery.objects.filter(
                service__programme=programme, service__kind=ServiceKind.READINESS
            )
            .select_related("company", "provider")
            .order_by("date", "pk")
        )
        for delivery in deliveries:
            served[delivery.company_id].append(delivery)
        for company_deliveries in served.values():
            company = company_deliveries[0].company
            level = LEVEL.get(stages.get(company.pk), 2.0)
            offsets = {d.id: rng.gauss(0, 0.6) for d in instrument.dimensions}
            for n, delivery in enumerate(company_deliveries[:2]):
                # Re-assessed after support: higher, most of all where the gaps were.
                if n:
                    level += 0.5
                    offsets = {k: v + max(0.0, -v) * 0.5 for k, v in offsets.items()}
                answers = _answers(instrument, rng, level, offsets)
                rows.append(
                    _completed(
                        instrument,
                        programme,
                        company,
                        delivery.provider,
                        delivery.date,
                        answers,
                        rng,
                        delivery=delivery,
                        completed_by=None,
                    )
                )
        # One company the programme has only contacted is half-way through its questionnaire.
        assessed = set(served)
        contacted = (
            Engagement.objects.filter(programme=programme, stage=Stage.CONTACTED)
            .exclude(company_id__in=assessed)
            .select_related("company", "partner")
            .order_by("company__name")
            .first()
        )
        if contacted:
            offsets = {d.id: rng.gauss(0, 0.5) for d in instrument.dimensions}
            answers = _answers(instrument, rng, 1.8, offsets)
            half = dict(list(answers.items())[: len(answers) // 2])
            rows.append(
                Assessment(
                    programme=programme,
                    company=contacted.company,
                    organisation=contacted.partner,
                    instrument_version=instrument.version,
                    answers=half,
                    created_at=datetime.combine(programme.end_date, time(10), tzinfo=UTC),
                )
            )
    if sme is not None:
        rows += _sme_assessments(sme, programmes, instrument, rng)
    Assessment.objects.bulk_create(rows)
    return {"readiness assessments": len(rows)}


def _sme_assessments(sme, programmes, instrument, rng) -> list[Assessment]:
    """The demo SME's company: assessed twice in 4SmartGrowth (after coaching its market
    knowledge improved most), and an assessment under way in ICT Meta Cluster."""
    company = sme.company
    rows = []
    foursg = programmes.get("4smartgrowth")
    service = (
        foursg.services.filter(kind=ServiceKind.READINESS).select_related("provider").first()
        if foursg
        else None
    )
    if foursg and service and Engagement.objects.filter(programme=foursg, company=company).exists():
        offsets = {d.id: rng.gauss(0, 0.4) for d in instrument.dimensions}
        offsets["relationships"] = -1.2
        offsets["offering"] = 0.6
        for on, level in ((date(2019, 9, 10), 2.0), (date(2020, 11, 18), 2.9)):
            answers = _answers(instrument, rng, level, offsets, dont_know=0.02)
            delivery = Delivery.objects.create(
                service=service,
                company=company,
                provider=service.provider,
                date=on,
                quantity=1,
                notes="Export readiness assessment",
            )
            row = _completed(
                instrument,
                foursg,
                company,
                service.provider,
                on,
                answers,
                rng,
                delivery=delivery,
                completed_by=sme,
            )
            row.shared = True
            rows.append(row)
            offsets["relationships"] += 1.0  # the market analysis and matchmaking helped
    ict = programmes.get("ict-meta-cluster")
    engagement = Engagement.objects.filter(programme=ict, company=company).first() if ict else None
    if engagement:
        offsets = {d.id: rng.gauss(0, 0.4) for d in instrument.dimensions}
        answers = _answers(instrument, rng, 3.4, offsets, dont_know=0)
        rows.append(
            Assessment(
                programme=ict,
                company=company,
                organisation=engagement.partner,
                instrument_version=instrument.version,
                answers=dict(list(answers.items())[:12]),
                started_by=sme,
            )
        )
    return rows


def remove(programmes, companies) -> None:
    """Delete this app's records that would block deleting the demo programmes or companies."""
    Assessment.objects.filter(programme__in=programmes).delete()
    Assessment.objects.filter(company__in=companies).delete()
    ProgrammeInstrument.objects.filter(programme__in=programmes).delete()
