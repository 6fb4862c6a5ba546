"""Specification of instrument parsing: a bad instrument is refused with the part named."""

import pytest

from metacluster.core.readiness import InvalidInstrument, parse_instrument

from .helpers import LABELS, instrument_data, item


def test_texts_fall_back_to_english():
    instrument = parse_instrument(instrument_data())
    p1 = instrument.item("p1")
    assert p1.question("sv") == "Fråga p1"
    assert p1.question("fi") == "Question p1"
    assert p1.answer_labels("lv") == tuple(LABELS["en"])


def test_an_item_may_take_its_labels_from_a_named_scale():
    scale = {"en": ["a", "b", "c", "d", "e", "f"]}
    raw = {**item("p1", "people"), "scale": "abc"}
    del raw["labels"]
    data = instrument_data(scales={"abc": scale}, items=[raw, *instrument_data()["items"][1:]])
    assert parse_instrument(data).item("p1").answer_labels() == tuple("abcdef")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": ""}, "version"),
        ({"dimensions": []}, "dimension"),
        ({"items": [item("p1", "nowhere")]}, "unknown dimension"),
        ({"items": [item("p1", "people")]}, "'offer' has no items"),
        ({"items": [{**item("p1", "people"), "axis": "sideways"}]}, "axis"),
        ({"items": [{**item("p1", "people"), "weight": 0}]}, "weight"),
        ({"items": [{**item("p1", "people"), "labels": {"en": ["a"]}}]}, "six texts"),
        ({"items": [{**item("p1", "people"), "text": {"sv": "x"}}]}, "English"),
        ({"stages": [{"id": "a", "min": 10, "name": {"en": "A"}}]}, "start at 0"),
        (
            {
                "stages": [
                    {"id": "a", "min": 0, "name": {"en": "A"}},
                    {"id": "b", "min": 0, "name": {"en": "B"}},
                ]
            },
            "rise",
        ),
        ({"low_answer": 5}, "low_answer"),
        ({"min_completeness": 0}, "min_completeness"),
    ],
)
def test_a_bad_instrument_is_refused_naming_the_problem(change, message):
    data = instrument_data(**change)
    if "items" in change and "'offer'" not in message:
        data["items"] += instrument_data()["items"][2:]
    with pytest.raises(InvalidInstrument, match=message):
        parse_instrument(data)


def test_duplicate_item_ids_are_refused():
    data = instrument_data()
    data["items"].append(item("p1", "people"))
    with pytest.raises(InvalidInstrument, match="appears twice"):
        parse_instrument(data)


def test_the_package_example_runs():
    import doctest

    import metacluster.core.readiness as package

    assert doctest.testmod(package).failed == 0
