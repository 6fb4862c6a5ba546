"""Period figures: what counts in which period, freezing on submission, and adjustments."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metacluster.companies.models import engage
from metacluster.programmes.kpis import first_counted
from metacluster.programmes.models import Indicator
from metacluster.reporting.figures import (
    generate_periods,
    live_figures,
    period_figures,
    submit_report,
)
from metacluster.reporting.models import IndicatorReport, ReportedFigure, ReportingPeriod
from metacluster.services.models import Delivery


def figure(period, code="SME-NONFIN"):
    return next(row for row in period_figures(period) if row.code == code)


def ids(records):
    return [record["id"] for record in records]


# --- Which period a record counts in -----------------------------------------------------------


def test_a_record_counts_in_the_period_of_its_date_up_to_the_last_day(
    periods, nonfin_indicator, coaching, company, other_company, deliver
):
    deliver(coaching, company, date(2020, 6, 30))  # the last day of period 1
    deliver(coaching, other_company, date(2020, 7, 1))  # the first day of period 2

    first, second = figure(periods[0]), figure(periods[1])

    assert (first.this_period, first.cumulative) == (1, 1)
    assert ids(first.records) == [company.pk]
    assert (second.previously_reported, second.this_period, second.cumulative) == (0, 1, 2)
    # Period 1 was never submitted, so period 2 carries it as an adjustment.
    assert second.adjustment == 1


def test_a_company_counts_once_in_the_period_it_first_qualifies(
    periods, nonfin_indicator, coaching, training, company, deliver
):
    deliver(coaching, company, date(2020, 3, 1))
    deliver(training, company, date(2020, 8, 1))  # already counted in period 1

    assert figure(periods[0]).this_period == 1
    assert figure(periods[1]).this_period == 0


def test_records_count_on_their_date_in_utc_whoever_looks(periods, programme, lead_org):
    """A company moved to 'supported' at 01:30 on 1 July in Helsinki was supported on
    30 June in UTC: it counts in the first half-year, in every viewer's time zone."""
    Indicator.objects.create(
        programme=programme,
        code="SME-SUPPORTED",
        name="SMEs supported",
        definition={"kind": "stage_reached", "stage": "supported"},
    )
    from metacluster.companies.models import Company

    company = Company.objects.create(name="Delta Fictional Oy", country="FI", owner=lead_org)
    engagement = engage(company, programme, lead_org, at=datetime(2020, 2, 1, tzinfo=UTC))
    engagement.move_to(
        "supported", at=datetime(2020, 7, 1, 1, 30, tzinfo=ZoneInfo("Europe/Helsinki"))
    )

    for zone in ("Europe/Helsinki", "America/New_York", "Asia/Tokyo"):
        with timezone.override(ZoneInfo(zone)):
            first = figure(periods[0], "SME-SUPPORTED")
            second = figure(periods[1], "SME-SUPPORTED")
        assert (first.this_period, second.this_period) == (1, 0), zone
        assert first.records[0]["counted_from"] == "2020-06-30"


def test_the_first_period_takes_records_dated_before_it(
    programme, nonfin_indicator, coaching, company, deliver
):
    periods = generate_periods(programme, 6)
    periods[0].start = date(2020, 2, 1)  # a manager moved the first period's start
    periods[0].save()
    deliver(coaching, company, date(2020, 1, 15))

    assert figure(periods[0]).this_period == 1


# --- Submitting freezes the figures ------------------------------------------------------------


def test_a_submitted_report_never_changes_when_the_records_do(
    periods, manager, nonfin_indicator, coaching, company, other_company, deliver
):
    late = deliver(coaching, company, date(2020, 5, 5))
    submit_report(periods[0], manager)
    late.delete()
    deliver(coaching, other_company, date(2020, 4, 1))  # recorded late, dated in period 1
    nonfin_indicator.name = "Renamed"
    nonfin_indicator.save()

    frozen = figure(periods[0])
    assert (frozen.this_period, frozen.cumulative, frozen.name) == (
        1,
        1,
        "SMEs receiving non-financial support",
    )
    assert ids(frozen.records) == [company.pk]
    # ...while today's records say something else about the same period.
    live = next(row for row in live_figures(periods[0]) if row.code == "SME-NONFIN")
    assert ids(live.records) == [other_company.pk]


