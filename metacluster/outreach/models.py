"""Messages to a segment of a programme's SMEs, with a log per recipient and unsubscribing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metacluster.companies.choices import Stage
from metacluster.countries import country_choices
from metacluster.versioning import Versioned

from .choices import MessageStatus, RecipientStatus, ReminderKind

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


class ProgrammeScoped(models.QuerySet):
    def visible_to(self, user):
        from metacluster.programmes.models import Programme

        if not user.is_authenticated or user.is_sme:
            return self.none()
        return self.filter(programme__in=Programme.objects.visible_to(user))


class MessageTemplateQuerySet(ProgrammeScoped):
    def one_per_name(self, language: str) -> list[MessageTemplate]:
        """One version of each template, by name: the one in `language` where there is one,
        else the one in the site's language, else the first by language code."""
        preference = [language[:2], settings.LANGUAGE_CODE[:2]]
        chosen: dict[str, MessageTemplate] = {}
        for template in self.order_by("name", "language"):
            held = chosen.get(template.name)
            if held is None or _rank(template, preference) < _rank(held, preference):
                chosen[template.name] = template
        return list(chosen.values())


def _rank(template, preference: list[str]) -> int:
    return (
        preference.index(template.language) if template.language in preference else len(preference)
    )


class MessageTemplate(Versioned, models.Model):
    """A reusable text, one per language; ``{company}`` and ``{programme}`` are filled in.
    Versioned: two managers editing the same template cannot overwrite each other."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="message_templates"
    )
    name = models.CharField(_("name"), max_length=100)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))

    objects = MessageTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "name", "language"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name", "language"], name="%(app_label)s_%(class)s_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class Message(models.Model):
    """One mailing to a segment: the programme's companies at some stages, in some countries,
    with some capabilities, or the attendees of an activity (every given criterion applies)."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    template_name = models.CharField(
        _("template"),
        max_length=100,
        blank=True,
        help_text=_("Each recipient gets the template in their language; empty: the text below."),
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    stages = models.JSONField(_("stages"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    capabilities = models.ManyToManyField(
        "matchmaking.Capability", verbose_name=_("capabilities"), blank=True, related_name="+"
    )
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("attendees of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=MessageStatus.choices, default=MessageStatus.DRAFT
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = ProgrammeScoped.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.subject or self.template_name

    def tally(self) -> dict[str, int]:
        """How many logged addresses have each recipient status (every status, zeros too)."""
        counts = dict(
            self.recipients.values_list("status").annotate(n=models.Count("pk")).order_by()
        )
        return {status: counts.get(status, 0) for status in RecipientStatus.values}


class Recipient(models.Model):
    """The log: what happened to the message for one address."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="recipients")
    email = models.EmailField(_("e-mail"))
    company = models.ForeignKey(
        "companies.Company", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=14, choices=RecipientStatus.choices)
    error = models.CharField(_("error"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["message", "email"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "email"], name="%(app_label)s_%(class)s_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.status}"


class Unsubscription(models.Model):
    """An address that asked for no more of a programme's messages."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="unsubscriptions"
    )
    email = models.EmailField(_("e-mail"))
    at = models.DateTimeField(_("unsubscribed"), default=timezone.now)

    class Meta:
        ordering = ["programme", "email"]
        verbose_name = _("unsubscription")
        verbose_name_plural = _("unsubscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "email"], name="%(app_label)s_%(class)s_once"
            ),
        ]

    def __str__(self) -> str:
        return self.email


class ReminderSetting(models.Model):
    """Whether a user receives automatic reminders (an activity or a meeting tomorrow, an
    unfinished assessment, an overdue request, a report due)."""

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="reminder_setting"
    )
    reminders = models.BooleanField(_("send me reminders"), default=True)

    class Meta:
        ordering = ["user"]
        verbose_name = _("reminder setting")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return f"{self.user}: {self.reminders}"

    @staticmethod
    def wants_reminders(user) -> bool:
        setting = ReminderSetting.objects.filter(user=user).first()
        return setting is None or setting.reminders


class ReminderLog(models.Model):
    """An automatic reminder sent: one row per kind, thing and address, so that each reminder
    goes out once however often `send-reminders` runs."""

    kind = models.CharField(_("kind"), max_length=12, choices=ReminderKind.choices)
    object_id = models.PositiveBigIntegerField(_("about"))
    email = models.EmailField(_("e-mail"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "email"], name="%(app_label)s_%(class)s_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} → {self.email}"


STAGE_CHOICES = Stage.choices
COUNTRY_CHOICES = country_choices
