"""Specification of the demo: three real programmes whose indicators, computed from fictional
records through programmes.kpis, reproduce what each programme reported.

The demo is loaded once for the whole module, inside a transaction that is rolled back at the
end; every test runs in a savepoint of its own, so a test that resets the demo changes nothing
for the next one.
"""

import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, Q

from metacluster import demo
from metacluster.accounts.choices import Role
from metacluster.accounts.models import Organisation, User
from metacluster.companies.choices import Stage
from metacluster.companies.models import Company, Contact, Engagement, Note, StageChange
from metacluster.consortia.models import Consortium
from metacluster.deals.choices import DealStage
from metacluster.deals.models import Deal
from metacluster.demo.facts import TRANSFER
from metacluster.programmes.kpis import figures
from metacluster.programmes.models import Indicator, Programme
from metacluster.services.models import Delivery, Service

# What the programmes reported (see docs/DEMO.md): (acronym, code, target, achieved).
REPORTED = [
    ("ict-meta-cluster", "SME-IDENTIFIED", 120, 166),
    ("ict-meta-cluster", "SME-SUPPORTED", 30, 45),
    ("ict-meta-cluster", "SME-NONFIN", 30, 130),
    ("ict-meta-cluster", "FIRST-SALES", 9, 14),
    ("sme2go", "SME-SUPPORTED", None, 163),
    ("sme2go", "CONSORTIA", 5, 10),
    ("sme2go", "CONSORTIUM-MEMBERS", None, 60),
    ("4smartgrowth", "MATCHMAKING-SMES", None, 35),
    ("4smartgrowth", "SALES-AGREEMENTS", 4, 3),
    ("4smartgrowth", "REPRESENTATION-AGREEMENTS", None, 2),
    ("4smartgrowth", "PILOTS-OPEN", None, 41),
    # Not published: the demo's own, fictional figure.
    ("4smartgrowth", "EXPORT-MISSION-SMES", 30, 32),
]
TIME_ZONES = {
    "SE": "Europe/Stockholm",
    "EE": "Europe/Tallinn",
    "LV": "Europe/Riga",
    "FI": "Europe/Helsinki",
}


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        call_command("load_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo_output, db):
    return demo_output


def run(*args) -> str:
    output = StringIO()
    call_command(*args, stdout=output)
    return output.getvalue()


def kpis_json(programme: str) -> dict:
    return json.loads(run("kpis", "--programme", programme, "--json"))


def fingerprint() -> dict:
    """What a load produced, independent of primary keys."""
    return {
        "companies": sorted(Company.objects.values_list("name", "country", "registry_code")),
        "stages": sorted(
            Engagement.objects.values_list("programme__acronym", "company__name", "stage")
        ),
        "history": sorted(
            StageChange.objects.values_list("engagement__company__name", "to_stage", "changed_at")
        ),
        "deliveries": sorted(
            Delivery.objects.values_list("service__name", "company__name", "date", "quantity")
        ),
        "deals": sorted(
            Deal.objects.values_list("company__name", "market", "stage", "opened_on", "closed_on")
        ),
    }


# --- Indicators -------------------------------------------------------------------------------


@pytest.mark.parametrize(("acronym", "code", "target", "achieved"), REPORTED)
def test_computed_figure_equals_reported_result(loaded, acronym, code, target, achieved):
    indicator = Indicator.objects.get(programme__acronym=acronym, code=code)
    assert figures(indicator).achieved == achieved
    assert indicator.target == target


def test_programmes_have_exactly_the_reported_indicators(loaded):
    expected = Counter((acronym, code) for acronym, code, _, _ in REPORTED)
    reported = Indicator.objects.exclude(programme__acronym=TRANSFER.acronym)
    assert Counter(reported.values_list("programme__acronym", "code")) == expected


def test_figures_follow_the_records_not_a_stored_value(loaded):
    # Moving one supported company back drops SME-SUPPORTED by one: the value is computed.
    indicator = Indicator.objects.get(programme__acronym="sme2go", code="SME-SUPPORTED")
    engagement = Engagement.objects.filter(programme=indicator.programme, stage="supported")[0]
    engagement.move_to(Stage.ASSESSED)
    assert figures(indicator).achieved == 162


# --- The kpis command -------------------------------------------------------------------------


@pytest.mark.parametrize("acronym", ["ict-meta-cluster", "sme2go", "4smartgrowth"])
def test_kpis_json_gives_every_indicator_with_target_and_achieved(loaded, acronym):
    data = kpis_json(acronym)
    programme = Programme.objects.get(acronym=acronym)
    assert set(data) == {"programme", "indicators"}
    assert data["programme"] == programme.name
    for row in data["indicators"]:
        assert set(row) == {"code", "name", "unit", "target", "achieved"}
        assert isinstance(row["achieved"], int)
    expected = [(code, target, achieved) for a, code, target, achieved in REPORTED if a == acronym]
    assert [(r["code"], r["target"], r["achieved"]) for r in data["indicators"]] == expected


@pytest.mark.parametrize("name", ["ICT META CLUSTER", "ict meta cluster", "Ict-Meta-Cluster"])
def test_kpis_matches_name_or_acronym_in_any_case(loaded, name):
    assert kpis_json(name)["programme"] == "ICT Meta Cluster"


def test_kpis_table_shows_targets_and_achieved_values(loaded):
    output = run("kpis", "--programme", "4smartgrowth")
    line = next(line for line in output.splitlines() if line.startswith("SALES-AGREEMENTS"))
    assert line.split()[-2:] == ["4", "3"]
    line = next(line for line in output.splitlines() if line.startswith("PILOTS-OPEN"))
    assert line.split()[-2:] == ["–", "41"]


def test_kpis_refuses_unknown_programme_and_lists_the_available_ones(loaded):
    with pytest.raises(CommandError) as raised:
        run("kpis", "--programme", "Nordic Nonsense")
    message = str(raised.value)
    assert "Nordic Nonsense" in message
    for name in ("ICT Meta Cluster", "SME2GO", "4SmartGrowth"):
        assert name in message


# --- Loading again ----------------------------------------------------------------------------


def test_loading_prints_the_logins(loaded):
    assert "demo2026!" in loaded
    for username in ("admin", "manager.fov", "manager.sisp", "advisor.lvit", "viewer", "sme"):
        assert f"  {username} " in loaded


def test_loading_again_changes_nothing(loaded):
    before = fingerprint()
    users = User.objects.count()
    output = run("load_demo")
    assert "already loaded" in output
    assert fingerprint() == before
    assert User.objects.count() == users
    assert Programme.objects.count() == 4


def test_reset_loads_the_same_demo_again_and_keeps_other_data(loaded):
    old_ids = set(Programme.objects.values_list("pk", flat=True))
    organisations = Organisation.objects.count()
    # Somebody's own data, which a reset must leave alone.
    own = Company.objects.create(name="Own Company AB", country="SE", registry_code="1234")
    colleague = User.objects.create(username="colleague", email="colleague@example.org")
    before = fingerprint()

    output = run("load_demo", "--reset")

    assert "Deleted 4 demo programmes" in output
    assert set(Programme.objects.values_list("pk", flat=True)).isdisjoint(old_ids)
    assert fingerprint() == before  # same seed, same demo
    assert Organisation.objects.count() == organisations
    assert Company.objects.filter(pk=own.pk).exists()
    assert User.objects.filter(pk=colleague.pk).exists()
    indicator = Indicator.objects.get(programme__acronym="ict-meta-cluster", code="FIRST-SALES")
    assert figures(indicator).achieved == 14


def test_reset_keeps_a_user_who_only_shares_a_demo_username(loaded):
    # An 'admin' made with createsuperuser before the demo was loaded is not a demo user.
    demo.remove()
    admin = User.objects.create(username="admin", email="me@example.org", is_superuser=True)
    run("load_demo")
    run("load_demo", "--reset")
    admin.refresh_from_db()
    assert admin.email == "me@example.org"
    assert Programme.objects.count() == 4


# --- Records ----------------------------------------------------------------------------------


def test_every_delivery_lies_within_its_programme_period(loaded):
    outside = Delivery.objects.exclude(
        date__gte=F("service__programme__start_date"), date__lte=F("service__programme__end_date")
    )
    assert Delivery.objects.count() > 1000
    assert not outside.exists()


def test_every_delivery_uses_a_service_of_the_partner_delivering_it(loaded):
    assert not Delivery.objects.exclude(provider=F("service__provider")).exists()
    for delivery in Delivery.objects.select_related("service__programme", "contact")[:200]:
        delivery.full_clean()


def test_stage_history_lies_within_the_period_and_says_who(loaded):
    changes = StageChange.objects.all()
    assert not changes.exclude(
        changed_at__date__gte=F("engagement__programme__start_date"),
        changed_at__date__lte=F("engagement__programme__end_date"),
    ).exists()
    assert not changes.filter(changed_by=None).exists()
    # Every engagement starts with its first stage in the history.
    starts = changes.filter(from_stage="").values("engagement").distinct().count()
    assert starts == Engagement.objects.count()
    # Somebody moved back once: the history shows the step down.
    assert changes.filter(from_stage=Stage.SUPPORTED, to_stage=Stage.ASSESSED).exists()


def test_the_current_stage_is_the_last_step_of_the_history(loaded):
    for engagement in Engagement.objects.prefetch_related("history")[:100]:
        assert list(engagement.history.all())[-1].to_stage == engagement.stage


def test_deals_lie_within_the_period(loaded):
    assert not Deal.objects.exclude(
        opened_on__gte=F("programme__start_date"), opened_on__lte=F("programme__end_date")
    ).exists()
    assert not Deal.objects.filter(closed_on__gt=F("programme__end_date")).exists()
    assert Deal.objects.filter(stage__in=[DealStage.LEAD, DealStage.MEETING]).count() >= 10


def test_no_company_name_looks_real(loaded):
    names = list(Company.objects.values_list("name", flat=True))
    assert len(names) > 300
    assert all(name.endswith("(fictional)") for name in names)
    assert all(
        c.endswith("(fictional)") for c in Deal.objects.values_list("counterpart", flat=True)
    )
    assert all(n.endswith("(fictional)") for n in Consortium.objects.values_list("name", flat=True))


def test_contacts_record_their_lawful_basis(loaded):
    assert not Contact.objects.filter(lawful_basis="").exists()
    assert not Contact.objects.filter(lawful_basis="consent", consent_given_at=None).exists()
    assert Contact.objects.filter(lawful_basis="consent").exists()


def test_shared_organisations_exist_once(loaded):
    assert Organisation.objects.count() == 10
    for name, acronyms in [
        ("SISP Swedish Incubators & Science Parks", {"sme2go", "4smartgrowth"}),
        ("Tallinn Science Park Tehnopol", {"sme2go", "4smartgrowth"}),
        ("Turku Science Park", {"sme2go", "4smartgrowth"}),
        ("Västerås Science Park", {"sme2go", "4smartgrowth"}),
    ]:
        organisation = Organisation.objects.get(name=name)
        partnerships = organisation.partnerships.exclude(programme__acronym=TRANSFER.acronym)
        assert set(partnerships.values_list("programme__acronym", flat=True)) == acronyms


def test_leads_and_partner_budgets_are_the_public_ones(loaded):
    leads = {p.acronym: p.lead.name for p in Programme.objects.all()}
    assert leads == {
        "ict-meta-cluster": "Fiber Optic Valley",
        "sme2go": "SISP Swedish Incubators & Science Parks",
        "4smartgrowth": "SISP Swedish Incubators & Science Parks",
        "healthtech-export": "Turku Science Park",
    }
    ict = Programme.objects.get(acronym="ict-meta-cluster")
    assert not ict.partnerships.exclude(budget=None).exists()
    rates = dict(ict.partnerships.values_list("organisation__country", "co_financing_rate"))
    assert rates == {"SE": 75, "LV": 85, "EE": 85}
    foursg = Programme.objects.get(acronym="4smartgrowth")
    partners = list(foursg.partnerships.all())
    assert sum(p.budget for p in partners) == foursg.total_budget == 1_063_833
    # The published ERDF amounts are whole euros: budget × rate, rounded.
    erdf = {p.organisation.short_name: round(p.funder_share) for p in partners}
    assert erdf == {
        "SISP": 199_187,
        "Tehnopol": 169_278,
        "Tredea": 149_325,
        "Turku SP": 150_000,
        "Västerås SP": 150_000,
    }
    assert sum(erdf.values()) == foursg.funder_contribution == 817_790


def test_a_fourth_programme_in_another_sector_starts_from_a_template(loaded):
    programme = Programme.objects.get(acronym=TRANSFER.acronym)
    assert "(fictional)" in programme.name
    # The template's indicators with half its targets, its catalogue offered by the lead,
    # its eligibility rules, and no records yet.
    targets = dict(programme.indicators.values_list("code", "target"))
    assert targets == {
        "SME-IDENTIFIED": 60,
        "SME-SUPPORTED": 15,
        "SME-NONFIN": 15,
        "FIRST-SALES": 4,
    }
    assert all(figures(indicator).achieved == 0 for indicator in programme.indicators.all())
    assert programme.services.count() == 11
    assert programme.eligibility.requires_ict_component
    assert not programme.engagements.exists()


def test_the_transferred_programme_takes_applications_on_its_public_page(loaded, client):
    page = client.get(f"/join/{TRANSFER.acronym}/")
    assert page.status_code == 200
    assert "An ICT component in the offering" in page.content.decode()


def test_sme2go_trains_and_makes_a_mission_and_4smartgrowth_goes_to_china_and_chile(loaded):
    from metacluster.activities.models import Activity

    sme2go = Activity.objects.filter(programme__acronym="sme2go")
    assert {"training", "webinar", "workshop", "export_mission"} <= set(
        sme2go.values_list("kind", flat=True)
    )
    foursg = Activity.objects.filter(programme__acronym="4smartgrowth")
    assert set(foursg.values_list("destination", flat=True)) == {"CN", "CL"}
    # Every participant's attendance is one delivery of the activity's service.
    for activity in Activity.objects.all():
        for registration in activity.registrations.all():
            assert registration.delivery.service_id == activity.service_id
            assert registration.delivery.company_id == registration.company_id


def test_sme2go_partner_budgets_and_erdf_amounts_are_the_public_ones(loaded):
    sme2go = Programme.objects.get(acronym="sme2go")
    partners = list(sme2go.partnerships.select_related("organisation"))
    budgets = {p.organisation.short_name: p.budget for p in partners}
    assert budgets == {
        "SISP": 489_996,
        "Tehnopol": 400_000,
        "Turku SP": 305_000,
        "Västerås SP": 340_000,
        "Posintra": 305_000,
    }
    assert sum(budgets.values()) == sme2go.total_budget == 1_839_996
    erdf = {p.organisation.short_name: round(p.funder_share) for p in partners}
    assert erdf == {
        "SISP": 367_497,
        "Tehnopol": 340_000,
        "Turku SP": 228_750,
        "Västerås SP": 255_000,
        "Posintra": 228_750,
    }
    assert sum(erdf.values()) == sme2go.funder_contribution == 1_419_997
    assert sme2go.priority.startswith("P1 Competitive economy – 1.3")


def test_services_are_in_every_partners_catalogue(loaded):
    # The transferred programme has the template's catalogue, all offered by its lead so far.
    for programme in Programme.objects.exclude(acronym=TRANSFER.acronym):
        providers = set(Service.objects.filter(programme=programme).values_list("provider"))
        assert providers == set(programme.partnerships.values_list("organisation"))


def test_some_companies_take_part_in_two_programmes(loaded):
    twice = Company.objects.annotate(n=Count("engagements")).filter(n__gte=2)
    assert twice.count() >= 20


def test_every_consortium_spans_two_countries(loaded):
    consortia = Consortium.objects.annotate(countries=Count("members__country", distinct=True))
    assert consortia.count() == 10
    assert all(consortium.countries >= 2 for consortium in consortia)


def test_every_organisation_has_private_and_shared_notes(loaded):
    for organisation in Organisation.objects.all():
        notes = Note.objects.filter(organisation=organisation)
        assert notes.filter(private=True).exists() and notes.filter(private=False).exists()


def test_demo_users_have_their_roles_and_time_zones(loaded):
    staff = User.objects.filter(Q(role=Role.MANAGER) | Q(role=Role.ADVISOR))
    assert staff.count() == 10
    for user in staff.select_related("organisation"):
        assert user.time_zone == TIME_ZONES[user.organisation.country]
    assert User.objects.get(username="manager.fov").organisation.name == "Fiber Optic Valley"
    assert User.objects.get(username="manager.sisp").role == Role.MANAGER
    assert User.objects.get(username="admin").is_superuser
    sme = User.objects.get(username="sme")
    assert sme.role == Role.SME and sme.company.name.endswith("(fictional)")
    assert sme.check_password(demo.DEMO_PASSWORD)


def test_loading_quietly_prints_nothing(loaded):
    assert run("load_demo", "--verbosity", "0") == ""


def test_any_seed_reproduces_the_reported_results(loaded):
    # The seed changes which fictional companies do what, never the figures.
    demo.remove()
    demo.load(seed=7)
    for acronym, code, _, achieved in REPORTED:
        indicator = Indicator.objects.get(programme__acronym=acronym, code=code)
        assert figures(indicator).achieved == achieved, (acronym, code)
