"""Running an assessment: start, answer, complete (which scores it, records the export
readiness delivery and moves the pipeline stage to assessed)."""

from datetime import UTC, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metacluster.companies.choices import Stage
from metacluster.companies.models import Engagement, engage
from metacluster.core.readiness import InvalidAnswers, clean_answers
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Delivery
from metacluster.services.workflows import record_delivery

from .choices import AssessmentStatus
from .models import Assessment, ProgrammeInstrument


def assessing_partner(programme, company, by):
    """Staff assess for their own organisation; when an SME starts, the partner responsible
    for it in the programme runs the assessment."""
    if by is not None and not by.is_sme and by.organisation_id:
        return by.organisation
    engagement = Engagement.objects.filter(programme=programme, company=company).first()
    if engagement is None:
        raise ValidationError({"programme": _("The company does not take part in this programme.")})
    return engagement.partner


def start_assessment(programme, company, *, by, organisation=None) -> Assessment:
    """The company's unfinished assessment in the programme, or a new one with the
    programme's current instrument version."""
    existing = Assessment.objects.drafts().filter(programme=programme, company=company).first()
    if existing:
        return existing
    assessment = Assessment(
        programme=programme,
        company=company,
        organisation=organisation or assessing_partner(programme, company, by),
        instrument_version=ProgrammeInstrument.version_for(programme),
        started_by=by,
    )
    assessment.full_clean()
    with transaction.atomic():
        assessment.save()
    return assessment


def answer_errors(assessment: Assessment, answers) -> dict[str, str]:
    """Item id → message for answers the instrument refuses; empty if all are valid."""
    try:
        clean_answers(assessment.instrument, answers)
    except InvalidAnswers as error:
        return error.errors
    return {}


def save_answers(assessment: Assessment, answers: dict, *, expected_version: int) -> Assessment:
    """Merge `answers` (item id → 0–5, or None for "don't know") into an unfinished
    assessment. Nothing is saved if any answer is invalid (ValidationError naming the items)
    or if someone saved in between (StaleEdit)."""
    if not assessment.is_draft:
        raise ValidationError(_("A completed assessment cannot be changed; start a new one."))
    errors = answer_errors(assessment, answers)
    if errors:
        raise ValidationError({f"answers.{item}": [message] for item, message in errors.items()})
    assessment.answers = {**assessment.answers, **answers}
    assessment.save_versioned(expected_version)
    return assessment


def unanswered(assessment: Assessment) -> list[str]:
    return [item.id for item in assessment.instrument.items if item.id not in assessment.answers]


def complete_assessment(
    assessment: Assessment, *, by, expected_version: int, assessed_on=None
) -> Assessment:
    """Score and close an assessment, count it as an export readiness delivery, and move the
    company's pipeline stage to assessed if it was not there yet; all or nothing.

    Every item must be answered or marked "don't know", and enough must be answered for a
    reliable score. The delivery is recorded when the programme's catalogue has an active
    export readiness service and the date lies in the programme period; otherwise the
    assessment is still completed and `delivery_note` says why nothing was counted."""
    if not assessment.is_draft:
        raise ValidationError(_("This assessment is already completed."))
    missing = unanswered(assessment)
    if missing:
        raise ValidationError(
            {
                f"answers.{item}": [_("Answer this question, or choose “Don't know”.")]
                for item in missing
            }
        )
    result = assessment.result()
    if not result.reliable:
        raise ValidationError(
            _(
                "Too many questions are answered “Don't know” for a reliable score: answer at "
                "least %(share)s %% of the questionnaire (by weight)."
            )
            % {"share": round(100 * assessment.instrument.min_completeness)}
        )
    now = timezone.now()
    assessment.status = AssessmentStatus.COMPLETED
    assessment.completed_at = now
    assessment.completed_by = by
    assessment.assessed_on = assessed_on or timezone.localdate()
    assessment.overall = result.overall
    assessment.completeness = result.completeness
    assessment.stage = result.stage or ""
    assessment.dimension_scores = {k: d.score for k, d in result.dimensions.items()}
    assessment.axis_scores = dict(result.axes)
    assessment.full_clean()
    with transaction.atomic():
        assessment.save_versioned(expected_version)
        record_readiness_delivery(assessment, by=by)
        move_to_assessed(assessment, by=by)
    return assessment


def readiness_service(assessment: Assessment):
    """The catalogue's export readiness service that this assessment counts as: the assessing
    partner's own if it offers one, else the responsible partner's, else any partner's."""
    services = assessment.programme.services.active().filter(kind=ServiceKind.READINESS)
    engagement = Engagement.objects.filter(
        programme=assessment.programme, company=assessment.company
    ).first()
    preferred = [assessment.organisation_id, engagement.partner_id if engagement else None]
    for provider_id in preferred:
        service = services.filter(provider_id=provider_id).first()
        if service:
            return service
    return services.order_by("provider__name", "pk").first()


def record_readiness_delivery(assessment: Assessment, *, by) -> Delivery | None:
    """Record the assessment as one unit of the programme's export readiness service; on a
    reason not to, leave the reason in `delivery_note` and record nothing."""
    if assessment.delivery_id:
        return assessment.delivery
    service = readiness_service(assessment)
    if service is None:
        assessment.delivery_note = _(
            "Not counted as a delivery: the programme's catalogue has no export readiness "
            "service. A programme manager can add one; the delivery can then be recorded here."
        )
    else:
        delivery = Delivery(
            service=service,
            company=assessment.company,
            provider=service.provider,
            advisor=by if by is not None and not by.is_sme else None,
            date=assessment.assessed_on,
            quantity=1,
            notes=_("Export readiness assessment no. %(id)s") % {"id": assessment.pk},
        )
        try:
            with transaction.atomic():
                record_delivery(delivery, by=by)
        except ValidationError as error:
            assessment.delivery_note = (
                _("Not counted as a delivery: %(reason)s") % {"reason": " ".join(error.messages)}
            )[:300]
        else:
            assessment.delivery = delivery
            assessment.delivery_note = ""
    Assessment.objects.filter(pk=assessment.pk).update(
        delivery=assessment.delivery, delivery_note=assessment.delivery_note
    )
    return assessment.delivery


def move_to_assessed(assessment: Assessment, *, by) -> None:
    """Move the company's engagement forward to assessed; a company further along stays."""
    completed = datetime.combine(assessment.assessed_on, time(12), tzinfo=UTC)
    engagement = engage(
        assessment.company, assessment.programme, assessment.organisation, by=by, at=completed
    )
    engagement.refresh_from_db()
    if Stage.rank(engagement.stage) < Stage.rank(Stage.ASSESSED):
        # Never before the stage it is leaving, so the history stays in order.
        at = max(completed, engagement.stage_changed_at)
        engagement.move_to(
            Stage.ASSESSED, by=by, note=_("Export readiness assessment completed"), at=at
        )
