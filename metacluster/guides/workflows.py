"""Workflows of the market guides: confirming a barrier, writing and reviewing experience
reports (which can become or confirm barriers), and adding barriers to a feasibility study."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metacluster.versioning import StaleEdit

from .choices import ReportStatus, SourceKind
from .models import Barrier, ExperienceReport


def confirm(barrier: Barrier, *, by, on=None) -> Barrier:
    """Record that `by` checked the barrier still holds, today unless `on` is given. A plain
    update of two fields: confirming never overwrites anybody's edit of the text."""
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError(
            {"last_confirmed_on": _("A barrier cannot be confirmed in the future.")}
        )
    Barrier.objects.filter(pk=barrier.pk).update(last_confirmed_on=on, confirmed_by=by)
    barrier.last_confirmed_on, barrier.confirmed_by = on, by
    return barrier


def submit_report(report: ExperienceReport, *, by) -> ExperienceReport:
    """Save a new experience report, waiting for review. SME users report for their own
    company only; staff for any company of a programme they record in (or none)."""
    report.author = by
    report.status = ReportStatus.PENDING
    if by.is_sme:
        report.company_id = by.company_id
    report.full_clean()
    report.save()
    return report


def may_review(report: ExperienceReport, user) -> bool:
    return report.programme.is_recordable_by(user)


@transaction.atomic
def publish(
    report: ExperienceReport,
    *,
    by,
    barrier: Barrier | None = None,
    new_barrier: Barrier | None = None,
) -> ExperienceReport:
    """Publish a report waiting for review. It may be attached to an existing barrier of the
    same market or turned into a new one; either way it becomes that barrier's source and
    confirms it today.

    Two advisors reviewing at once: the status change is a conditional update, so only the
    first review counts and the second gets StaleEdit."""
    if not may_review(report, by):
        raise PermissionDenied(_("Only the programme's advisors and managers review reports."))
    if new_barrier is not None:
        new_barrier.programme = report.programme
        new_barrier.market = report.market
        new_barrier.source_kind = _source_kind(report)
        new_barrier.source_title = new_barrier.source_title or report.title
        new_barrier.last_confirmed_on = report.occurred_on
        new_barrier.created_by = by
        new_barrier.full_clean()
        new_barrier.save()
        barrier = new_barrier
    if barrier is not None and (
        barrier.programme_id != report.programme_id or barrier.market != report.market
    ):
        raise ValidationError(
            {"barrier": _("The barrier must be of the same programme and market.")}
        )
    _claim(report, status=ReportStatus.PUBLISHED, by=by, barrier=barrier)
    if barrier is not None and new_barrier is None:
        confirm(barrier, by=by)
    report.refresh_from_db()
    return report


@transaction.atomic
def reject(report: ExperienceReport, *, by, reason: str) -> ExperienceReport:
    if not may_review(report, by):
        raise PermissionDenied(_("Only the programme's advisors and managers review reports."))
    if not reason.strip():
        raise ValidationError({"rejection_reason": _("Say why the report is rejected.")})
    _claim(report, status=ReportStatus.REJECTED, by=by, rejection_reason=reason.strip())
    report.refresh_from_db()
    return report


def _claim(report: ExperienceReport, **changes) -> None:
    by = changes.pop("by")
    claimed = ExperienceReport.objects.filter(pk=report.pk, status=ReportStatus.PENDING).update(
        reviewed_by=by, reviewed_at=timezone.now(), **changes
    )
    if claimed != 1:
        raise StaleEdit(_("This report has already been reviewed."))


def _source_kind(report: ExperienceReport) -> str:
    if report.company_id:
        return SourceKind.SME_EXPERIENCE
    return SourceKind.MISSION_REPORT


def checklist_line(barrier: Barrier) -> str:
    """A barrier as a line of a study's requirements; the title alone, so that the line is
    the same whatever language the page was in when it was added."""
    return f"☐ {barrier.title}"


def add_to_study(study, barriers, *, by) -> int:
    """Add barriers to a feasibility study's requirements as checklist lines, skipping those
    already there; returns how many were added. Saved over the version read, so a concurrent
    edit of the study is never overwritten (StaleEdit)."""
    from metacluster.markets.workflows import save_study

    lines = study.requirements.splitlines()
    added = 0
    for barrier in barriers:
        line = checklist_line(barrier)
        if line not in lines:
            lines.append(line)
            added += 1
    if added:
        study.requirements = "\n".join(lines)
        save_study(study, by=by, expected_version=study.version)
    return added
