"""Experience reports: nobody but the author, its company and the programme's reviewers sees a
report before it is published; reviewing publishes (optionally as a barrier's source) or
rejects it, once."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from metacluster.accounts.choices import Role
from metacluster.conftest import make_user
from metacluster.guides import workflows
from metacluster.guides.choices import BarrierKind, ReportStatus, SourceKind
from metacluster.guides.models import Barrier, ExperienceReport
from metacluster.versioning import StaleEdit

pytestmark = pytest.mark.django_db


def visible(user):
    return set(ExperienceReport.objects.visible_to(user))


def test_an_unpublished_report_is_invisible_to_others(
    pending_report, other_sme_user, viewer, outsider
):
    # Another SME of the same programme, a viewer of a partner and an outsider.
    for user in (other_sme_user, viewer, outsider):
        assert pending_report not in visible(user), user


def test_an_unpublished_report_is_visible_to_its_author_company_and_reviewers(
    pending_report, sme_user, company, manager, advisor
):
    colleague = make_user("sme.colleague", company=company, role=Role.SME)
    for user in (sme_user, colleague, manager, advisor):
        assert pending_report in visible(user), user


def test_a_published_report_is_visible_to_everyone_in_the_programme(
    pending_report, advisor, other_sme_user, viewer, outsider
):
    workflows.publish(pending_report, by=advisor)
    for user in (other_sme_user, viewer):
        assert pending_report in visible(user), user
    assert pending_report not in visible(outsider)


def test_a_rejected_report_stays_hidden_from_others(
    pending_report, advisor, sme_user, other_sme_user, viewer
):
    workflows.reject(pending_report, by=advisor, reason="Names the buyer; please anonymise.")
    assert pending_report in visible(sme_user)  # the author sees the reason
    assert pending_report not in visible(other_sme_user)
    assert pending_report not in visible(viewer)


def test_an_sme_user_reports_for_its_own_company(programme, sme_user, other_company, company):
    report = ExperienceReport(
        programme=programme,
        market="VN",
        company=other_company,  # ignored: an SME user speaks for its own company
        title="Zalo",
        text="Everyone used Zalo.",
        occurred_on=date(2021, 5, 1),
    )
    workflows.submit_report(report, by=sme_user)
    assert report.company == company and report.author == sme_user
    assert report.status == ReportStatus.PENDING


def test_only_the_programmes_advisors_and_managers_review(pending_report, viewer, sme_user):
    for user in (viewer, sme_user):
        with pytest.raises(PermissionDenied):
            workflows.publish(pending_report, by=user)
    pending_report.refresh_from_db()
    assert pending_report.status == ReportStatus.PENDING


@time_machine.travel(datetime(2024, 6, 1, 9, tzinfo=UTC), tick=False)
def test_publishing_as_a_barriers_source_confirms_it_today(pending_report, barrier, advisor):
    assert barrier.last_confirmed_on == date(2024, 1, 10)
    workflows.publish(pending_report, by=advisor, barrier=barrier)
    barrier.refresh_from_db()
    assert barrier.last_confirmed_on == date(2024, 6, 1)
    assert barrier.confirmed_by == advisor
    assert pending_report.barrier == barrier and pending_report.reviewed_by == advisor


def test_publishing_as_a_new_barrier(pending_report, advisor):
    new = Barrier(kind=BarrierKind.LEGAL, title="Servers must be in China", description="x")
    workflows.publish(pending_report, by=advisor, new_barrier=new)
    barrier = Barrier.objects.get(title="Servers must be in China")
    assert barrier.market == "CN" and barrier.programme == pending_report.programme
    assert barrier.source_kind == SourceKind.SME_EXPERIENCE
    assert barrier.last_confirmed_on == pending_report.occurred_on
    assert pending_report.barrier == barrier


def test_a_barrier_of_another_market_cannot_take_the_report(pending_report, make_barrier, advisor):
    vietnam = make_barrier(market="VN", title="Decree 53")
    with pytest.raises(ValidationError):
        workflows.publish(pending_report, by=advisor, barrier=vietnam)
    pending_report.refresh_from_db()
    assert pending_report.status == ReportStatus.PENDING


def test_a_report_is_reviewed_once(pending_report, advisor, manager):
    stale_copy = ExperienceReport.objects.get(pk=pending_report.pk)
    workflows.publish(pending_report, by=advisor)
    with pytest.raises(StaleEdit):
        workflows.reject(stale_copy, by=manager, reason="Too late")
    stale_copy.refresh_from_db()
    assert stale_copy.status == ReportStatus.PUBLISHED and stale_copy.reviewed_by == advisor


def test_rejecting_needs_a_reason(pending_report, advisor):
    with pytest.raises(ValidationError):
        workflows.reject(pending_report, by=advisor, reason="   ")
    pending_report.refresh_from_db()
    assert pending_report.status == ReportStatus.PENDING
