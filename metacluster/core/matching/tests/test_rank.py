"""The hybrid ranking's invariants, on small hand-made cases."""

import doctest
import importlib
from datetime import date

import pytest

from metacluster.core.matching import Company, Matcher, Opportunity
from metacluster.core.matching.features import common_level, sector_features
from metacluster.core.matching.text import analyse, guess_language, latvian_stem

TODAY = date(2026, 6, 1)


def matcher(companies, opportunities, **options):
    return Matcher(companies, opportunities, today=TODAY, **options)


PARKING = Opportunity(
    "parking",
    title="Parking sensors for the city centre",
    description="The city wants sensors that show free parking spaces in real time.",
    capabilities=("smart-mobility", "iot"),
    sectors=("26.51",),
)


@pytest.mark.parametrize("module", ["text", "metrics", "rank", "features"])
def test_docstring_examples_run(module):
    mod = importlib.import_module(f"metacluster.core.matching.{module}")
    assert doctest.testmod(mod).failed == 0


def test_an_exact_capability_match_outranks_a_vague_one():
    exact = Company(
        "exact",
        description="We build wireless devices for municipalities.",
        capabilities=("smart-mobility", "iot"),
        sectors=("26.51",),
    )
    # Says "parking" and "city" but does something else: payments for parking.
    vague = Company("vague", description="Parking payments app for the city: pay for parking.")
    ranked = matcher([vague, exact], [PARKING]).companies_for("parking")
    assert [m.id for m in ranked] == ["exact", "vague"]


def test_an_expired_opportunity_matches_nobody_and_is_offered_to_nobody():
    company = Company("c", description="Parking sensors", capabilities=("iot",))
    expired = Opportunity(
        "old", title="Parking sensors", capabilities=("iot",), deadline=date(2026, 5, 31)
    )
    today = Opportunity("today", title="Parking sensors", capabilities=("iot",), deadline=TODAY)
    m = matcher([company], [expired, today])
    assert m.companies_for("old") == []
    assert [x.id for x in m.opportunities_for("c")] == ["today"]  # open on its last day


def test_country_rules_and_company_size_are_hard_filters():
    opportunity = Opportunity(
        "o",
        title="Parking sensors",
        capabilities=("iot",),
        eligible_countries=("SE", "FI"),
        max_employees=249,
    )
    swedish = Company(
        "se", country="SE", description="Parking sensors", capabilities=("iot",), employees=20
    )
    latvian = Company(
        "lv", country="LV", description="Parking sensors", capabilities=("iot",), employees=20
    )
    large = Company(
        "large", country="FI", description="Parking sensors", capabilities=("iot",), employees=5000
    )
    unknown = Company("unknown", country="FI", description="Parking sensors", capabilities=("iot",))
    ranked = matcher([swedish, latvian, large, unknown], [opportunity]).companies_for("o")
    assert {m.id for m in ranked} == {"se", "unknown"}
    note = next(m for m in ranked if m.id == "unknown").explanation.notes
    assert note and "size unknown" in note[0]


def test_explanations_name_real_evidence():
    company = Company(
        "c",
        description="Wireless parking sensors and an app for free spaces.",
        capabilities=("iot", "water"),
        sectors=("26.51",),
    )
    [match] = matcher([company], [PARKING]).companies_for("parking")
    e = match.explanation
    assert e.shared_capabilities == ("iot",)
    assert e.missing_capabilities == ("smart-mobility",)
    assert e.shared_sectors == ("26.51",)
    company_words = set(analyse(company.text, "en"))
    assert e.matched_terms and all(
        analyse(word, "en")[0] in company_words for word in e.matched_terms
    )
    assert {"parking", "sensors"} <= set(e.matched_terms)
    # The components are the score, split up.
    assert sum(e.components.values()) == pytest.approx(match.score, abs=1e-3)


def test_each_match_says_why_it_ranks_above_the_next():
    strong = Company(
        "strong", description="Parking sensors", capabilities=("smart-mobility", "iot")
    )
    weak = Company("weak", description="Parking sensors", capabilities=("iot",))
    first, second = matcher([weak, strong], [PARKING]).companies_for("parking")
    assert first.id == "strong"
    assert first.explanation.above_next[0] == "capability"
    assert first.explanation.above_next[1] > 0
    assert second.explanation.above_next is None
    assert any(
        "ranks above the next mainly on capability" in r for r in first.explanation.reasons()
    )


def test_both_directions_agree_on_who_matches():
    companies = [
        Company("a", description="Parking sensors", capabilities=("iot",)),
        Company("b", description="Water meters", capabilities=("water",)),
    ]
    opportunities = [
        PARKING,
        Opportunity("water", title="Smart water meters", capabilities=("water",)),
    ]
    m = matcher(companies, opportunities)
    assert m.companies_for("parking")[0].id == "a"
    assert m.opportunities_for("b")[0].id == "water"


def _crowd(n: int = 40):
    """Companies and opportunities over a small vocabulary, so that scores differ and tie."""
    words = "parking sensor water meter energy grid payment health app city data".split()
    caps = ("iot", "water", "energy", "fintech", "health")
    companies = [
        Company(
            f"c{i}",
            description=" ".join(words[(i * j) % len(words)] for j in range(1, 6)),
            capabilities=(caps[i % 5], caps[(i * 3) % 5]),
            country=("SE", "EE")[i % 2],
            employees=(10, 300, None)[i % 3],
            readiness=(None, 0.2, 0.9)[i % 3],
            market_fit={"VN": 0.5} if i % 4 == 0 else {},
        )
        for i in range(n)
    ]
    opportunities = [
        Opportunity(
            f"o{i}",
            title=" ".join(words[(i + j) % len(words)] for j in range(3)),
            capabilities=(caps[i % 5],),
            country="VN",
            eligible_countries=("SE",) if i % 5 == 0 else (),
            max_employees=249 if i % 3 == 0 else None,
            deadline=date(2026, 1, 1) if i % 7 == 0 else None,
        )
        for i in range(n)
    ]
    return companies, opportunities


