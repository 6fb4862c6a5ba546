"""Specification of eligibility screening: each rule, alone, admits or screens out."""

from decimal import Decimal

import pytest

from metacluster.enrolment.models import Eligibility

ELIGIBLE = {
    "country": "SE",
    "region": "Gävleborg",
    "employees": 12,
    "ict_component": True,
    "export_will": True,
    "de_minimis_received": Decimal(50_000),
}


def rules(**fields) -> Eligibility:
    return Eligibility(**fields)


def test_without_rules_everybody_small_enough_is_eligible():
    assert rules().screen(**ELIGIBLE) == []


@pytest.mark.parametrize(
    ("rule", "answer", "reason"),
    [
        ({"countries": ["EE", "LV"]}, {}, "registered in Estonia, Latvia"),
        ({"regions": ["Uusimaa"]}, {}, "companies in Uusimaa"),
        ({"max_employees": 10}, {}, "1 to 10 employees"),
        ({"min_employees": 20}, {}, "20 to 249 employees"),
        ({"requires_ict_component": True}, {"ict_component": False}, "ICT component"),
        ({"requires_export_will": True}, {"export_will": False}, "export outside"),
        ({"min_de_minimis_headroom": Decimal(260_000)}, {}, "too little headroom"),
        ({"min_de_minimis_headroom": Decimal(1)}, {"de_minimis_received": None}, "Declare"),
    ],
)
def test_one_rule_screens_out_an_applicant_who_fails_it(rule, answer, reason):
    reasons = rules(**rule).screen(**(ELIGIBLE | answer))
    assert len(reasons) == 1 and reason in reasons[0]


def test_regions_match_regardless_of_case_and_spaces():
    assert rules(regions=["Gävleborg"]).screen(**(ELIGIBLE | {"region": " gävleborg "})) == []


def test_headroom_exactly_enough_is_eligible():
    # 300 000 ceiling − 250 000 received = 50 000 left.
    eligibility = rules(min_de_minimis_headroom=Decimal(50_000))
    assert eligibility.screen(**(ELIGIBLE | {"de_minimis_received": Decimal(250_000)})) == []
