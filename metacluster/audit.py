"""The audit trail: who created, changed or deleted which record, when, and what changed.

django-auditlog writes one `LogEntry` per create, update and delete of the models listed in
`AUDITED` (with the old and new value of each changed field); its middleware names the user of
a page request, and `attribute_to` names the owner of an API token. Managers read a record's
history at /history/<kind>/<id>/ and export it as CSV (through metacluster.exports).
"""

from auditlog.context import auditlog_value
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from metacluster.exports import csv_writer

# URL kind → model. The records whose history funders, auditors and data subjects ask about.
AUDITED = {
    "programme": "programmes.Programme",
    "company": "companies.Company",
    "contact": "companies.Contact",
    "engagement": "companies.Engagement",
    "deal": "deals.Deal",
    "delivery": "services.Delivery",
    "service-request": "servicerequests.ServiceRequest",
    "aid-record": "stateaid.AidRecord",
    "booking": "testbeds.Booking",
    "user": "accounts.User",
}
# Never copied into the log: secrets, and fields that change on every login.
NOT_LOGGED = {"accounts.User": ["password", "last_login"]}


def register() -> None:
    """Called once from AccountsConfig.ready(), when every model is loaded."""
    for label in AUDITED.values():
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model, exclude_fields=NOT_LOGGED.get(label, []))


def attribute_to(user) -> None:
    """Name `user` as the author of what this request changes from now on. The middleware
    looked before API token authentication had found the user; it keeps its context for the
    whole request, so naming the user in it is enough."""
    context = auditlog_value.get(None)
    if context is not None:
        context["actor"] = user


def history_of(record):
    return LogEntry.objects.get_for_object(record).select_related("actor").order_by("-timestamp")


def _audited_record(user, kind: str, pk: int):
    """The record of `kind` the user may read the history of: visible to them (else 404),
    and they are a manager (else 403)."""
    label = AUDITED.get(kind)
    if label is None:
        raise Http404
    model = apps.get_model(label)
    if kind == "user":
        records = model.objects.all()
        if not user.is_superuser:
            records = records.filter(organisation_id=user.organisation_id or -1)
    else:
        records = model.objects.visible_to(user)
    record = records.filter(pk=pk).first()
    if record is None:
        raise Http404
    if not (user.is_superuser or (user.is_manager and not user.is_sme)):
        raise PermissionDenied(_("Only managers read the history of records."))
    return record


def _lines(entries):
    """One line per changed field of each entry (one line for an entry without fields)."""
    for entry in entries:
        who = entry.actor.get_username() if entry.actor else _("system")
        changes = entry.changes_dict or {}
        if not changes:
            yield entry, who, "", "", ""
        for field, values in changes.items():
            old, new = (list(values) + ["", ""])[:2]
            yield entry, who, field, old, new


@login_required
def history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    record = _audited_record(request.user, kind, pk)
    entries = history_of(record)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="history-{kind}-{pk}.csv"'
        writer = csv_writer(response)
        writer.writerow(["when", "who", "action", "field", "old", "new"])
        for entry, who, field, old, new in reversed(list(_lines(entries))):
            writer.writerow(
                [
                    timezone.localtime(entry.timestamp).isoformat(timespec="seconds"),
                    who,
                    entry.get_action_display(),
                    field,
                    old,
                    new,
                ]
            )
        return response
    return render(
        request,
        "audit/history.html",
        {"record": record, "kind": kind, "lines": list(_lines(entries[:500]))},
    )
