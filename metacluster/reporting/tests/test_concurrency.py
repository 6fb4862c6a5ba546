"""Two managers submitting the same period at the same moment: exactly one report is stored.
Needs PostgreSQL (row locks); SQLite serialises whole transactions anyway."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from metacluster.conftest import make_user
from metacluster.reporting.figures import submit_report
from metacluster.reporting.models import IndicatorReport, ReportedFigure

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_of_two_simultaneous_submissions_exactly_one_wins(
    periods, manager, lead_org, nonfin_indicator
):
    other_manager = make_user("manager2", organisation=lead_org, role="manager")
    start = threading.Barrier(2)
    outcomes = []

    def submit(user):
        try:
            start.wait()
            submit_report(periods[0], user)
            outcomes.append("submitted")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(u,)) for u in (manager, other_manager)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["This period is already reported.", "submitted"]
    assert IndicatorReport.objects.count() == 1
    assert ReportedFigure.objects.count() == 1
