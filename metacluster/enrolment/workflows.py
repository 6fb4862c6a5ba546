"""An SME's way into a programme: apply on the public page, be screened, be accepted or
declined by an advisor, and be invited to log in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from metacluster.accounts.choices import Role
from metacluster.accounts.models import User
from metacluster.companies.choices import Stage
from metacluster.companies.models import Company, engage
from metacluster.core.scouting.names import name_key

from .choices import ApplicationStatus
from .models import Application, Eligibility


class ReviewError(Exception):
    """An application that cannot be reviewed this way (e.g. decided already)."""


def check_may_review(user, application: Application) -> None:
    """Applications are decided by the programme's advisors and managers (the pages and the
    API both call this)."""
    if not application.programme.is_recordable_by(user):
        raise PermissionDenied(_("Only the programme's advisors and managers review applications."))


def check_may_accept(user, application: Application) -> None:
    """Accepting engages the company with the reviewer's organisation as partner: it needs one."""
    check_may_review(user, application)
    if not user.organisation_id:
        raise PermissionDenied(_("Only staff of a partner organisation accept applications."))


def existing_company(country: str, registry_code: str, name: str) -> Company | None:
    """The company on record that the applicant is, if any: same country and registry code,
    else the same normalised name in the same country."""
    companies = Company.objects.current().filter(country=country)
    code = registry_code.strip()
    if code:
        found = companies.filter(registry_code__iexact=code).first()
        if found:
            return found
    key = name_key(name)[:200]
    return companies.filter(name_key=key).first() if key else None


def submit(programme, eligibility: Eligibility, answers: dict, *, language: str) -> Application:
    """Record an application, screened against the rules and matched against the companies on
    record; it waits for review unless a rule screened it out."""
    reasons = eligibility.screen(
        country=answers["country"],
        region=answers.get("region", ""),
        employees=answers["employees"],
        ict_component=answers.get("ict_component", False),
        export_will=answers.get("export_will", False),
        de_minimis_received=answers.get("de_minimis_received"),
    )
    return Application.objects.create(
        programme=programme,
        language=language,
        status=ApplicationStatus.SCREENED_OUT if reasons else ApplicationStatus.PENDING,
        screening_reasons=reasons,
        existing_company=existing_company(
            answers["country"], answers["registry_code"], answers["company_name"]
        ),
        **answers,
    )


def _claim(application: Application, by) -> Application:
    """Lock the application so two advisors cannot decide it at once."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.PENDING:
        raise ReviewError(_("This application has been decided already."))
    locked.reviewed_by = by
    locked.reviewed_at = timezone.now()
    return locked


def accept(application: Application, *, by) -> tuple[Application, User | None]:
    """Take the SME in: its company (the one on record, or a new one), an engagement at the first
    stage with the reviewer's organisation as partner, and an SME user invited by e-mail.

    Returns the application and the invited user (None when the e-mail belongs to a user who
    is not this company's, who is then left alone)."""
    with transaction.atomic():
        application = _claim(application, by)
        company = application.existing_company
        if company is None:
            company = Company(
                name=application.company_name,
                country=application.country,
                registry_code=application.registry_code,
                employees=application.employees,
                website=application.website,
                description=application.offering,
                owner=by.organisation,
            )
            company.full_clean()
            company.save()
        engage(company, application.programme, by.organisation, by=by, stage=Stage.IDENTIFIED)
        application.company = company
        application.status = ApplicationStatus.ACCEPTED
        application.save()
        user = User.objects.filter(email__iexact=application.contact_email).first()
        if user is None:
            first, _sep, last = application.contact_name.partition(" ")
            user = User(
                username=application.contact_email.lower()[:150],
                email=application.contact_email,
                first_name=first[:150],
                last_name=last[:150],
                role=Role.SME,
                company=company,
                language=application.language,
            )
            user.set_unusable_password()
            user.save()
        elif user.company_id != company.pk:
            return application, None
    transaction.on_commit(lambda: invite(user, application))
    return application, user


def decline(application: Application, *, by, reason: str) -> Application:
    if not reason.strip():
        raise ReviewError(_("Say why the application is declined; the applicant is told."))
    with transaction.atomic():
        application = _claim(application, by)
        application.status = ApplicationStatus.DECLINED
        application.decline_reason = reason.strip()
        application.save()
    transaction.on_commit(lambda: _mail_decision(application))
    return application


def invitation_link(user: User) -> str:
    """A one-time link to choose a password (Django's password reset, which expires)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL + path


def invite(user: User, application: Application) -> None:
    with translation.override(application.language or settings.LANGUAGE_CODE):
        subject = _("Welcome to %(programme)s") % {"programme": application.programme.name}
        body = render_to_string(
            "enrolment/mail/invitation.txt",
            {"user": user, "application": application, "link": invitation_link(user)},
        )
    send_mail(str(subject), body, None, [user.email])


def _mail_decision(application: Application) -> None:
    with translation.override(application.language or settings.LANGUAGE_CODE):
        subject = _("Your application to %(programme)s") % {"programme": application.programme.name}
        body = render_to_string("enrolment/mail/declined.txt", {"application": application})
    send_mail(str(subject), body, None, [application.contact_email])
