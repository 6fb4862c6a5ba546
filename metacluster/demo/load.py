"""Loading and removing the demo: the programmes built by ``builder``, then every app's own demo
records on top (each app's ``demo.py`` with ``extend`` and ``remove``, in ``EXTENSIONS`` order).
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.db.models.deletion import ProtectedError

from metacluster.accounts.models import User
from metacluster.companies.models import Company
from metacluster.deals.models import Deal
from metacluster.programmes.choices import PartnerRole
from metacluster.programmes.models import Programme
from metacluster.services.models import Delivery

from .builder import Builder, DemoError
from .facts import ACRONYMS, FOURSG, ICT, ORGANISATIONS, PROGRAMMES, SME2GO, TIME_ZONES, TRANSFER
from .fiction import EMAIL_DOMAIN, FICTIONAL, REGISTRY_PREFIX, SEED


@dataclass(frozen=True)
class Login:
    username: str
    description: str


def exists() -> bool:
    """Whether any of the demo programmes is in the database."""
    return _demo_programmes().exists()


def _demo_programmes():
    names = [spec.name for spec in PROGRAMMES] + [TRANSFER.name]
    return Programme.objects.filter(Q(acronym__in=ACRONYMS) | Q(name__in=names))


def _demo_users():
    usernames = ["admin", "viewer", "sme"] + [spec.username for spec in ORGANISATIONS.values()]
    return User.objects.filter(username__in=usernames, email__endswith="@" + EMAIL_DOMAIN)


def remove() -> dict[str, int]:
    """Delete the demo programmes, the fictional companies and the demo users.

    The organisations stay: they are real, and other programmes may name them as partners.
    Returns how many programmes, companies and users were deleted."""
    programmes = _demo_programmes()
    companies = Company.objects.filter(
        registry_code__startswith=REGISTRY_PREFIX, name__endswith=FICTIONAL
    )
    counts = {
        "programmes": programmes.count(),
        "companies": companies.count(),
        "users": _demo_users().count(),
    }
    try:
        with transaction.atomic():
            # Users point at their company, deliveries at their service and company, and deals
            # at their company, all protected: delete them before what they point at.
            for extension in reversed(_extensions()):
                extension.remove(programmes, companies)
            _demo_users().delete()
            Delivery.objects.filter(
                Q(service__programme__in=programmes) | Q(company__in=companies)
            ).delete()
            Deal.objects.filter(Q(programme__in=programmes) | Q(company__in=companies)).delete()
            programmes.delete()
            companies.delete()
    except ProtectedError as error:
        blocking = ", ".join(sorted({str(obj) for obj in error.protected_objects})[:5])
        raise DemoError(
            f"Cannot delete the demo data: other records still refer to it ({blocking})."
        ) from error
    return counts


def logins() -> list[Login]:
    """The demo users and what they may do, for printing after a load."""
    result = [Login("admin", "superuser: sees and edits everything")]
    leads = {p.org for spec in PROGRAMMES for p in spec.partners if p.role == PartnerRole.LEAD}
    for key, org in ORGANISATIONS.items():
        role = "programme manager" if key in leads else "advisor"
        result.append(Login(org.username, f"{role}, {org.name} ({TIME_ZONES[org.country]})"))
    result.append(Login("viewer", f"viewer, {ORGANISATIONS['sisp'].name}"))
    result.append(Login("sme", "SME user of one fictional company"))
    return result


def load(*, seed: int = SEED) -> dict[str, int]:
    """Create the demo programmes with their fictional records, in one transaction.

    Raises DemoError if a demo programme already exists. Returns counts of what was created."""
    if exists():
        raise DemoError("The demo programmes already exist.")
    with transaction.atomic():
        builder = Builder(random.Random(seed))
        builder.organisations_and_staff()
        ict = builder.programme(ICT)
        sme2go = builder.programme(SME2GO)
        foursg = builder.programme(FOURSG)
        builder.fill_ict(ict)
        builder.fill_sme2go(sme2go)
        builder.fill_4smartgrowth(foursg)
        builder.eligibility(ict, transferred=builder.transfer(TRANSFER))
        builder.flush()
        builder.notes()
        builder.sme_user()
        counts = builder.counts()
        counts["programmes"] += 1  # the transferred one, which has no records yet
        by_acronym = {programme.acronym: programme for programme in (ict, sme2go, foursg)}
        for extension in _extensions():
            counts.update(extension.extend(by_acronym, builder.rng))
    return counts


# The apps that add their own demo records on top of the programmes, in the order they run.
EXTENSIONS = [
    "scouting",
    "readiness",
    "markets",
    "matchmaking",
    "consortia",
    "events",
    "activities",  # before stateaid: its new deliveries get their aid records there
    "reporting",
    "stateaid",
    "testbeds",
    "guides",
    "servicerequests",
]


def _extensions():
    return [importlib.import_module(f"metacluster.{app}.demo") for app in EXTENSIONS]