def test_corrections_appear_as_an_adjustment_with_a_reason_in_the_next_period(
    periods, manager, nonfin_indicator, coaching, company, other_company, make_company, deliver
):
    withdrawn = deliver(coaching, company, date(2020, 5, 5))
    submit_report(periods[0], manager)
    withdrawn.delete()  # a delivery found to be wrong after the report
    deliver(coaching, other_company, date(2020, 3, 3))  # one recorded late
    third = make_company("Epsilon Fictional AB")
    deliver(coaching, third, date(2020, 9, 9))  # an ordinary one in period 2

    draft = figure(periods[1])
    assert draft.previously_reported == 1
    assert ids(draft.added) == [other_company.pk]
    assert ids(draft.removed) == [company.pk]
    assert draft.adjustment == 0  # one in, one out: the count hides it, the lists do not
    assert (draft.this_period, draft.cumulative) == (1, 2)

    with pytest.raises(ValidationError) as refused:
        submit_report(periods[1], manager)
    assert "reason_SME-NONFIN" in refused.value.message_dict
    assert not ReportingPeriod.objects.get(pk=periods[1].pk).is_submitted

    submit_report(periods[1], manager, reasons={"SME-NONFIN": "Coaching of Beta entered late."})
    stored = ReportedFigure.objects.get(report__period=periods[1])
    assert stored.adjustment_reason == "Coaching of Beta entered late."
    assert (stored.previously_reported, stored.adjustment, stored.this_period) == (1, 0, 1)

    # Period 3 starts from what was reported, corrections included: no adjustment left.
    after = figure(periods[2])
    assert (after.previously_reported, after.adjustment, after.added, after.removed) == (
        2,
        0,
        [],
        [],
    )


def test_an_adjustment_counts_the_difference(
    periods, manager, nonfin_indicator, coaching, company, other_company, deliver
):
    submit_report(periods[0], manager)  # nothing yet
    deliver(coaching, company, date(2020, 2, 2))
    deliver(coaching, other_company, date(2020, 6, 30))

    draft = figure(periods[1])
    assert (draft.previously_reported, draft.adjustment, draft.this_period) == (0, 2, 0)
    assert draft.cumulative == 2


def test_cumulative_always_equals_the_live_figure_at_the_period_end(
    periods, manager, nonfin_indicator, coaching, company, other_company, make_company, deliver
):
    deliver(coaching, company, date(2020, 1, 10))
    submit_report(periods[0], manager)
    deliver(coaching, other_company, date(2020, 2, 10))
    deliver(coaching, make_company("Zeta Fictional AB"), date(2020, 10, 10))
    submit_report(periods[1], manager, reasons={"SME-NONFIN": "late entry"})
    deliver(coaching, make_company("Eta Fictional AB"), date(2021, 2, 10))

    rows = [figure(p) for p in periods[:3]]
    assert [r.cumulative for r in rows] == [1, 3, 4]
    for row in rows:
        assert row.cumulative == row.previously_reported + row.adjustment + row.this_period


# --- Who may submit, and when ------------------------------------------------------------------


def test_only_the_programme_managers_submit(periods, advisor, viewer, outsider, nonfin_indicator):
    for user in (advisor, viewer, outsider):
        with pytest.raises(PermissionDenied):
            submit_report(periods[0], user)
    assert not ReportingPeriod.objects.filter(report__isnull=False).exists()


def test_periods_are_submitted_in_order_once_and_after_they_end(periods, manager, nonfin_indicator):
    with pytest.raises(ValidationError, match="in order"):
        submit_report(periods[1], manager)
    submit_report(periods[0], manager)
    with pytest.raises(ValidationError, match="already reported"):
        submit_report(periods[0], manager)
    with pytest.raises(ValidationError, match="not ended"):
        submit_report(periods[1], manager, now=datetime(2020, 12, 31, 23, 0, tzinfo=UTC))
    submit_report(periods[1], manager, now=datetime(2021, 1, 1, 0, 0, tzinfo=UTC))


