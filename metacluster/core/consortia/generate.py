"""Synthetic SME2GO-like instances for tests and the benchmark.

The population imitates the smart-city SMEs of the SME2GO programme: companies from the
partner countries, each offering one to four capabilities of a smart-city taxonomy drawn with
a skew (many software and data firms, few water-treatment ones), a quality in [0, 1], some
with export experience, capacity 1 or 2; companies of one country with the same main
capability compete; a few pairs have worked together before. Needs are city packages (a
master plan's mobility, energy, water, e-government and data parts) of three to six
capabilities. Randomness only through `seed`.

    python -m metacluster.core.consortia.generate --companies 300 --needs 30 --seed 1
"""

from __future__ import annotations

import argparse
import json
import random
import sys

__all__ = ["CAPABILITIES", "COUNTRIES", "generate_instance"]

CAPABILITIES = [
    # (code, relative frequency among SMEs)
    ("data-platform", 9),
    ("iot-sensors", 8),
    ("mobile-apps", 8),
    ("smart-mobility", 6),
    ("e-government", 5),
    ("cybersecurity", 5),
    ("smart-energy", 5),
    ("gis-mapping", 4),
    ("smart-lighting", 3),
    ("water-management", 3),
    ("waste-management", 3),
    ("building-automation", 3),
    ("e-health", 3),
    ("traffic-management", 3),
    ("digital-twin", 2),
    ("public-safety", 2),
    ("e-education", 2),
    ("urban-planning", 2),
    ("water-treatment", 1),
    ("flood-forecasting", 1),
]
COUNTRIES = [("FI", 5), ("SE", 4), ("EE", 4), ("LV", 3), ("LT", 2), ("DE", 1), ("PL", 1)]


def generate_instance(
    companies: int = 300,
    needs: int = 30,
    *,
    seed: int = 0,
    alternatives: int = 1,
    capacity: tuple[int, int] = (1, 2),
    competitor_share: float = 0.3,
    affinity_pairs: int | None = None,
) -> dict:
    """An instance as the JSON the CLI reads."""
    rng = random.Random(seed)
    codes = [c for c, _ in CAPABILITIES]
    weights = [w for _, w in CAPABILITIES]
    country_codes = [c for c, _ in COUNTRIES]
    country_weights = [w for _, w in COUNTRIES]
    rows = []
    for i in range(companies):
        count = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
        caps: list = []
        while len(caps) < count:
            cap = rng.choices(codes, weights)[0]
            if cap not in caps:
                caps.append(cap)
        rows.append(
            {
                "id": f"c{i + 1}",
                "country": rng.choices(country_codes, country_weights)[0],
                "capabilities": caps,
                "max_consortia": rng.randint(*capacity),
                "quality": round(rng.uniform(0.2, 1.0), 2),
                "export_experience": rng.random() < 0.3,
            }
        )
    competitors = []
    by_key: dict = {}
    for row in rows:
        by_key.setdefault((row["country"], row["capabilities"][0]), []).append(row["id"])
    for group in by_key.values():
        for a_index, a in enumerate(group):
            for b in group[a_index + 1 :]:
                if rng.random() < competitor_share:
                    competitors.append([a, b])
    affinity = []
    pairs = companies // 5 if affinity_pairs is None else affinity_pairs
    seen = set()
    while len(affinity) < pairs and companies > 1:
        a, b = rng.sample(range(companies), 2)
        key = frozenset((a, b))
        if key in seen:
            continue
        seen.add(key)
        affinity.append([rows[a]["id"], rows[b]["id"], round(rng.uniform(0.1, 0.5), 2)])
    need_rows = []
    for j in range(needs):
        size = rng.randint(3, 6)
        caps = rng.sample(codes, size)
        need_rows.append(
            {
                "id": f"n{j + 1}",
                "capabilities": caps,
                "min_countries": 2,
                "min_size": 2,
                "max_size": max(3, min(6, size)),
                "alternatives": alternatives,
            }
        )
    return {
        "needs": need_rows,
        "companies": rows,
        "affinity": affinity,
        "competitors": competitors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m metacluster.core.consortia.generate",
        description="Write a synthetic SME2GO-like consortium formation instance as JSON.",
    )
    parser.add_argument("--companies", type=int, default=300)
    parser.add_argument("--needs", type=int, default=30)
    parser.add_argument("--alternatives", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", help="write here instead of standard output")
    args = parser.parse_args(argv)
    if args.companies < 0 or args.needs < 0 or args.alternatives < 1:
        parser.error("counts must not be negative and alternatives at least 1")
    data = generate_instance(
        args.companies, args.needs, seed=args.seed, alternatives=args.alternatives
    )
    text = json.dumps(data, indent=1)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
