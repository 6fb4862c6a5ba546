"""The shipped instruments: every item's service kind is one the catalogue knows."""

from metacluster.readiness import instruments
from metacluster.readiness.choices import ReadinessStage
from metacluster.services.choices import ServiceKind


def test_every_recommended_service_kind_exists_in_the_catalogue():
    for version in instruments.available_versions():
        for item in instruments.load(version).items:
            assert item.service in ServiceKind.values, (version, item.id, item.service)


def test_every_stage_has_a_label_in_the_ui():
    for version in instruments.available_versions():
        for stage in instruments.load(version).stages:
            assert stage.id in ReadinessStage.values


def test_the_latest_version_is_what_a_programme_without_a_choice_uses(programme):
    from metacluster.readiness.models import ProgrammeInstrument

    assert ProgrammeInstrument.version_for(programme) == instruments.latest_version()
