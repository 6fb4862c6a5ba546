"""A small instrument whose figures are easy to check by hand."""

LABELS = {"en": ["0", "1", "2", "3", "4", "5"]}


def item(id_, dimension, *, axis="organisational", weight=1, service=None):
    return {
        "id": id_,
        "dimension": dimension,
        "axis": axis,
        "weight": weight,
        "service": service,
        "text": {"en": f"Question {id_}", "sv": f"Fråga {id_}"},
        "labels": LABELS,
    }


def instrument_data(**overrides):
    data = {
        "version": "test-1",
        "dimensions": [
            {"id": "people", "weight": 1, "name": {"en": "People"}},
            {"id": "offer", "weight": 2, "name": {"en": "Offer"}},
        ],
        "items": [
            item("p1", "people", weight=1, service="coaching"),
            item("p2", "people", weight=3, service="training"),
            item("o1", "offer", axis="product", weight=1, service="product_adaptation"),
            item("o2", "offer", axis="product", weight=1, service="coaching"),
        ],
        "stages": [
            {"id": "domestic", "min": 0, "name": {"en": "Domestic"}},
            {"id": "pre_export", "min": 20, "name": {"en": "Pre-export"}},
            {"id": "experimental", "min": 40, "name": {"en": "Experimental"}},
            {"id": "active", "min": 60, "name": {"en": "Active"}},
            {"id": "committed", "min": 80, "name": {"en": "Committed"}},
        ],
    }
    data.update(overrides)
    return data
