"""Who sees and edits what: the `visible_to`, `managed_by`, `recordable_by` and `editable_by`
querysets, for every kind of user against one fixed world.

The world: a programme run by the lead (Fibre Valley) and a partner (Tallinn), with Alpha engaged
by the lead and Beta by the partner; Scouted, a company the lead added but has not engaged; and
another organisation's programme with Gamma. Users: a superuser, the lead's manager and viewer,
the partner's advisor, the other organisation's manager (the outsider), Alpha's SME user and an
anonymous visitor.
"""

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from metacluster.accounts.choices import Role
from metacluster.accounts.models import User
from metacluster.companies.models import Company, Contact, Engagement, Note, engage
from metacluster.consortia.models import Consortium
from metacluster.deals.models import Deal
from metacluster.programmes.models import Programme
from metacluster.services.choices import ServiceKind
from metacluster.services.models import Delivery, Service


@pytest.fixture
def users(manager, advisor, viewer, outsider, sme_user, lead_org):
    return {
        "superuser": User.objects.create(username="root", is_superuser=True, is_staff=True),
        "manager": manager,
        "advisor": advisor,
        "viewer": viewer,
        "outsider": outsider,
        "sme": sme_user,
        "anonymous": AnonymousUser(),
        # Staff without an organisation (a half-set-up account) sees nothing.
        "orphan": User.objects.create(username="orphan", role=Role.VIEWER),
    }


@pytest.fixture
def world(
    programme,
    outsider_programme,
    company,
    other_company,
    outsider_company,
    lead_org,
    partner_org,
    outsider_org,
    coaching,
    training,
):
    """Named records of every kind, inside and outside the programme."""
    scouted = Company.objects.create(name="Scouted Fictional AB", country="SE", owner=lead_org)
    other_service = Service.objects.create(
        programme=outsider_programme,
        provider=outsider_org,
        kind=ServiceKind.COACHING,
        name="Other coaching",
    )
    consent = datetime(2020, 1, 1, tzinfo=UTC)

    def delivery(service, to):
        return Delivery.objects.create(
            service=service,
            company=to,
            provider=service.provider,
            date=date(2020, 3, 1),
            quantity=1,
        )

    def deal(in_programme, of, partner):
        return Deal.objects.create(
            programme=in_programme, company=of, partner=partner, market="CN", counterpart="Buyer"
        )

    def consortium(in_programme, name, coordinator, members):
        created = Consortium.objects.create(
            programme=in_programme, name=name, coordinator=coordinator
        )
        created.members.set(members)
        return created

    def contact(at):
        return Contact.objects.create(
            company=at, name=f"Contact at {at}", lawful_basis="consent", consent_given_at=consent
        )

    return {
        Programme: {"programme": programme, "other programme": outsider_programme},
        Company: {
            "alpha": company,
            "beta": other_company,
            "gamma": outsider_company,
            "scouted": scouted,
        },
        Engagement: {
            "alpha": company.engagements.get(),
            "beta": other_company.engagements.get(),
            "gamma": outsider_company.engagements.get(),
        },
        Note: {
            "lead private": Note.objects.create(
                company=company, organisation=lead_org, text="Lead only", private=True
            ),
            "lead shared": Note.objects.create(
                company=company, organisation=lead_org, text="For partners", private=False
            ),
            "partner private": Note.objects.create(
                company=company, organisation=partner_org, text="Tallinn only", private=True
            ),
            "scouted private": Note.objects.create(
                company=scouted, organisation=lead_org, text="Worth a call", private=True
            ),
            "outsider shared": Note.objects.create(
                company=outsider_company, organisation=outsider_org, text="Theirs", private=False
            ),
        },
        Delivery: {
            "alpha": delivery(coaching, company),
            "beta": delivery(training, other_company),
            "gamma": delivery(other_service, outsider_company),
        },
        Deal: {
            "alpha": deal(programme, company, lead_org),
            "beta": deal(programme, other_company, partner_org),
            "gamma": deal(outsider_programme, outsider_company, outsider_org),
        },
        Consortium: {
            "alpha and beta": consortium(programme, "Baltic", lead_org, [company, other_company]),
            "beta alone": consortium(programme, "Estonian", partner_org, [other_company]),
            "gamma": consortium(outsider_programme, "Latvian", outsider_org, [outsider_company]),
        },
        Contact: {
            "alpha": contact(company),
            "beta": contact(other_company),
            "gamma": contact(outsider_company),
            "scouted": contact(scouted),
        },
    }


