"""Who a message reaches, and sending it. `send_segment_message` is a plain function so that a
background worker can run it (the Celery task wraps it where one exists)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from metacluster.accounts.models import User
from metacluster.companies.models import Company, Contact

from .choices import MessageStatus, RecipientStatus
from .models import Message, MessageTemplate, Recipient, Unsubscription

SALT = "metacluster.outreach.unsubscribe"


# --- Who may do what (the pages and the API both call these) ------------------------------------


def check_staff(user) -> None:
    """Mailings are staff work: SME users see none."""
    if user.is_sme:
        raise PermissionDenied


def check_may_write(user, programme) -> None:
    if not programme.is_recordable_by(user):
        raise PermissionDenied(_("Only the programme's advisors and managers write messages."))


def check_may_send(user, programme) -> None:
    if not programme.is_recordable_by(user):
        raise PermissionDenied(_("Only the programme's advisors and managers send messages."))


def segment_companies(message: Message):
    """The companies the message is for: engaged in its programme and matching every
    criterion given."""
    companies = Company.objects.current().filter(engagements__programme=message.programme)
    if message.stages:
        companies = companies.filter(
            engagements__programme=message.programme, engagements__stage__in=message.stages
        )
    if message.countries:
        companies = companies.filter(country__in=message.countries)
    capabilities = list(message.capabilities.all())
    if capabilities:
        companies = companies.filter(
            offers__programme=message.programme, offers__capabilities__in=capabilities
        )
    if message.activity_id:
        from metacluster.activities.choices import RegistrationStatus

        companies = companies.filter(
            activity_registrations__activity_id=message.activity_id,
            activity_registrations__status=RegistrationStatus.REGISTERED,
        )
    return companies.distinct().order_by("name")


def recipients(message: Message) -> list[tuple[str, Company, str]]:
    """(e-mail, company, language) for everybody the message reaches: the companies' SME users
    and their contacts with an e-mail address who have not withdrawn consent; once per address."""
    companies = {c.pk: c for c in segment_companies(message)}
    found: dict[str, tuple[str, Company, str]] = {}
    for user in User.objects.filter(company_id__in=companies, is_active=True).exclude(email=""):
        found.setdefault(
            user.email.lower(), (user.email, companies[user.company_id], user.language)
        )
    contacts = Contact.objects.filter(
        company_id__in=companies, consent_withdrawn_at__isnull=True
    ).exclude(email="")
    for contact in contacts.order_by("pk"):
        found.setdefault(contact.email.lower(), (contact.email, companies[contact.company_id], ""))
    return [found[key] for key in sorted(found)]


def reach(message: Message) -> tuple[int, int]:
    """(addresses the message would reach, addresses of its segment left out as unsubscribed)."""
    unsubscribed = _unsubscribed(message)
    addresses = [email.lower() for email, _company, _language in recipients(message)]
    left_out = sum(1 for email in addresses if email in unsubscribed)
    return len(addresses) - left_out, left_out


def _unsubscribed(message: Message) -> set[str]:
    return set(
        Unsubscription.objects.filter(programme=message.programme).values_list("email", flat=True)
    )


def unsubscribe_token(programme_id: int, email: str) -> str:
    return signing.dumps({"p": programme_id, "e": email.lower()}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """Raises signing.BadSignature for a token this site did not make."""
    data = signing.loads(token, salt=SALT)
    return int(data["p"]), str(data["e"])


def unsubscribe_link(programme_id: int, email: str) -> str:
    path = reverse("outreach:unsubscribe", args=[unsubscribe_token(programme_id, email)])
    return settings.SITE_URL + path


def _text(message: Message, language: str) -> tuple[str, str]:
    if message.template_name:
        versions = MessageTemplate.objects.filter(
            programme=message.programme, name=message.template_name
        ).one_per_name(language or settings.LANGUAGE_CODE)
        if versions:
            return versions[0].subject, versions[0].body
    return message.subject, message.body


def enqueue(message_id: int) -> None:
    """Send on the background worker when a broker is configured (REDIS_URL; after the
    transaction commits, so that the worker sees the message); otherwise now, in this process
    (metacluster.jobs.running.enqueue decides, as for every task)."""
    from metacluster.jobs.running import enqueue as run

    from .tasks import send_segment_message_task

    run(send_segment_message_task, message_id)


def send_segment_message(message_id: int) -> int:
    """Send a message to its segment once: claim it, mail each recipient with their own
    unsubscribe link, log every address. Run again after a crash, it sends only to addresses
    not logged yet. Returns how many e-mails went out."""
    claimed = Message.objects.filter(
        pk=message_id, status__in=[MessageStatus.DRAFT, MessageStatus.SENDING]
    ).update(status=MessageStatus.SENDING)
    if claimed != 1:
        return 0
    message = Message.objects.select_related("programme").get(pk=message_id)
    unsubscribed = _unsubscribed(message)
    logged = set(message.recipients.values_list("email", flat=True))
    sent = 0
    for email, company, language in recipients(message):
        if email in logged:
            continue
        if email.lower() in unsubscribed:
            _log(message, email, company, RecipientStatus.UNSUBSCRIBED)
            continue
        with translation.override(language or settings.LANGUAGE_CODE):
            subject, body = _text(message, language)
            names = {"company": company.name, "programme": message.programme.name}
            footer = _("You receive this as a participant of %(programme)s. Unsubscribe:") % names
            text = f"{_fill(body, names)}\n\n-- \n{footer}\n{unsubscribe_link(message.programme_id, email)}\n"
        try:
            send_mail(_fill(subject, names), text, None, [email])
        except Exception as error:  # noqa: BLE001 - one bad address must not stop the rest
            _log(message, email, company, RecipientStatus.FAILED, str(error)[:300])
            continue
        _log(message, email, company, RecipientStatus.SENT)
        sent += 1
    Message.objects.filter(pk=message_id).update(status=MessageStatus.SENT, sent_at=timezone.now())
    return sent


def _fill(text: str, names: dict) -> str:
    # Only the two known placeholders: str.format would fail on any other brace in the text.
    return text.replace("{company}", names["company"]).replace("{programme}", names["programme"])


def _log(message, email, company, status, error="") -> None:
    try:
        with transaction.atomic():
            Recipient.objects.create(
                message=message, email=email, company=company, status=status, error=error
            )
    except IntegrityError:
        pass  # logged by a concurrent run
