"""Pages in Swedish and Finnish: numbers, names and error pages in the reader's language, and
machine formats (SVG geometry) never localised."""

import re

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext
from django.views import defaults

from metacluster.conftest import PASSWORD
from metacluster.services.models import Delivery

GEOMETRY = re.compile(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|r|width|height|points|viewBox)="([^"]*)"')
SVG = re.compile(r"<svg.*?</svg>", re.S)


def login(client, user, language):
    user.language = language
    user.save()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def text_of(html: str) -> str:
    """The text a reader sees in <main>: no tags, no attributes, no <svg> geometry."""
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return re.sub(r"<[^>]+>", " ", main)


def assert_geometry_is_machine_readable(html: str):
    svgs = SVG.findall(html)
    assert svgs, "the page should draw a chart"
    for svg in svgs:
        for value in GEOMETRY.findall(svg):
            # points="x,y x,y": commas only between coordinates, never inside a number.
            for number in re.split(r"[ ,]+", value.strip()):
                assert re.fullmatch(r"-?\d+(\.\d+)?", number), value


@pytest.mark.parametrize("language", ["sv", "fi"])
def test_sparklines_are_drawn_with_decimal_points(
    client, viewer, programme, company, other_company, coaching, nonfin_indicator, language
):
    # Swedish sparklines once had their target line at the top: y1="21,2".
    nonfin_indicator.target = "1.5"  # two companies reached: the target line lies at y=19.5
    nonfin_indicator.save()
    for who, day in ((company, "2021-03-01"), (other_company, "2021-05-01")):
        Delivery.objects.create(
            service=coaching, company=who, provider=coaching.provider, date=day, quantity=1
        )
    html = login(client, viewer, language).get(f"/programmes/{programme.acronym}/").text
    spark = SVG.search(html).group(0)
    assert 'y1="19.5"' in spark
    assert_geometry_is_machine_readable(html)
    assert "<title>" in spark  # each month's value on hover


@pytest.mark.parametrize(
    "language, germany", [("sv", "Tyskland"), ("fi", "Saksa"), ("lv", "Vācija")]
)
def test_the_market_ranking_names_countries_in_the_readers_language(
    client, manager, language, germany
):
    html = (
        login(client, manager, language).get("/markets/", {"home": "SE", "offering": "goods"}).text
    )
    row = re.search(r'data-country="DEU".*?</summary>', html, re.S).group(0)
    assert germany in row
    assert "Germany" not in text_of(html)


FINNISH_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.(\d{4})?")


def assert_finnish_numbers(text: str):
    text = FINNISH_DATE.sub(" ", text.replace("CC BY 4.0", ""))  # dates, a licence's name
    assert not re.findall(r".{0,40}\d,\d{3}(?!\d).{0,20}", text), "English thousands separators"
    assert not re.findall(r".{0,40}\d\.\d.{0,20}", text), "English decimal points"


def test_a_finnish_ranking_uses_finnish_separators_throughout(client, manager):
    html = login(client, manager, "fi").get("/markets/", {"home": "SE", "offering": "goods"}).text
    text = text_of(html)
    assert "\xa0%" in text and "\xa0$" in text  # 77,6 % and 40 813 $ alike
    assert re.search(r"\d,\d", text), "Finnish decimal commas"
    assert_finnish_numbers(text)


def test_a_finnish_dashboard_uses_finnish_separators_throughout(
    client, manager, programme, company, coaching, nonfin_indicator
):
    programme.total_budget = 2230878
    programme.save()
    Delivery.objects.create(
        service=coaching, company=company, provider=coaching.provider, date="2021-03-01", quantity=1
    )
    html = login(client, manager, "fi").get(f"/programmes/{programme.acronym}/").text
    text = text_of(html)
    assert "2\xa0230\xa0878\xa0€" in text
    assert_finnish_numbers(text)


def test_the_404_page_is_the_styled_swedish_one(client, viewer):
    response = login(client, viewer, "sv").get("/no-such-page/")
    assert response.status_code == 404
    html = response.text
    assert '<html lang="sv">' in html
    assert "css/app.css" in html and 'class="card error-page"' in html
    assert "Logga ut" in html  # the menu stays for a logged-in user
    with translation.override("sv"):
        assert f"<h1>{gettext('Page not found')}</h1>" in html


def test_a_refusal_is_the_styled_403_page_with_its_reason(client, advisor, programme):
    response = login(client, advisor, "en").get(f"/programmes/{programme.acronym}/edit/")
    assert response.status_code == 403
    assert 'class="card error-page"' in response.text
    assert "Log out" in response.text


def test_the_500_page_renders_without_the_database_or_context_processors():
    # No `db` fixture: any query while rendering the page would raise here.
    request = RequestFactory().get("/broken/")
    with translation.override("fi"):
        response = defaults.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="fi">' in html and 'class="card error-page"' in html
    with translation.override("fi"):
        assert gettext("Something went wrong") in html


def test_the_400_page_renders_without_a_request_context():
    response = defaults.bad_request(RequestFactory().get("/"), Exception("bad"))
    assert response.status_code == 400
    assert 'class="card error-page"' in response.content.decode()
