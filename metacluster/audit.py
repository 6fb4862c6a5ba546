"""The audit trail: who created, changed or deleted which record, when, and what changed.

django-auditlog writes one `LogEntry` per create, update and delete of the models listed in
`AUDITED` (with the old and new value of each changed field); its middleware names the user of
a page request, and `attribute_to` names the owner of an API token. Managers read a record's
history at /history/<kind>/<id>/ and export it as CSV (through metacluster.exports), also
after the record was deleted (the log keeps its entries).
"""

from auditlog.context import auditlog_value
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
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
    and they are a manager (else 403); None when no such record exists (any more)."""
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
        if model.objects.filter(pk=pk).exists():
            raise Http404  # there, but not visible to the user
        return None
    if not (user.is_superuser or (user.is_manager and not user.is_sme)):
        raise PermissionDenied(_("Only managers read the history of records."))
    return record


def _last_values(entries) -> dict[str, str]:
    """Each field's last logged value (a foreign key as the related record's id): the new value
    of a create or update, the old one of the delete."""
    values = {}
    for entry in entries.order_by("timestamp", "pk"):
        for field, pair in (entry.changes_dict or {}).items():
            old, new = (list(pair) + [None, None])[:2]
            values[field] = old if entry.action == LogEntry.Action.DELETE else new
    return values


def _deleted_record_visible(user, kind: str, values: dict[str, str]) -> bool:
    """Was a deleted record of `kind` one the user may see? Judged by what it belonged to and
    still exists: its programme (directly, or through its service or testbed), or for a contact
    its company; the same querysets as for live records. A deleted programme, company or user
    belonged to nothing that remains: superusers only."""
    from metacluster.companies.models import Company
    from metacluster.programmes.models import Programme
    from metacluster.services.models import Service
    from metacluster.testbeds.models import Testbed

    def ref(field):
        value = str(values.get(field) or "")
        return int(value) if value.isdigit() else None

    if kind == "contact":
        return Company.objects.visible_to(user).filter(pk=ref("company")).exists()
    if kind in ("engagement", "deal", "aid-record"):
        programme = ref("programme")
    elif kind in ("delivery", "service-request"):
        programme = Service.objects.filter(pk=ref("service")).values("programme").first()
        programme = programme and programme["programme"]
    elif kind == "booking":
        testbed = Testbed.objects.filter(pk=ref("testbed")).values("service__programme").first()
        programme = testbed and testbed["service__programme"]
    else:
        return False
    return Programme.objects.visible_to(user).filter(pk=programme).exists()


def _deleted_record(user, kind: str, model, pk: int) -> str:
    """The name a deleted record had, when the user may read its history (else 404 / 403)."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_pk=str(pk)
    )
    last = entries.order_by("-timestamp", "-pk").first()
    if last is None or last.action != LogEntry.Action.DELETE:
        raise Http404
    if not (user.is_superuser or _deleted_record_visible(user, kind, _last_values(entries))):
        raise Http404
    if not (user.is_superuser or (user.is_manager and not user.is_sme)):
        raise PermissionDenied(_("Only managers read the history of records."))
    return last.object_repr


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
    deleted = record is None
    if deleted:
        model = apps.get_model(AUDITED[kind])
        record = _deleted_record(request.user, kind, model, pk)
        entries = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_pk=str(pk)
            )
            .select_related("actor")
            .order_by("-timestamp")
        )
    else:
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
        {
            "record": record,
            "deleted": deleted,
            "kind": kind,
            "lines": list(_lines(entries[:500])),
        },
    )