def names(queryset, records: dict) -> set[str]:
    """The names of the world's records in `queryset` (which must hold no others)."""
    by_pk = {obj.pk: name for name, obj in records.items()}
    pks = list(queryset.values_list("pk", flat=True))
    assert len(pks) == len(set(pks)), "visible_to returned duplicates"
    return {by_pk[pk] for pk in pks}


EVERYTHING = "everything"

# What each user sees of each model, by record name.
VISIBLE = {
    Programme: {
        "superuser": EVERYTHING,
        "manager": {"programme"},
        "advisor": {"programme"},
        "viewer": {"programme"},
        "outsider": {"other programme"},
        "sme": {"programme"},
        "anonymous": set(),
        "orphan": set(),
    },
    Company: {
        "superuser": EVERYTHING,
        # The lead also sees the company it scouted but has not engaged.
        "manager": {"alpha", "beta", "scouted"},
        "advisor": {"alpha", "beta"},
        "viewer": {"alpha", "beta", "scouted"},
        "outsider": {"gamma"},
        "sme": {"alpha"},
        "anonymous": set(),
        "orphan": set(),
    },
    Engagement: {
        "superuser": EVERYTHING,
        "manager": {"alpha", "beta"},
        "advisor": {"alpha", "beta"},
        "viewer": {"alpha", "beta"},
        "outsider": {"gamma"},
        "sme": {"alpha"},
        "anonymous": set(),
        "orphan": set(),
    },
    Note: {
        "superuser": EVERYTHING,
        "manager": {"lead private", "lead shared", "scouted private"},
        "advisor": {"lead shared", "partner private"},
        "viewer": {"lead private", "lead shared", "scouted private"},
        "outsider": {"outsider shared"},
        # Notes are internal to the partners.
        "sme": set(),
        "anonymous": set(),
        "orphan": set(),
    },
    Delivery: {
        "superuser": EVERYTHING,
        "manager": {"alpha", "beta"},
        "advisor": {"alpha", "beta"},
        "viewer": {"alpha", "beta"},
        "outsider": {"gamma"},
        "sme": {"alpha"},
        "anonymous": set(),
        "orphan": set(),
    },
    Deal: {
        "superuser": EVERYTHING,
        "manager": {"alpha", "beta"},
        "advisor": {"alpha", "beta"},
        "viewer": {"alpha", "beta"},
        "outsider": {"gamma"},
        "sme": {"alpha"},
        "anonymous": set(),
        "orphan": set(),
    },
    Consortium: {
        "superuser": EVERYTHING,
        "manager": {"alpha and beta", "beta alone"},
        "advisor": {"alpha and beta", "beta alone"},
        "viewer": {"alpha and beta", "beta alone"},
        "outsider": {"gamma"},
        # An SME user sees the consortia its company is a member of.
        "sme": {"alpha and beta"},
        "anonymous": set(),
        "orphan": set(),
    },
    Contact: {
        "superuser": EVERYTHING,
        "manager": {"alpha", "beta", "scouted"},
        "advisor": {"alpha", "beta"},
        "viewer": {"alpha", "beta", "scouted"},
        "outsider": {"gamma"},
        "sme": {"alpha"},
        "anonymous": set(),
        "orphan": set(),
    },
}

CASES = [
    pytest.param(model, user, id=f"{model.__name__}-{user}")
    for model, by_user in VISIBLE.items()
    for user in by_user
]


@pytest.mark.parametrize(("model", "user"), CASES)
def test_visible_to(world, users, model, user):
    expected = VISIBLE[model][user]
    if expected == EVERYTHING:
        expected = set(world[model])

    assert names(model.objects.visible_to(users[user]), world[model]) == expected


