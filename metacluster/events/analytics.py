"""Event figures for organisers: requests by status, meetings per participant, participants
without a meeting, table use; as a page, CSV and XLSX."""

import io
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from metacluster.exports import csv_writer, sheet_append

from .choices import MeetingStatus, RequestStatus
from .models import Event, MeetingRequest


@dataclass
class Report:
    event: Event
    requests: dict[str, int] = field(default_factory=dict)
    rows: list[dict] = field(default_factory=list)  # one per participant
    without_meeting: int = 0
    meetings: int = 0
    slots: int = 0
    table_use: float | None = None  # share of table-slots holding a meeting


def report(event: Event) -> Report:
    MeetingRequest.objects.filter(event=event).expire_due()
    counts = dict(event.requests.values_list("status").annotate(n=Count("pk")))
    scheduled = Q(bookings__meeting__status=MeetingStatus.SCHEDULED)
    people = event.participants.annotate(
        n_sent=Count("sent", distinct=True),
        n_received=Count("received", distinct=True),
        n_accepted=Count(
            "received", filter=Q(received__status=RequestStatus.ACCEPTED), distinct=True
        ),
        n_meetings=Count("bookings", filter=scheduled, distinct=True),
    ).order_by("organisation")
    rows = [
        {
            "participant": p.organisation,
            "type": p.get_kind_display(),
            "country": p.country,
            "sent": p.n_sent,
            "received": p.n_received,
            "accepted": p.n_accepted,
            "meetings": p.n_meetings,
        }
        for p in people
    ]
    meetings = event.meetings.filter(status=MeetingStatus.SCHEDULED).count()
    slots = event.slots.count()
    table_use = meetings / (slots * event.tables) if event.tables and slots else None
    return Report(
        event=event,
        requests={
            "sent": sum(counts.values()),
            **{status: counts.get(status, 0) for status in RequestStatus.values},
        },
        rows=rows,
        without_meeting=sum(1 for row in rows if row["meetings"] == 0),
        meetings=meetings,
        slots=slots,
        table_use=table_use,
    )


def _headers() -> list[str]:
    return [
        _("Participant"),
        _("Type"),
        _("Country"),
        _("Requests sent"),
        _("Requests received"),
        _("Accepted"),
        _("Meetings"),
    ]


def _summary(r: Report) -> list[tuple[str, object]]:
    return [
        (_("Requests sent"), r.requests["sent"]),
        (_("Accepted"), r.requests[RequestStatus.ACCEPTED]),
        (_("Declined"), r.requests[RequestStatus.DECLINED]),
        (_("Pending"), r.requests[RequestStatus.PENDING]),
        (_("Expired"), r.requests[RequestStatus.EXPIRED]),
        (_("Withdrawn"), r.requests[RequestStatus.WITHDRAWN]),
        (_("Meetings"), r.meetings),
        (_("Participants without a meeting"), r.without_meeting),
        (_("Table use"), "" if r.table_use is None else round(r.table_use, 3)),
    ]


def to_csv(r: Report) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(_headers())
    for row in r.rows:
        writer.writerow(row.values())
    writer.writerow([])
    for label, value in _summary(r):
        writer.writerow([label, value])
    return out.getvalue()


def to_xlsx(r: Report) -> bytes:
    from openpyxl import Workbook  # imported here: slow to import, needed only for XLSX

    book = Workbook()
    sheet = book.active
    sheet.title = _("Participants")[:31]
    sheet_append(sheet, _headers())
    for row in r.rows:
        sheet_append(sheet, row.values())
    summary = book.create_sheet(_("Summary")[:31])
    for label, value in _summary(r):
        sheet_append(summary, [label, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
