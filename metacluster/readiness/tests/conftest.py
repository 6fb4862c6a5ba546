"""Fixtures of the readiness tests: the shipped instrument, answers that make a known result,
a readiness service in the catalogue, and assessments in each state."""

from datetime import date

import pytest
import time_machine

from metacluster.readiness import instruments
from metacluster.readiness.workflows import complete_assessment, save_answers, start_assessment
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Service


@pytest.fixture(autouse=True)
def _in_programme_period():
    # The test programme runs 2020–2022; completing "today" then falls inside it.
    with time_machine.travel(date(2021, 6, 15), tick=True):
        yield


@pytest.fixture
def instrument():
    return instruments.load(instruments.latest_version())


def answers_of(instrument, value, **overrides):
    answers = {item.id: value for item in instrument.items}
    answers.update(overrides)
    return answers


@pytest.fixture
def readiness_service(programme, partner_org):
    return Service.objects.create(
        programme=programme,
        provider=partner_org,
        kind=ServiceKind.READINESS,
        name="Export readiness check",
        unit="sessions",
        value_per_unit=350,
    )


@pytest.fixture
def draft(company, sme_user):
    """The SME's own unfinished assessment, run by the lead partner (its responsible partner)."""
    from metacluster.programmes.models import Programme

    return start_assessment(Programme.objects.get(acronym="tep"), company, by=sme_user)


def finish(assessment, answers, *, by, assessed_on=None):
    save_answers(assessment, answers, expected_version=assessment.version)
    return complete_assessment(
        assessment, by=by, expected_version=assessment.version, assessed_on=assessed_on
    )


@pytest.fixture
def completed(draft, instrument, sme_user):
    return finish(draft, answers_of(instrument, 2), by=sme_user)