@pytest.mark.parametrize("model", list(VISIBLE))
def test_the_outsider_sees_nothing_of_the_programme(world, users, model):
    visible = model.objects.visible_to(users["outsider"])

    inside = {"other programme", "gamma", "outsider shared"}
    assert names(visible, world[model]) <= inside


def test_private_notes_are_invisible_to_the_other_partner(world, users):
    advisor_notes = Note.objects.visible_to(users["advisor"])

    assert world[Note]["lead private"] not in advisor_notes
    assert world[Note]["partner private"] not in Note.objects.visible_to(users["manager"])


def test_shared_notes_are_visible_to_the_other_partner(world, users):
    assert world[Note]["lead shared"] in Note.objects.visible_to(users["advisor"])


def test_sme_users_see_no_notes_even_on_their_own_company(world, users):
    assert not Note.objects.visible_to(users["sme"]).filter(company=world[Company]["alpha"])


def test_a_company_in_two_programmes_shows_the_outsider_only_its_own_programmes_records(
    world, users, outsider_programme, outsider_org
):
    alpha = world[Company]["alpha"]
    engage(alpha, outsider_programme, outsider_org)
    outsider = users["outsider"]

    # The outsider now works with Alpha too, so it sees the company...
    assert alpha in Company.objects.visible_to(outsider)
    # ...but nothing of what happens to Alpha in our programme.
    assert world[Engagement]["alpha"] not in Engagement.objects.visible_to(outsider)
    assert world[Delivery]["alpha"] not in Delivery.objects.visible_to(outsider)
    assert world[Deal]["alpha"] not in Deal.objects.visible_to(outsider)
    assert world[Note]["lead private"] not in Note.objects.visible_to(outsider)


# --- editing ----------------------------------------------------------------------------------

MANAGED = {
    "superuser": EVERYTHING,
    "manager": {"programme"},
    # Only programme managers set up a programme.
    "advisor": set(),
    "viewer": set(),
    # The outsider manages its own programme, never ours.
    "outsider": {"other programme"},
    "sme": set(),
    "anonymous": set(),
    "orphan": set(),
}

RECORDABLE = {
    "superuser": EVERYTHING,
    "manager": {"programme"},
    "advisor": {"programme"},
    # Viewers read; they do not record.
    "viewer": set(),
    "outsider": {"other programme"},
    "sme": set(),
    "anonymous": set(),
    "orphan": set(),
}

EDITABLE_COMPANIES = {
    "superuser": EVERYTHING,
    "manager": {"alpha", "beta", "scouted"},
    "advisor": {"alpha", "beta"},
    "viewer": set(),
    "outsider": {"gamma"},
    # An SME user keeps its own company's profile up to date.
    "sme": {"alpha"},
    "anonymous": set(),
    "orphan": set(),
}


@pytest.mark.parametrize("user", list(MANAGED))
def test_managed_by(world, users, user):
    expected = set(world[Programme]) if MANAGED[user] == EVERYTHING else MANAGED[user]

    assert names(Programme.objects.managed_by(users[user]), world[Programme]) == expected


@pytest.mark.parametrize("user", list(RECORDABLE))
def test_recordable_by(world, users, user):
    expected = set(world[Programme]) if RECORDABLE[user] == EVERYTHING else RECORDABLE[user]

    assert names(Programme.objects.recordable_by(users[user]), world[Programme]) == expected


@pytest.mark.parametrize("user", list(EDITABLE_COMPANIES))
def test_companies_editable_by(world, users, user):
    expected = EDITABLE_COMPANIES[user]
    if expected == EVERYTHING:
        expected = set(world[Company])

    assert names(Company.objects.editable_by(users[user]), world[Company]) == expected


@pytest.mark.parametrize("user", list(VISIBLE[Programme]))
def test_what_a_user_may_change_is_a_subset_of_what_they_see(world, users, user):
    # An invariant: no one edits what they cannot see.
    visible_programmes = set(Programme.objects.visible_to(users[user]))
    assert set(Programme.objects.managed_by(users[user])) <= visible_programmes
    assert set(Programme.objects.recordable_by(users[user])) <= visible_programmes
    assert set(Company.objects.editable_by(users[user])) <= set(
        Company.objects.visible_to(users[user])
    )
