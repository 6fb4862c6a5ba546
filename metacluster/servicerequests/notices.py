"""E-mails about service requests: the other side hears of every change and comment, once.

A RequestNotice row per (change or comment, recipient) is written in the same transaction as
the mail is handed to the backend; sending again for the same change finds the row and sends
nothing, so a retried notification never reaches anyone twice. Mail goes through Django's
EMAIL_BACKEND (the console by default, see settings)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from metacluster.accounts.choices import Role
from metacluster.accounts.models import User

from .choices import RequestStatus
from .models import RequestComment, RequestEvent, RequestNotice, ServiceRequest

STAFF = (Role.ADVISOR, Role.MANAGER)


def after_commit(entry: RequestEvent | RequestComment) -> None:
    """Notify once the change is stored: a change that is rolled back is never announced."""
    # robust: a mail server that is down must not turn a stored change into an error page.
    transaction.on_commit(lambda: send(entry), robust=True)


def requesting_side(request: ServiceRequest) -> list[User]:
    if request.requested_by_id and request.requested_by.is_active:
        return [request.requested_by]
    if request.referring_organisation_id:
        return list(
            User.objects.filter(
                organisation_id=request.referring_organisation_id, role__in=STAFF, is_active=True
            )
        )
    return list(User.objects.filter(company_id=request.company_id, role=Role.SME, is_active=True))


def receiving_side(request: ServiceRequest) -> list[User]:
    if request.advisor_id and request.advisor.is_active:
        return [request.advisor]
    return list(
        User.objects.filter(
            organisation_id=request.service.provider_id, role__in=STAFF, is_active=True
        )
    )


def recipients(entry: RequestEvent | RequestComment) -> list[User]:
    """The other side from the one who acted: the partner asked hears of new requests,
    withdrawals and the requester's comments; the requester of everything else. Someone on
    both sides (a partner asking itself) is answered by everyone but themselves."""
    request = entry.request
    if isinstance(entry, RequestEvent):
        actor = entry.by
        from_requester = entry.to_status in (RequestStatus.REQUESTED, RequestStatus.WITHDRAWN)
        people = receiving_side(request) if from_requester else requesting_side(request)
    else:
        actor = entry.author
        sides = request.sides_of(actor) if actor else set()
        people = []
        if "receiving" not in sides or "requesting" in sides:
            people += receiving_side(request)
        if "requesting" not in sides or "receiving" in sides:
            people += requesting_side(request)
    unique = {p.pk: p for p in people if p.email}
    return [p for pk, p in unique.items() if actor is None or pk != actor.pk]


def send(entry: RequestEvent | RequestComment) -> int:
    """Mail each recipient about `entry` unless they already were; return how many were."""
    field = "event" if isinstance(entry, RequestEvent) else "comment"
    sent = 0
    for user in recipients(entry):
        try:
            with transaction.atomic():
                RequestNotice.objects.create(**{field: entry}, recipient=user)
                _mail(user, entry)
        except IntegrityError:
            continue  # told already
        sent += 1
    return sent


def _mail(user: User, entry: RequestEvent | RequestComment) -> None:
    request = entry.request
    with translation.override(user.language or settings.LANGUAGE_CODE):
        names = {"service": request.service.translated("name"), "company": request.company.name}
        if isinstance(entry, RequestComment):
            subject = _("New comment on the request for %(service)s (%(company)s)") % names
        elif entry.to_status == RequestStatus.REQUESTED:
            subject = _("New service request: %(service)s for %(company)s") % names
        else:
            subject = _("Service request %(status)s: %(service)s for %(company)s") % {
                **names,
                "status": RequestStatus(entry.to_status).label,
            }
        actor = entry.author if isinstance(entry, RequestComment) else entry.by
        body = render_to_string(
            "servicerequests/mail/notice.txt",
            {
                "user": user,
                "request": request,
                "entry": entry,
                "is_comment": isinstance(entry, RequestComment),
                "author_name": (actor.get_full_name() or actor.username) if actor else "—",
                "link": settings.SITE_URL + request.get_absolute_url(),
            },
        )
        send_mail(str(subject), body, None, [user.email])
