"""Outgoing e-mail as tasks: EMAIL_BACKEND is this queue, EMAIL_DELIVERY_BACKEND the real one.

With a worker (REDIS_URL), a request that sends mail only enqueues it (after its transaction
commits) and the worker delivers it, retrying while the mail server is down. Without one the
delivery backend sends it at once, as if it were EMAIL_BACKEND itself (a refused address
raises, so callers that record failures per recipient still can).
"""

import base64

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend


def serialise(message: EmailMessage) -> dict | None:
    """The message as JSON-ready data, or None when it carries a MIME part we cannot copy."""
    attachments = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):
            return None
        name, content, mimetype = attachment
        if isinstance(content, bytes):
            attachments.append([name, base64.b64encode(content).decode(), mimetype, "base64"])
        else:
            attachments.append([name, content, mimetype, "text"])
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [list(a) for a in getattr(message, "alternatives", [])],
        "attachments": attachments,
        "content_subtype": message.content_subtype,
    }


def rebuild(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    message.content_subtype = data.get("content_subtype", "plain")
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for name, content, mimetype, how in data["attachments"]:
        message.attach(name, base64.b64decode(content) if how == "base64" else content, mimetype)
    return message


def deliver(data: dict) -> int:
    with get_connection(settings.EMAIL_DELIVERY_BACKEND) as connection:
        return connection.send_messages([rebuild(data)])


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from .running import enqueue, queue_enabled
        from .tasks import send_email

        if not queue_enabled():
            with get_connection(
                settings.EMAIL_DELIVERY_BACKEND, fail_silently=self.fail_silently
            ) as connection:
                return connection.send_messages(email_messages)
        direct = []
        for message in email_messages:
            data = serialise(message)
            if data is None:
                direct.append(message)
            else:
                enqueue(send_email, data)
        if direct:
            with get_connection(settings.EMAIL_DELIVERY_BACKEND) as connection:
                connection.send_messages(direct)
        return len(email_messages)
