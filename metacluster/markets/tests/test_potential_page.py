"""The export potential page and API: loaded trade datasets, small uploads, the table."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from metacluster.core.markets.generate import generate_trade, write_trade
from metacluster.markets.models import TradeDataset
from metacluster.markets.workflows import load_trade
from metacluster.testing import assert_error, token_client

SWEDEN = 752


@pytest.fixture
def trade_file(tmp_path):
    path = tmp_path / "trade.csv"
    write_trade(path, generate_trade(30_000, products=4, seed=11))
    return path


@pytest.fixture
def product(trade_file):
    """A product Sweden exports in the generated file."""
    for line in trade_file.read_text().splitlines()[1:]:
        t, i, j, k, *_rest = line.split(",")
        if int(i) == SWEDEN:
            return k.zfill(6)
    raise AssertionError("Sweden exports nothing in the generated file")


@pytest.fixture
def dataset(trade_file, settings, tmp_path, manager):
    settings.TRADE_DATA_DIR = tmp_path / "stores"
    return load_trade(trade_file, name="BACI test", source="generated, seed 11", by=manager)


def test_the_page_explains_how_to_load_data_when_there_is_none(client, advisor):
    client.force_login(advisor)
    body = client.get("/markets/potential/").content.decode()
    assert "load-trade" in body


def test_potential_per_market_with_the_dataset_source(client, advisor, dataset, product):
    client.force_login(advisor)
    response = client.get(
        "/markets/potential/", {"dataset": dataset.pk, "exporter": "swe", "product": product}
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert result["exporter"] == "SWE" and result["product"] == product
    assert result["dataset"]["source"] == "generated, seed 11"
    potentials = [m["potential"] for m in response.context["markets"]]
    assert potentials == sorted(potentials, reverse=True)
    assert all(m["potential"] >= 0 and m["untapped"] >= 0 for m in response.context["markets"])
    body = response.content.decode()
    assert "generated, seed 11" in body and "<svg" in body and str(result["year"]) in body


@pytest.mark.parametrize("sort", ["untapped", "ease", "demand"])
def test_the_table_sorts_by_a_column(client, advisor, dataset, product, sort):
    client.force_login(advisor)
    response = client.get(
        "/markets/potential/",
        {"dataset": dataset.pk, "exporter": "SWE", "product": product, "sort": sort},
    )
    values = [m[sort] for m in response.context["markets"]]
    assert values == sorted(values, reverse=True)


def test_bad_questions_are_form_errors(client, advisor, dataset):
    client.force_login(advisor)
    for query, problem in (
        ({"exporter": "SWE", "product": "85"}, "six-digit"),
        ({"exporter": "XYZ", "product": "851712"}, "Unknown country"),
        ({"exporter": "SWE", "product": "999999"}, "no exports of 999999"),
    ):
        response = client.get("/markets/potential/", {"dataset": dataset.pk, **query})
        assert response.status_code == 200 and "result" not in response.context
        assert problem in response.content.decode()


def test_an_advisor_uploads_a_small_file(client, advisor, trade_file, settings, tmp_path, product):
    settings.TRADE_DATA_DIR = tmp_path / "uploads"
    client.force_login(advisor)
    upload = SimpleUploadedFile("small.csv", trade_file.read_bytes(), content_type="text/csv")
    response = client.post(
        "/markets/potential/upload/", {"file": upload, "name": "Small", "source": "test"}
    )
    dataset = TradeDataset.objects.get(name="Small")
    assert response.status_code == 302 and f"dataset={dataset.pk}" in response["Location"]
    assert dataset.loaded_by == advisor and dataset.file_name == "small.csv"
    assert dataset.store_path().is_dir()


def test_a_bad_upload_is_refused_and_keeps_nothing(client, advisor, settings, tmp_path):
    settings.TRADE_DATA_DIR = tmp_path / "uploads"
    client.force_login(advisor)
    upload = SimpleUploadedFile("bad.csv", b"year,from,to\n2020,1,2\n")
    response = client.post(
        "/markets/potential/upload/", {"file": upload, "name": "Bad", "source": "test"}
    )
    assert response.status_code == 400 and "lacks the column" in response.content.decode()
    assert not TradeDataset.objects.exists()
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").iterdir())


def test_viewers_and_smes_cannot_upload(client, viewer, sme_user, trade_file):
    for user in (viewer, sme_user):
        client.force_login(user)
        upload = SimpleUploadedFile("t.csv", trade_file.read_bytes())
        response = client.post(
            "/markets/potential/upload/", {"file": upload, "name": "X", "source": "x"}
        )
        assert response.status_code == 403
    assert not TradeDataset.objects.exists()


def test_api_lists_datasets_and_computes_potential(manager, dataset, product):
    api = token_client(manager)
    listed = api.get("/api/v1/markets/trade-datasets").json()
    assert [d["name"] for d in listed] == ["BACI test"] and listed[0]["rows"] == dataset.rows
    response = api.post(
        f"/api/v1/markets/trade-datasets/{dataset.pk}/export-potential",
        {"exporter": "SWE", "product": product},
        content_type="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    assert data["dataset"]["name"] == "BACI test" and data["markets"]
    assert {"name", "iso2", "potential", "untapped", "ease", "demand"} <= set(data["markets"][0])


def test_api_refuses_what_the_dataset_cannot_answer(manager, dataset):
    api = token_client(manager)
    url = f"/api/v1/markets/trade-datasets/{dataset.pk}/export-potential"
    refused = api.post(url, {"exporter": "SWE", "product": "999999"}, "application/json")
    assert_error(refused, 400)
    assert "product" in refused.json()["fields"]
    assert_error(
        api.post(url, {"exporter": "SWE", "product": "1"}, "application/json"), 400, "product"
    )
    missing = "/api/v1/markets/trade-datasets/999999/export-potential"
    assert_error(
        api.post(missing, {"exporter": "SWE", "product": "851712"}, "application/json"), 404
    )


@pytest.mark.django_db
def test_a_name_taken_while_converting_is_refused_and_cleaned(
    trade_file, settings, tmp_path, monkeypatch
):
    from django.core.exceptions import ValidationError

    from metacluster.markets import workflows

    settings.TRADE_DATA_DIR = tmp_path / "stores"
    convert = workflows.build_store

    def slow_build(path, directory):  # another load of the same name finishes first
        TradeDataset.objects.create(name="Race", source="other", store="other")
        return convert(path, directory)

    monkeypatch.setattr(workflows, "build_store", slow_build)
    with pytest.raises(ValidationError) as error:
        load_trade(trade_file, name="Race", source="mine")
    assert "name" in error.value.message_dict
    assert list((tmp_path / "stores").iterdir()) == []
    assert TradeDataset.objects.get().source == "other"
