"""The access rules in their one home (accounts.access), asked directly. The pages, forms and
API of each app call these; their own tests (`test_rules.py` in deals, markets, services)
run each rule through all three."""

import subprocess
import sys

from metacluster.accounts.access import may_act_for, partners_acted_for


def test_an_advisor_acts_only_for_their_own_organisation(advisor, programme, lead_org, partner_org):
    assert may_act_for(advisor, programme, partner_org)
    assert not may_act_for(advisor, programme, lead_org)
    assert list(partners_acted_for(advisor, programme)) == [partner_org]


def test_a_programme_manager_acts_for_any_partner(manager, programme, lead_org, partner_org):
    assert may_act_for(manager, programme, partner_org)
    assert set(partners_acted_for(manager, programme)) == {lead_org, partner_org}


def test_nobody_acts_for_an_organisation_outside_the_programme(
    manager, programme, outsider_org, outsider
):
    assert not may_act_for(manager, programme, outsider_org)
    assert not may_act_for(outsider, programme, outsider_org)


def test_viewers_and_sme_users_act_for_nobody(viewer, sme_user, programme, lead_org):
    assert not may_act_for(viewer, programme, lead_org)
    assert not may_act_for(sme_user, programme, lead_org)
    assert not partners_acted_for(sme_user, programme).exists()


def test_the_indicator_definition_parser_imports_no_model():
    """The import circle programmes.models → kpis → companies/deals/... models → accounts.access
    → programmes.models is broken: the Indicator model checks definitions with a parser that
    needs no model."""
    code = (
        "import sys, metacluster.programmes.definitions; "
        "print([m for m in sys.modules if m.startswith('metacluster') and m.endswith('models')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
