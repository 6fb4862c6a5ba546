"""Specification of programme set-up files and cloning: a new programme starts from another
programme's or a template's set-up, with none of its records."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from metacluster.companies.models import Engagement
from metacluster.deals.models import Deal
from metacluster.enrolment.models import Eligibility
from metacluster.programmes.models import Programme
from metacluster.programmes.setup_file import (
    SCHEMA_PATH,
    SetupError,
    create_from_setup,
    dumps,
    export_setup,
    json_schema,
    load_setup,
    templates,
)
from metacluster.services.models import Delivery, Service

START, END = date(2027, 1, 1), date(2029, 12, 31)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db):
    return None


def clone(*args) -> dict:
    output = StringIO()
    call_command("clone_programme", *args, "--json", stdout=output)
    return json.loads(output.getvalue())


def test_the_schema_in_the_repository_is_the_one_the_code_reads():
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == json_schema()


def test_two_templates_are_shipped():
    titles = [title for _, title, _ in templates()]
    assert titles == ["ICT export to non-EU markets", "Smart-city solutions consortia"]


@pytest.mark.parametrize("slug", ["ict-export-non-eu", "smart-city-consortia"])
def test_a_template_makes_a_programme_led_by_the_given_partner(db, lead_org, slug):
    data = clone(slug, "--name", "From template", "--partners", lead_org.name)
    programme = Programme.objects.get(name="From template")
    assert programme.lead == lead_org
    assert data["indicators"] and all(i["achieved"] == 0 for i in data["indicators"])
    # A template's services have no provider: the lead partner offers them.
    assert set(programme.services.values_list("provider", flat=True)) == {lead_org.pk}
    assert Eligibility.objects.get(programme=programme).requires_export_will


def test_cloning_4smartgrowth_copies_its_set_up_and_none_of_its_records(loaded):
    source = Programme.objects.get(name="4SmartGrowth")
    data = clone("4SmartGrowth", "--name", "Cleantech Export")
    programme = Programme.objects.get(name="Cleantech Export")
    assert data["name"] == "Cleantech Export" and data["acronym"] == "cleantech-export"
    assert [(i["code"], i["definition"]) for i in data["indicators"]] == [
        (i.code, i.definition) for i in source.indicators.order_by("position", "code")
    ]
    assert all(i["achieved"] == 0 for i in data["indicators"])
    assert not Engagement.objects.filter(programme=programme).exists()
    assert not Deal.objects.filter(programme=programme).exists()
    assert not Delivery.objects.in_programme(programme).exists()

    def catalogue(p):
        return sorted(
            Service.objects.filter(programme=p).values_list("provider__name", "kind", "name")
        )

    assert catalogue(programme) == catalogue(source)
    assert [(p["organisation"], p["role"]) for p in data["partners"]] == list(
        source.partnerships.values_list("organisation__name", "role")
    )


def test_a_set_up_file_round_trips(loaded):
    for source in Programme.objects.all():
        exported = dumps(export_setup(source))
        copy = create_from_setup(exported, name=f"{source.name} copy", start=START, end=END)
        assert dumps(export_setup(copy)) == exported


def test_the_demo_set_up_carries_guides_capabilities_and_score(loaded):
    data = export_setup(Programme.objects.get(acronym="ict-meta-cluster"))
    assert data["market_guides"] and data["capabilities"]
    assert data["scouting_score"] is not None
    sme2go = export_setup(Programme.objects.get(acronym="sme2go"))
    assert {t["kind"] for t in sme2go["activity_templates"]} == {"training", "webinar", "workshop"}
    assert "companies" not in data and "engagements" not in data


def test_targets_can_be_cleared_or_scaled(loaded):
    cleared = clone("ICT Meta Cluster", "--name", "Cleared", "--clear-targets")
    assert {i["target"] for i in cleared["indicators"]} == {None}
    halved = clone("ICT Meta Cluster", "--name", "Halved", "--scale-targets", "0.5")
    assert {i["code"]: i["target"] for i in halved["indicators"]}["SME-IDENTIFIED"] == 60


def test_services_are_optional(loaded):
    data = clone("SME2GO", "--name", "Bare", "--no-services")
    assert data["services"] == [] and data["indicators"]


def test_an_unknown_source_or_partner_is_refused_and_nothing_is_created(loaded):
    with pytest.raises(CommandError, match="neither a programme"):
        clone("No such thing", "--name", "X")
    with pytest.raises(CommandError, match="No single organisation"):
        clone("SME2GO", "--name", "X", "--partners", "Nobody Ltd")
    assert not Programme.objects.filter(name="X").exists()


def test_an_existing_name_is_refused(loaded):
    with pytest.raises(CommandError, match="exists"):
        clone("SME2GO", "--name", "sme2go")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # wrong format marker
        ({"format": "something-else"}, "Not a programme set-up file"),
        # a newer version this code cannot read
        ({"version": 2}, "version 2 is not supported"),
        # an unknown key, e.g. a typo
        ({"indicator": []}, "indicator: Extra inputs"),
        # a definition kpis cannot compute
        (
            {"indicators": [{"code": "X", "name": "X", "definition": {"kind": "magic"}}]},
            "indicator X: Unknown kind",
        ),
        # an instrument version that is not shipped
        ({"readiness_instrument": "1999-1"}, "no instrument '1999-1'"),
    ],
)
def test_a_bad_file_is_refused_with_the_reason_and_nothing_is_created(lead_org, change, message):
    data = json.loads(templates()[0][2].read_text(encoding="utf-8")) | change
    with pytest.raises(SetupError, match=message):
        with transaction.atomic():
            create_from_setup(json.dumps(data), name="Broken", start=START, end=END, lead=lead_org)
    assert not Programme.objects.filter(name="Broken").exists()


def test_export_setup_command_writes_the_file(loaded, tmp_path):
    path = tmp_path / "setup.json"
    call_command("export_setup", "sme2go", "--output", str(path))
    setup = load_setup(path.read_text(encoding="utf-8"))
    assert [i.code for i in setup.indicators][0] == "SME-SUPPORTED"
