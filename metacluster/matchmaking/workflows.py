"""What people do with matches: express interest (a lead in the deals pipeline), judge a
match, tell companies about opportunities."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from metacluster.accounts.choices import Role
from metacluster.accounts.models import User
from metacluster.companies.models import Engagement
from metacluster.deals.choices import DealStage
from metacluster.deals.models import Deal

from . import adapters
from .choices import OpportunityStatus
from .models import Buyer, Feedback, Interest, Notice, Opportunity


def express_interest(
    opportunity: Opportunity, company, *, by=None, message: str = "", on=None
) -> Interest:
    """Record a company's interest in an open opportunity and open a lead for it in the deals
    pipeline, owned by the partner the company works with in the programme, all or nothing.
    `on` dates both (today by default; the demo records them in the programme's past)."""
    if not opportunity.is_open:
        raise ValidationError(_("This opportunity is closed or past its deadline."))
    engagement = Engagement.objects.filter(
        programme=opportunity.programme_id, company=company
    ).first()
    if engagement is None:
        raise ValidationError(_("The company does not take part in this programme."))
    if Interest.objects.filter(opportunity=opportunity, company=company).exists():
        raise ValidationError(_("This company has already expressed interest."))
    counterpart = opportunity.buyer or opportunity.title
    deal = Deal(
        programme=opportunity.programme,
        company=company,
        partner=engagement.partner,
        market=opportunity.country,
        counterpart=counterpart[:200],
        title=opportunity.title[:200],
        stage=DealStage.LEAD,
        opened_on=on or timezone.localdate(),
        notes=_("Interest in the opportunity “%(title)s”.") % {"title": opportunity.title}
        + (f"\n\n{message}" if message else ""),
    )
    deal.full_clean()
    with transaction.atomic():
        deal.save()
        return Interest.objects.create(
            opportunity=opportunity,
            company=company,
            message=message,
            deal=deal,
            created_by=by,
            created_at=timezone.now()
            if on is None
            else timezone.make_aware(datetime.combine(on, time(12))),
        )


def give_feedback(opportunity, company, verdict: str, *, by=None, note: str = "") -> Feedback:
    """Store (or change) the judgement of one match."""
    feedback, _created = Feedback.objects.update_or_create(
        opportunity=opportunity,
        company=company,
        defaults={"verdict": verdict, "note": note, "given_by": by, "given_at": timezone.now()},
    )
    return feedback


def recipients(company) -> list[User]:
    return list(
        User.objects.filter(company=company, role=Role.SME, is_active=True).exclude(email="")
    )


def _mail(user: User, subject: str, template: str, context: dict) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = render_to_string(template, {**context, "user": user})
        send_mail(str(subject), body, None, [user.email])


def notify(opportunity: Opportunity, company, *, by, score: float | None = None) -> Notice | None:
    """An advisor tells a company's SME users about an opportunity: one mail, recorded, never
    twice for the same opportunity. None when it was told already."""
    with transaction.atomic():
        notice, created = Notice.objects.get_or_create(
            opportunity=opportunity,
            company=company,
            defaults={"sent_by": by, "score": score},
        )
        if not created:
            return None
        users = recipients(company)
        for user in users:
            _mail(
                user,
                _("An opportunity for %(company)s") % {"company": company.name},
                "matchmaking/mail/digest.txt",
                {"company": company, "opportunities": [opportunity], "sender": by},
            )
        notice.recipients = len(users)
        notice.save(update_fields=["recipients"])
    return notice


def send_alerts(*, top: int = 5, min_score: float = 0.35, today=None) -> dict[str, int]:
    """Tell the best-matching companies about open opportunities they have not heard of: at
    most `top` companies per opportunity, scoring at least `min_score`, and one digest mail
    per SME user listing every new opportunity for their company."""
    found: dict[int, list[tuple[Opportunity, float]]] = defaultdict(list)
    companies = {}
    opportunities = Opportunity.objects.open(today).select_related("programme")
    for opportunity in opportunities:
        told = set(opportunity.notices.values_list("company_id", flat=True))
        _mode, ranked = adapters.companies_for(opportunity, top=top)
        for item in ranked:
            if item.match.score < min_score or item.company.pk in told or item.verdict:
                continue
            found[item.company.pk].append((opportunity, item.match.score))
            companies[item.company.pk] = item.company
    mails = notices = 0
    for company_id, items in found.items():
        company = companies[company_id]
        users = recipients(company)
        if not users:
            continue  # nobody to tell yet; a later run will, once the company has a user
        with transaction.atomic():
            for opportunity, score in items:
                Notice.objects.create(
                    opportunity=opportunity, company=company, score=score, recipients=len(users)
                )
                notices += 1
            for user in users:
                _mail(
                    user,
                    _("%(count)s new opportunities for %(company)s")
                    % {"count": len(items), "company": company.name},
                    "matchmaking/mail/digest.txt",
                    {"company": company, "opportunities": [o for o, _s in items], "sender": None},
                )
                mails += 1
    return {"opportunities": opportunities.count(), "notices": notices, "mails": mails}


# --- Invited buyers -----------------------------------------------------------------------------


def invite_buyer(buyer: Buyer, *, by, link_for) -> str:
    """Save an invitation, give the buyer a personal link and mail it; the link is returned
    (shown to the advisor once). `link_for(key)` makes the absolute URL."""
    buyer.partner_id = by.organisation_id
    buyer.invited_by = by
    buyer.full_clean()
    buyer.save()
    link = link_for(buyer.issue_link())
    send_mail(
        _("%(partner)s invites you to publish opportunities") % {"partner": buyer.partner.name},
        render_to_string("matchmaking/buyer_invitation.txt", {"buyer": buyer, "link": link}),
        None,
        [buyer.email],
    )
    return link


def save_buyer_opportunity(form, buyer: Buyer) -> Opportunity:
    """Save what an invited buyer wrote: in the invitation's programme, for the inviting
    partner, with its visibility; a draft for the partner to publish when the invitation is
    moderated (an edit sends a published one back for review), else published."""
    opportunity = form.instance
    if opportunity.pk is None:
        opportunity.programme = buyer.programme
        opportunity.partner = buyer.partner
        opportunity.invited_buyer = buyer
        opportunity.buyer = buyer.organisation
        opportunity.visibility = buyer.visibility
    if opportunity.status != OpportunityStatus.CLOSED:
        opportunity.status = (
            OpportunityStatus.DRAFT if buyer.moderated else OpportunityStatus.PUBLISHED
        )
    return form.save()
