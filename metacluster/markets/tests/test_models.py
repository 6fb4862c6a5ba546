"""Feasibility studies: who sees them, their rules, and the delivery a decision records."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from metacluster.markets.models import FeasibilityStudy
from metacluster.markets.workflows import save_study
from metacluster.services.models import Delivery
from metacluster.versioning import StaleEdit


def visible(user):
    return set(FeasibilityStudy.objects.visible_to(user))


def test_staff_see_their_programmes_studies(
    manager, advisor, viewer, study, other_study, outsider_study
):
    for user in (manager, advisor, viewer):
        assert visible(user) == {study, other_study}


def test_sme_user_sees_only_its_own_company(sme_user, study, other_study):
    assert visible(sme_user) == {study}


def test_outsider_sees_none_of_them(outsider, study, other_study, outsider_study):
    assert visible(outsider) == {outsider_study}


def test_a_decision_needs_a_date(study):
    study.decision = "go"
    with pytest.raises(ValidationError) as error:
        study.full_clean()
    assert "decided_on" in error.value.message_dict


def test_home_country_is_not_an_export_market(study):
    study.market = "SE"  # the company is Swedish
    with pytest.raises(ValidationError) as error:
        study.full_clean()
    assert "market" in error.value.message_dict


def test_one_study_per_company_and_market(study, programme, company, lead_org):
    twin = FeasibilityStudy(programme=programme, company=company, partner=lead_org, market="JP")
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "market" in error.value.message_dict


def test_deciding_records_a_feasibility_delivery(study, feasibility, manager):
    study.decision = "go"
    study.decided_on = date(2021, 3, 1)
    save_study(study, by=manager, expected_version=study.version)
    study.refresh_from_db()
    delivery = study.delivery
    assert delivery.service == feasibility
    assert delivery.company == study.company
    assert delivery.provider == feasibility.provider
    assert delivery.date == date(2021, 3, 1) and delivery.quantity == 1
    # Saving again does not record a second delivery.
    study.notes = "Signed with a distributor."
    save_study(study, by=manager, expected_version=study.version)
    assert Delivery.objects.filter(service=feasibility).count() == 1


def test_decision_without_a_feasibility_service_saves_nothing(study, manager):
    study.decision = "no_go"
    study.decided_on = date(2021, 3, 1)
    with pytest.raises(ValidationError) as error:
        save_study(study, by=manager, expected_version=study.version)
    assert "decision" in error.value.message_dict
    study.refresh_from_db()
    assert study.decision == "pending" and study.delivery is None


def test_decision_outside_the_programme_period_saves_nothing(study, feasibility, manager):
    study.decision = "go"
    study.decided_on = date(2019, 6, 1)  # the programme starts in 2020
    with pytest.raises(ValidationError) as error:
        save_study(study, by=manager, expected_version=study.version)
    assert "decided_on" in error.value.message_dict
    assert not Delivery.objects.exists()
    study.refresh_from_db()
    assert study.decision == "pending"


def test_stale_edit_is_refused(study, manager):
    loaded = study.version
    FeasibilityStudy.objects.filter(pk=study.pk).update(version=loaded + 1)
    study.notes = "mine"
    with pytest.raises(StaleEdit):
        save_study(study, by=manager, expected_version=loaded)
