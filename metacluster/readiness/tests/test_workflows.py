"""Specification of running an assessment: start, save answers, complete; the delivery it
counts as and the pipeline stage it moves."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from metacluster.companies.choices import Stage
from metacluster.companies.models import Engagement
from metacluster.readiness.choices import AssessmentStatus
from metacluster.readiness.models import Assessment, ProgrammeInstrument
from metacluster.readiness.workflows import complete_assessment, save_answers, start_assessment
from metacluster.services.models import Delivery
from metacluster.versioning import StaleEdit

from .conftest import answers_of, finish


def test_an_sme_starts_an_assessment_run_by_its_responsible_partner(draft, lead_org, instrument):
    assert draft.organisation == lead_org
    assert draft.status == AssessmentStatus.DRAFT
    assert draft.instrument_version == instrument.version


def test_an_advisor_starts_one_for_their_own_organisation(programme, other_company, advisor):
    assessment = start_assessment(programme, other_company, by=advisor)
    assert assessment.organisation == advisor.organisation


def test_starting_again_continues_the_unfinished_one(draft, programme, company, sme_user):
    assert start_assessment(programme, company, by=sme_user) == draft
    assert Assessment.objects.count() == 1


def test_an_sme_cannot_start_in_a_programme_it_does_not_take_part_in(
    outsider_programme, company, sme_user
):
    with pytest.raises(ValidationError):
        start_assessment(outsider_programme, company, by=sme_user)


def test_answers_are_saved_in_parts_and_merged(draft):
    save_answers(draft, {"C1": 3}, expected_version=draft.version)
    save_answers(draft, {"C2": None}, expected_version=draft.version)
    draft.refresh_from_db()
    assert draft.answers == {"C1": 3, "C2": None}
    assert draft.progress()[0] == 2


def test_an_invalid_answer_saves_nothing(draft):
    with pytest.raises(ValidationError) as error:
        save_answers(draft, {"C1": 3, "C2": 7, "XX": 1}, expected_version=draft.version)
    assert set(error.value.message_dict) == {"answers.C2", "answers.XX"}
    draft.refresh_from_db()
    assert draft.answers == {}


def test_a_save_based_on_an_old_version_is_refused(draft):
    old = draft.version
    save_answers(draft, {"C1": 3}, expected_version=old)
    stale = Assessment.objects.get(pk=draft.pk)
    stale.version = old
    with pytest.raises(StaleEdit):
        save_answers(stale, {"C1": 1}, expected_version=old)
    draft.refresh_from_db()
    assert draft.answers == {"C1": 3}


def test_completing_needs_every_item_answered_or_dont_know(draft, instrument, sme_user):
    answers = answers_of(instrument, 3)
    del answers["G5"]
    save_answers(draft, answers, expected_version=draft.version)
    with pytest.raises(ValidationError) as error:
        complete_assessment(draft, by=sme_user, expected_version=draft.version)
    assert list(error.value.message_dict) == ["answers.G5"]
    assert Assessment.objects.get(pk=draft.pk).is_draft


def test_too_many_dont_knows_give_no_reliable_score(draft, instrument, sme_user):
    answers = answers_of(instrument, None, C1=4, C2=4)
    save_answers(draft, answers, expected_version=draft.version)
    with pytest.raises(ValidationError, match="reliable"):
        complete_assessment(draft, by=sme_user, expected_version=draft.version)


def test_completing_stores_the_scores(completed):
    assert completed.status == AssessmentStatus.COMPLETED
    assert completed.overall == pytest.approx(40)  # every answer 2 of 5
    assert completed.stage == "experimental"
    assert completed.completeness == pytest.approx(1)
    assert completed.dimension_scores["offering"] == pytest.approx(40)
    assert completed.assessed_on == date(2021, 6, 15)


def test_a_completed_assessment_cannot_be_changed(completed):
    with pytest.raises(ValidationError):
        save_answers(completed, {"C1": 5}, expected_version=completed.version)


def test_completing_counts_as_a_readiness_delivery(draft, instrument, sme_user, readiness_service):
    assessment = finish(draft, answers_of(instrument, 3), by=sme_user)
    delivery = Delivery.objects.get()
    assert assessment.delivery == delivery
    assert (delivery.service, delivery.company, delivery.quantity) == (
        readiness_service,
        assessment.company,
        1,
    )
    assert delivery.date == assessment.assessed_on


def test_the_assessing_partners_own_readiness_service_is_preferred(
    draft, instrument, sme_user, readiness_service, lead_org
):
    own = readiness_service.__class__.objects.create(
        programme=readiness_service.programme,
        provider=lead_org,
        kind="readiness",
        name="Lead's readiness check",
    )
    assessment = finish(draft, answers_of(instrument, 3), by=sme_user)
    assert assessment.delivery.service == own


def test_without_a_readiness_service_it_completes_and_says_why_nothing_was_counted(
    draft, instrument, sme_user
):
    assessment = finish(draft, answers_of(instrument, 3), by=sme_user)
    assert assessment.status == AssessmentStatus.COMPLETED
    assert assessment.delivery is None
    assert "no export readiness service" in assessment.delivery_note
    assert not Delivery.objects.exists()


def test_outside_the_programme_period_it_completes_without_a_delivery(
    draft, instrument, manager, readiness_service
):
    assessment = finish(draft, answers_of(instrument, 3), by=manager, assessed_on=date(2019, 5, 1))
    assert assessment.delivery is None
    assert "programme period" in assessment.delivery_note


def test_completing_moves_the_pipeline_stage_to_assessed(completed, programme, company):
    engagement = Engagement.objects.get(programme=programme, company=company)
    assert engagement.stage == Stage.ASSESSED
    assert engagement.history.last().to_stage == Stage.ASSESSED


def test_a_company_further_along_is_not_moved_back(draft, instrument, sme_user, programme, company):
    engagement = Engagement.objects.get(programme=programme, company=company)
    engagement.move_to(Stage.EXPORTING)
    finish(draft, answers_of(instrument, 3), by=sme_user)
    engagement.refresh_from_db()
    assert engagement.stage == Stage.EXPORTING


@pytest.fixture
def two_versions(tmp_path, monkeypatch):
    """The shipped 2026-1 and a 2027-1 in which the export plan (C1) weighs five times more."""
    import json

    from metacluster.readiness import instruments

    shipped = json.loads((instruments.INSTRUMENT_DIR / "2026-1.json").read_text())
    newer = {**shipped, "version": "2027-1"}
    newer["items"] = [
        {**item, "weight": 7.5} if item["id"] == "C1" else item for item in shipped["items"]
    ]
    (tmp_path / "2026-1.json").write_text(json.dumps(shipped))
    (tmp_path / "2027-1.json").write_text(json.dumps(newer))
    monkeypatch.setattr(instruments, "INSTRUMENT_DIR", tmp_path)
    instruments.load.cache_clear()
    yield
    instruments.load.cache_clear()


def test_an_old_assessment_keeps_its_version_when_the_programme_adopts_a_new_one(
    two_versions, instrument, sme_user, programme, company
):
    answers = answers_of(instrument, 4, C1=0)
    adopted = ProgrammeInstrument.objects.create(programme=programme, version="2026-1")
    old = finish(start_assessment(programme, company, by=sme_user), answers, by=sme_user)
    adopted.version = "2027-1"
    adopted.save()
    new = finish(start_assessment(programme, company, by=sme_user), answers, by=sme_user)

    old.refresh_from_db()
    assert (old.instrument_version, new.instrument_version) == ("2026-1", "2027-1")
    # Same answers, different weights: the heavier unanswered plan pulls the new score down.
    assert new.dimension_scores["competencies"] < old.dimension_scores["competencies"]
    assert old.result().overall == pytest.approx(old.overall)  # still scored by 2026-1
    assert old.overall > new.overall