def test_a_report_keeps_its_lines_when_an_indicator_is_deleted(
    periods, manager, nonfin_indicator, coaching, company, deliver
):
    deliver(coaching, company, date(2020, 2, 2))
    submit_report(periods[0], manager)
    nonfin_indicator.delete()

    assert figure(periods[0]).cumulative == 1


# --- Periods -----------------------------------------------------------------------------------


def test_generating_again_keeps_reported_periods_and_replaces_the_rest(
    programme, periods, manager, nonfin_indicator
):
    submit_report(periods[0], manager)
    regenerated = generate_periods(programme, 12)

    assert [(p.number, p.start, p.end) for p in regenerated] == [
        (1, date(2020, 1, 1), date(2020, 6, 30)),
        (2, date(2020, 7, 1), date(2021, 6, 30)),
        (3, date(2021, 7, 1), date(2022, 6, 30)),
        (4, date(2022, 7, 1), date(2022, 12, 31)),
    ]


def test_a_reported_period_cannot_be_moved(periods, manager, nonfin_indicator):
    submit_report(periods[0], manager)
    period = ReportingPeriod.objects.get(pk=periods[0].pk)
    period.end = date(2020, 5, 31)
    with pytest.raises(ValidationError, match="reported"):
        period.full_clean()


def test_periods_lie_within_the_programme_and_do_not_overlap(programme, periods):
    overlapping = ReportingPeriod(
        programme=programme, number=99, start=date(2020, 6, 1), end=date(2020, 7, 31)
    )
    with pytest.raises(ValidationError, match="overlaps"):
        overlapping.full_clean()
    outside = ReportingPeriod(
        programme=programme, number=98, start=date(2023, 1, 1), end=date(2023, 6, 30)
    )
    with pytest.raises(ValidationError, match="within the programme"):
        outside.full_clean()


def test_an_indicator_added_later_reports_its_past_in_its_first_period_not_as_an_adjustment(
    periods, manager, programme, nonfin_indicator, coaching, company, deliver
):
    submit_report(periods[0], manager)
    deliver(coaching, company, date(2020, 3, 3))
    Indicator.objects.create(
        programme=programme,
        code="COACHED",
        name="Companies coached",
        definition={"kind": "service_units", "service_kinds": ["coaching"], "min_units": 1},
    )

    new = figure(periods[1], "COACHED")
    assert (new.previously_reported, new.adjustment, new.this_period) == (0, 0, 1)
    # The indicator that was reported does carry the late delivery as an adjustment.
    assert figure(periods[1]).adjustment == 1


# --- Whatever happens to the records, the reports add up ---------------------------------------

edits = st.lists(
    st.tuples(
        st.sampled_from(["add", "delete"]),
        st.integers(min_value=0, max_value=4),  # which company
        st.dates(min_value=date(2020, 1, 1), max_value=date(2021, 12, 31)),
    ),
    max_size=6,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rounds=st.lists(edits, min_size=3, max_size=3))
def test_reports_always_add_up_to_the_live_figure(
    periods, manager, nonfin_indicator, coaching, make_company, deliver, rounds
):
    """Between submissions, deliveries are added and deleted anywhere in the past: every
    report's cumulative still equals the live figure at its period's end, and the next report
    starts from what was reported, adjustments included."""
    ReportedFigure.objects.all().delete()
    IndicatorReport.objects.all().delete()
    Delivery.objects.all().delete()
    companies = [make_company(f"Fictional {n} AB") for n in range(5)]
    for number, changes in enumerate(rounds):
        for action, which, on in changes:
            if action == "add":
                deliver(coaching, companies[which], on)
            else:
                Delivery.objects.filter(company=companies[which]).delete()
        period = periods[number]
        row = figure(period)
        live = len([k for k, on in first_counted(nonfin_indicator).items() if on <= period.end])
        assert row.cumulative == live
        reasons = {"SME-NONFIN": "changed"} if (row.added or row.removed) else {}
        submit_report(period, manager, reasons=reasons)
        if number:
            before = figure(periods[number - 1])
            assert row.previously_reported == before.cumulative
    Delivery.objects.all().delete()
    for company in companies:
        company.delete()