def _ids(pairs):
    return [(q, [(m.id, round(m.score, 5)) for m in ms]) for q, ms in pairs]


def test_blocks_threads_and_one_pass_rank_exactly_as_one_block_does():
    companies, opportunities = _crowd()
    whole = matcher(companies, opportunities, workers=1)
    forward = _ids(whole.rank_all("opportunities", 5))
    backward = _ids(whole.rank_all("companies", 5))
    # Blocks of 3 opportunities on two threads, and both directions from one pass.
    split = matcher(companies, opportunities, batch=3, workers=2)
    assert _ids(split.rank_all("opportunities", 5)) == forward
    assert _ids(split.rank_all("companies", 5)) == backward
    both = split.rank_both(5)
    assert (_ids(both[0]), _ids(both[1])) == (forward, backward)
    # The explanation's shares add up to the score, whichever way it was found.
    for _query, matches in both[1]:
        for m in matches:
            assert sum(m.explanation.components.values()) == pytest.approx(m.score, abs=1e-3)


def test_a_new_opportunity_is_ranked_without_rebuilding_by_hand():
    m = matcher([Company("a", description="Parking sensors", capabilities=("iot",))], [])
    m.add_opportunity(PARKING)
    assert [x.id for x in m.companies_for("parking")] == ["a"]
    assert [x.id for x in m.opportunities_for("a")] == ["parking"]


def test_missing_signals_neither_help_nor_hurt_but_known_ones_count():
    base = dict(description="Parking sensors", capabilities=("iot",))
    plain = Company("plain", **base)
    ready = Company("ready", readiness=1.0, market_fit={"VN": 1.0}, **base)
    unready = Company("unready", readiness=0.0, **base)
    # Half the capabilities, so that the score has room to move both ways.
    opportunity = Opportunity(
        "o", title="Parking sensors", capabilities=("iot", "water"), country="VN"
    )
    ranked = matcher([plain, unready, ready], [opportunity]).companies_for("o")
    scores = {m.id: m.score for m in ranked}
    assert scores["ready"] > scores["plain"] > scores["unready"]


def test_lexical_mode_without_an_encoder_and_weights_switch_components_off():
    m = matcher([Company("a", description="Parking sensors")], [PARKING])
    assert m.mode == "lexical"
    only_text = matcher(
        [Company("a", description="Parking sensors")], [PARKING], weights={"lexical": 1.0}
    )
    [match] = only_text.companies_for("parking")
    assert set(match.explanation.components) == {"lexical"}


def test_a_fake_encoder_makes_the_mode_hybrid_and_adds_meaning():
    import numpy as np

    class Encoder:
        def encode(self, texts):
            # "meters" and "metering" texts point one way, everything else another.
            return np.array(
                [[1.0, 0.0] if "meter" in t.lower() else [0.0, 1.0] for t in texts],
                dtype=np.float32,
            )

    a = Company("a", description="Metering of consumption")
    b = Company("b", description="Something else entirely")
    o = Opportunity("o", title="Water meters wanted")
    m = Matcher([a, b], [o], today=TODAY, encoder=Encoder(), weights={"semantic": 1.0})
    assert m.mode == "hybrid"
    assert [x.id for x in m.companies_for("o")] == ["a"]


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="duplicate"):
        matcher([Company("a"), Company("a")], [])


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Parking sensors", "en", ["park", "sensor"]),
        ("Parkeringssensorer för städer", "sv", ["parkeringssensor", "städ"]),
        ("Kaupunkien pysäköinti", "fi", ["kaupunk", "pysäköint"]),
        ("Linnade parkimine", "et", ["linna", "parkimise"]),
        # No Snowball stemmer for Latvian: our suffix stripping.
        ("Ūdensapgādes tīkli", "lv", ["ūdensapgād", "tīkl"]),
    ],
)
def test_each_language_is_stemmed_by_its_own_rules(text, language, expected):
    assert analyse(text, language) == expected


def test_inflected_forms_meet_at_one_stem():
    assert latvian_stem("pilsētām") == latvian_stem("pilsētas") == "pilsēt"
    assert analyse("sensors", "en") == analyse("sensor", "en")
    assert analyse("städer", "sv") == analyse("städerna", "sv")


def test_language_is_guessed_when_not_given():
    assert guess_language("Vi utvecklar sensorer för kommuner och städer") == "sv"
    assert guess_language("Ūdens skaitītāju nolasīšana pašvaldībām") == "lv"
    assert guess_language("Sensors for cities") == "en"


@pytest.mark.parametrize(
    ("wanted", "have", "level"),
    [
        ("62.01", ["62.01"], "62.01"),  # the same class
        ("62.01", ["62.02"], "62.0"),  # a sibling in the same group
        ("62.01", ["62"], "62"),  # the whole division
        ("62.01", ["71.12"], None),
        ("72212000-4", ["72200000"], "CPV 722"),  # CPV: the significant digits
        ("72212000-4", ["62.01"], None),  # NACE and CPV never meet
    ],
)
def test_sector_codes_match_by_their_hierarchy(wanted, have, level):
    assert common_level(wanted, have) == level


def test_cpv_features_drop_the_check_digit_and_trailing_zeros():
    assert sector_features("72212000-4") == ["cpv:72", "cpv:722", "cpv:7221", "cpv:72212"]
