"""Automatic reminders: an activity or a meeting tomorrow, an unfinished readiness assessment,
an overdue service request, a report due. Each is a plain function over a fixed `now`, sends a
reminder once per thing and address (a `ReminderLog` row with a unique constraint), in the
recipient's language, and never to a user who switched reminders off at /outreach/reminders/.
`send_all_reminders` runs every kind: `metacluster send-reminders` and the background worker
call it."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from metacluster.accounts.choices import Role
from metacluster.accounts.models import User

from .choices import ReminderKind
from .models import ReminderLog, ReminderSetting

# An assessment left unfinished this long gets a reminder.
ASSESSMENT_DAYS = 14


def _wants(email: str) -> bool:
    """Addresses of users who switched reminders off get none; addresses without a user (a
    buyer invited to an event by e-mail) cannot switch them off here."""
    switched_off = ReminderSetting.objects.filter(
        user__email__iexact=email, reminders=False
    ).exists()
    return not switched_off


def _remind(
    kind: str,
    object_id: int,
    email: str,
    language: str,
    text: Callable[[], tuple[str, str]],
) -> bool:
    """Send one reminder unless it was sent before or the address does not want it; `text`
    is called in the recipient's language and returns (subject, body). The log row and the
    e-mail go together: if sending fails, the row is rolled back and the next run retries."""
    if not email or not _wants(email):
        return False
    try:
        with transaction.atomic():
            ReminderLog.objects.create(kind=kind, object_id=object_id, email=email.lower())
            with translation.override(language or settings.LANGUAGE_CODE):
                subject, body = text()
            send_mail(subject, body, None, [email])
    except IntegrityError:
        return False  # sent before (or by a concurrent run)
    return True


def _users(users) -> Iterable[User]:
    return users.filter(is_active=True).exclude(email="").order_by("pk")


def _local(moment: datetime, zone_name: str) -> str:
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    local = timezone.localtime(moment, zone)
    return f"{local:%Y-%m-%d %H:%M} ({zone_name})"


def send_activity_reminders(*, now: datetime | None = None) -> int:
    """The SME users of companies registered for an activity starting within a day."""
    from metacluster.activities.choices import RegistrationStatus
    from metacluster.activities.models import Activity

    now = now or timezone.now()
    sent = 0
    soon = Activity.objects.filter(starts_at__gt=now, starts_at__lte=now + timedelta(days=1))
    for activity in soon.select_related("programme"):
        companies = activity.registrations.filter(status=RegistrationStatus.REGISTERED).values(
            "company_id"
        )
        for user in _users(User.objects.filter(company_id__in=companies)):

            def text(activity=activity, user=user):
                subject = _("Tomorrow: %(activity)s") % {"activity": activity.title}
                body = _("%(activity)s starts at %(when)s. %(where)s") % {
                    "activity": activity.title,
                    "when": _local(activity.starts_at, user.time_zone),
                    "where": activity.place or activity.video_link,
                }
                return subject, body

            sent += _remind(ReminderKind.ACTIVITY, activity.pk, user.email, user.language, text)
    return sent


def send_assessment_reminders(*, now: datetime | None = None, days: int = ASSESSMENT_DAYS) -> int:
    """The SME users of a company whose readiness assessment was started `days` or more ago
    and is not completed."""
    from metacluster.readiness.models import Assessment

    now = now or timezone.now()
    sent = 0
    stale = Assessment.objects.drafts().filter(created_at__lte=now - timedelta(days=days))
    for assessment in stale.select_related("programme", "company"):
        for user in _users(User.objects.filter(company_id=assessment.company_id, role=Role.SME)):

            def text(assessment=assessment, user=user):
                subject = _("Your export-readiness assessment is not finished")
                body = _(
                    "You started the export-readiness assessment of %(company)s in "
                    "%(programme)s on %(started)s. Please answer the remaining questions and "
                    "complete it, so that your advisor can plan the next steps with you."
                ) % {
                    "company": assessment.company.name,
                    "programme": assessment.programme.name,
                    "started": timezone.localdate(assessment.created_at).isoformat(),
                }
                return subject, body

            sent += _remind(ReminderKind.ASSESSMENT, assessment.pk, user.email, user.language, text)
    return sent


def _meeting_addresses(participant) -> list[tuple[str, str, str]]:
    """(e-mail, language, time zone) for one side of a meeting: the participant's address in
    the participant's time zone, and the SME users of its company in their own."""
    rows = []
    if participant.email:
        user = User.objects.filter(email__iexact=participant.email).first()
        rows.append((participant.email, user.language if user else "", participant.time_zone))
    if participant.company_id:
        for user in _users(User.objects.filter(company_id=participant.company_id, role=Role.SME)):
            rows.append((user.email, user.language, user.time_zone))
    seen, unique = set(), []
    for email, language, zone in rows:
        if email.lower() not in seen:
            seen.add(email.lower())
            unique.append((email, language, zone))
    return unique


