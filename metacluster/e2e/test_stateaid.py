"""State aid in a real browser: a delivery near the ceiling warns before it is recorded."""

import re

import pytest
from django.core.management import call_command

from metacluster.e2e.browser import log_in
from metacluster.stateaid.models import AidDeclaration, AidRecord

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def test_a_delivery_near_the_ceiling_warns_and_records_only_when_confirmed(page, live_server, demo):
    # The demo brings one ICT Meta Cluster company to 90 % of its de minimis ceiling.
    near = AidDeclaration.objects.get(reference="DEMO-NEAR-CEILING").company
    before = AidRecord.objects.filter(company=near).count()
    log_in(page, live_server, "manager.fov")

    page.goto(f"{live_server.url}/programmes/ict-meta-cluster/deliveries/new/")
    page.select_option("#id_company", label=near.name)
    page.select_option("#id_service", index=1)
    page.fill("#id_quantity", "1")
    page.click("main button[type=submit]")

    # Not recorded yet: the warning names the ceiling and asks for a confirmation.
    warning = page.locator(".errorlist", has_text="ceiling").first
    assert "200,000.00" in warning.inner_text()
    assert AidRecord.objects.filter(company=near).count() == before
    page.check("#id_aid_acknowledged")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/programmes/ict-meta-cluster/$"))
    assert AidRecord.objects.filter(company=near).count() == before + 1

    # The company's ledger shows where it stands now.
    page.goto(f"{live_server.url}/stateaid/companies/{near.pk}/")
    assert "near the ceiling" in page.locator("#standing").inner_text()
