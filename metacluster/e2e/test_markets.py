"""Ranking and comparing export markets in a real browser."""

import re

import pytest

from metacluster.e2e.browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_rank_markets_with_own_weights_and_compare_three(page, live_server, manager):
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/markets/")
    # Opened without parameters: the manager's own country, ICT services.
    assert page.locator("#id_home").input_value() == "SE"
    assert page.locator("table.ranking tbody tr").count() > 0

    page.select_option("#id_offering", "goods")
    page.select_option("#id_region", "Asia")
    page.click("details.weights summary")
    page.fill("#id_w_lpi", "60")
    page.click("text=Rank markets")
    # htmx swaps the results and pushes the parameters into the address.
    page.wait_for_url(re.compile(r".*w_lpi=60.*"))
    rows = page.locator("table.ranking tbody tr.market-row")
    assert rows.count() > 5
    regions = rows.locator(":scope > td.region").all_inner_texts()
    assert set(regions) == {"Asia"}

    # The breakdown of the best market: raw value, year and source per indicator.
    first = rows.first
    first.locator("summary").click()
    breakdown = first.locator("table.breakdown")
    assert breakdown.is_visible()
    assert "World Bank LPI" in breakdown.inner_text() or "no figure" in breakdown.inner_text()
    assert "CEPII GeoDist" in breakdown.inner_text()

    # Tick three markets and compare them side by side.
    names = []
    for index in range(3):
        row = rows.nth(index)
        names.append(row.locator("summary strong").inner_text())
        row.locator("input[type=checkbox]").check()
    page.click("#compare-button")
    page.wait_for_url(re.compile(r".*/markets/compare/.*"))
    assert page.locator("h1").inner_text() == "Compare markets"
    assert page.locator(".legend span").all_inner_texts() == names
    chart = page.locator("#component-chart svg")
    assert chart.is_visible()
    assert chart.locator("rect").count() >= 3
    assert page.locator(".trends svg polyline").count() >= 3
    # The comparison keeps the weights the ranking used.
    assert "w_lpi=60" in page.url


def test_upload_trade_data_and_read_export_potential(
    page, live_server, advisor, settings, tmp_path
):
    from metacluster.core.markets.generate import generate_trade, write_trade

    settings.TRADE_DATA_DIR = tmp_path / "stores"
    trade = tmp_path / "baci_small.csv"
    write_trade(trade, generate_trade(20_000, products=3, seed=5))
    product = next(
        line.split(",")[3].zfill(6)
        for line in trade.read_text().splitlines()[1:]
        if line.split(",")[1] == "752"
    )
    log_in(page, live_server, advisor)
    page.goto(f"{live_server.url}/markets/")
    page.click("text=Export potential")
    page.wait_for_url(re.compile(r".*/markets/potential/$"))
    assert "load-trade" in page.locator("main").inner_text()  # nothing loaded yet

    # A small file is uploaded on the page; it becomes a dataset others can pick.
    page.set_input_files("#id_file", str(trade))
    page.fill("#id_name", "Generated 2022")
    page.fill("#id_source", "generated in the BACI layout, seed 5")
    page.click("text=Load the file")
    page.wait_for_url(re.compile(r".*/markets/potential/\?dataset=\d+$"))
    assert "Generated 2022 is loaded" in page.locator("main").inner_text()

    page.fill("#id_exporter", "SWE")
    page.fill("#id_product", product)
    page.click("text=Show export potential")
    result = page.locator("#potential-result")
    result.wait_for()
    assert f"HS {product}" in result.locator("h2").inner_text()
    assert "generated in the BACI layout, seed 5" in result.locator(".sources").inner_text()
    assert result.locator(".potential-chart svg rect.untapped").count() > 0
    rows = result.locator("table.potential tbody tr")
    assert rows.count() > 5

    def column(index):
        return [
            float(text.replace(",", "") or 0)
            for text in rows.locator(f"td:nth-child({index})").all_inner_texts()
        ]

    potentials = column(4)
    assert potentials == sorted(potentials, reverse=True)
    # Sort by the untapped potential with one click on its header.
    result.locator("th a", has_text="Untapped").click()
    page.wait_for_url(re.compile(r".*sort=untapped.*"))
    untapped = column(6)
    assert untapped == sorted(untapped, reverse=True)
