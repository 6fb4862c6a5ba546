"""E-mail notices about meeting requests: the person asked hears of a request, the sender of
its answer, the person asked of a withdrawal. Each is sent once, after the change is committed,
so a rolled-back change sends nothing."""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from metacluster.accounts.models import User

from .choices import RequestStatus
from .models import MeetingRequest, Participant


def addresses(person: Participant) -> list[str]:
    """Where a participant is reached: their own e-mail, else the SME users of their company."""
    if person.email:
        return [person.email]
    if person.company_id:
        users = User.objects.filter(company_id=person.company_id, is_active=True).exclude(email="")
        return sorted(users.values_list("email", flat=True))
    return []


def _notify(person: Participant, subject: str, template: str, request: MeetingRequest) -> None:
    to = addresses(person)
    if not to:
        return
    body = render_to_string(template, {"request": request, "person": person})

    def send():
        send_mail(subject, body, None, to)

    transaction.on_commit(send)


def request_sent(request: MeetingRequest) -> None:
    event = request.event.title
    if request.status == RequestStatus.ACCEPTED:  # auto-accept events: the meeting is agreed
        subject = _("%(sender)s will meet you at %(event)s")
    else:
        subject = _("%(sender)s asks to meet you at %(event)s")
    subject %= {"sender": request.sender.organisation, "event": event}
    _notify(request.recipient, subject, "events/notice_request.txt", request)


def request_answered(request: MeetingRequest) -> None:
    if request.status == RequestStatus.ACCEPTED:
        subject = _("%(recipient)s accepted your meeting request at %(event)s")
    else:
        subject = _("%(recipient)s declined your meeting request at %(event)s")
    subject %= {"recipient": request.recipient.organisation, "event": request.event.title}
    _notify(request.sender, subject, "events/notice_answer.txt", request)


def request_withdrawn(request: MeetingRequest) -> None:
    subject = _("%(sender)s withdrew their meeting request at %(event)s") % {
        "sender": request.sender.organisation,
        "event": request.event.title,
    }
    _notify(request.recipient, subject, "events/notice_withdrawn.txt", request)
