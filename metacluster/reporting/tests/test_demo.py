"""The demo's reporting: periods for every programme, the first ones submitted, one correction
carried as an adjustment, and the programmes' figures untouched."""

import pytest
from django.core.management import call_command
from django.db import transaction

from metacluster.programmes.kpis import figures
from metacluster.programmes.models import Indicator, Programme
from metacluster.reporting.figures import live_figures, period_figures


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def periods_of(acronym):
    return list(Programme.objects.get(acronym=acronym).reporting_periods.all())


def test_every_demo_programme_has_half_year_periods_the_first_submitted(demo, db):
    ict = periods_of("ict-meta-cluster")
    assert len(ict) == 7  # September 2015 to February 2019
    assert [p.is_submitted for p in ict] == [True, True] + [False] * 5
    assert [p.is_submitted for p in periods_of("sme2go")][:3] == [True, True, False]
    assert [p.is_submitted for p in periods_of("4smartgrowth")][:2] == [True, False]


def test_the_ict_correction_shows_as_an_adjustment_in_period_2(demo, db):
    first, second = periods_of("ict-meta-cluster")[:2]
    reported = {row.code: row for row in period_figures(second)}

    line = reported["SME-NONFIN"]
    assert (line.adjustment, len(line.added)) == (1, 1)
    assert "corrected after the period 1 report" in line.adjustment_reason
    assert all(row.adjustment == 0 for code, row in reported.items() if code != "SME-NONFIN")
    # The submitted period 1 figure stays as it was; today it would be one more.
    frozen = {row.code: row.cumulative for row in period_figures(first)}
    live = {row.code: row.cumulative for row in live_figures(first)}
    assert live["SME-NONFIN"] == frozen["SME-NONFIN"] + 1


def test_the_demo_reporting_leaves_the_programmes_figures_as_reported(demo, db):
    indicator = Indicator.objects.get(programme__acronym="ict-meta-cluster", code="SME-NONFIN")
    assert figures(indicator).achieved == 130
    assert indicator.eu_code == "RCO04"
