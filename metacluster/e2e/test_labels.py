"""Names in other languages on a phone: the section opens, stays one column and saves."""

import pytest
from playwright.sync_api import expect

from metacluster.e2e.browser import log_in, sideways_overflow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_manager_labels_an_indicator_in_swedish_on_a_phone(
    phone, live_server, manager, programme, nonfin_indicator
):
    log_in(phone, live_server, manager)
    phone.goto(f"{live_server.url}/programmes/{programme.acronym}/indicators/SME-NONFIN/edit/")
    section = phone.locator("details.labels")
    expect(section).not_to_have_attribute("open", "")  # no label yet: folded away
    section.locator("summary").click()
    swedish, finnish = phone.locator("#id_label_sv_name"), phone.locator("#id_label_fi_name")
    expect(swedish).to_be_visible()
    assert sideways_overflow(phone) == 0
    # One column: Finnish comes below Swedish, not beside it.
    assert finnish.bounding_box()["y"] > swedish.bounding_box()["y"]
    assert finnish.bounding_box()["x"] == swedish.bounding_box()["x"]
    swedish.fill("Företag med stöd")
    phone.click("main button[type=submit] >> nth=0")
    phone.wait_for_url(f"{live_server.url}/programmes/{programme.acronym}/")
    nonfin_indicator.refresh_from_db()
    assert nonfin_indicator.translations == {"sv": {"name": "Företag med stöd"}}