def send_meeting_reminders(*, now: datetime | None = None) -> int:
    """Both participants of an event meeting starting within a day, with the time in each
    recipient's time zone and the video link for online meetings."""
    from metacluster.events.models import Meeting

    now = now or timezone.now()
    sent = 0
    soon = Meeting.objects.scheduled().filter(
        slot__start__gt=now, slot__start__lte=now + timedelta(days=1)
    )
    for meeting in soon.select_related("event", "slot", "request__sender", "request__recipient"):
        for me, other in (
            (meeting.request.sender, meeting.request.recipient),
            (meeting.request.recipient, meeting.request.sender),
        ):
            for email, language, zone in _meeting_addresses(me):

                def text(meeting=meeting, other=other, zone=zone):
                    subject = _("Tomorrow: your meeting with %(other)s") % {
                        "other": other.organisation
                    }
                    body = _("%(event)s: you meet %(other)s at %(when)s.") % {
                        "event": meeting.event.title,
                        "other": other.organisation,
                        "when": _local(meeting.slot.start, zone),
                    }
                    if meeting.table:
                        body += " " + _("Table %(table)s.") % {"table": meeting.table}
                    if meeting.video_url:
                        body += "\n\n" + _("Video meeting: %(link)s") % {"link": meeting.video_url}
                    return subject, body

                sent += _remind(ReminderKind.MEETING, meeting.pk, email, language, text)
    return sent


def send_request_reminders(*, now: datetime | None = None) -> int:
    """The advisors of the partner that answers a service request that is open past its
    wanted-by date (and its assigned advisor)."""
    from metacluster.servicerequests.models import ServiceRequest

    now = now or timezone.now()
    sent = 0
    overdue = ServiceRequest.objects.overdue(today=timezone.localdate(now))
    for request in overdue.select_related("service", "company"):
        advisors = User.objects.filter(
            organisation_id=request.service.provider_id, role=Role.ADVISOR
        )
        if request.advisor_id:
            advisors = advisors | User.objects.filter(pk=request.advisor_id)
        for user in _users(advisors.distinct()):

            def text(request=request):
                subject = _("Overdue: %(service)s for %(company)s") % {
                    "service": request.service.translated("name"),
                    "company": request.company.name,
                }
                body = _(
                    "%(company)s asked for %(service)s by %(due)s; the request is still "
                    "open. Please move it on or agree a new date with the company."
                ) % {
                    "company": request.company.name,
                    "service": request.service.translated("name"),
                    "due": request.due_date.isoformat(),
                }
                return subject, body

            sent += _remind(ReminderKind.REQUEST, request.pk, user.email, user.language, text)
    return sent


def send_report_reminders(*, now: datetime | None = None) -> int:
    """The managers of a programme's partners when one of its reporting periods has ended and
    its report is not submitted."""
    from metacluster.reporting.models import ReportingPeriod

    now = now or timezone.now()
    sent = 0
    ended = ReportingPeriod.objects.filter(
        end__lt=timezone.localdate(now), report__isnull=True
    ).select_related("programme")
    for period in ended:
        managers = User.objects.filter(
            role=Role.MANAGER,
            organisation__in=period.programme.partnerships.values("organisation_id"),
        )
        for user in _users(managers):

            def text(period=period):
                subject = _("Report due: %(programme)s, period %(number)s") % {
                    "programme": period.programme.name,
                    "number": period.number,
                }
                body = _(
                    "Reporting period %(number)s of %(programme)s ended on %(end)s and its "
                    "report is not submitted yet."
                ) % {
                    "number": period.number,
                    "programme": period.programme.name,
                    "end": period.end.isoformat(),
                }
                if period.due_on:
                    body += " " + _("The funder expects it by %(due)s.") % {
                        "due": period.due_on.isoformat()
                    }
                return subject, body

            sent += _remind(ReminderKind.REPORT, period.pk, user.email, user.language, text)
    return sent


SENDERS = {
    ReminderKind.ACTIVITY: send_activity_reminders,
    ReminderKind.ASSESSMENT: send_assessment_reminders,
    ReminderKind.MEETING: send_meeting_reminders,
    ReminderKind.REQUEST: send_request_reminders,
    ReminderKind.REPORT: send_report_reminders,
}


def send_all_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Every kind of reminder; returns the e-mails sent per kind."""
    now = now or timezone.now()
    return {str(kind): sender(now=now) for kind, sender in SENDERS.items()}
