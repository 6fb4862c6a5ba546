"""Synthetic bilateral trade in the CEPII BACI layout, for tests and benchmarks.

    python -m metacluster.core.markets.generate --rows 11000000 --output trade.csv

Columns ``t,i,j,k,v,q`` as BACI writes them: year, exporter and importer as ISO 3166 numeric
codes (BACI's own for France, Norway, India, Switzerland and the United States), HS6 product
as an integer (so chapters 01–09 lose their leading zero, as in BACI), value in thousand US$
with three decimals, quantity in tonnes or NA. Values are log-normal and exporters and
importers are drawn with skewed weights, so a few large traders dominate, as in real trade.
Rows with the exporter equal to the importer are dropped (BACI has none).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from .potential import BACI_CODES

__all__ = ["COUNTRY_CODES", "generate_trade"]

# ISO 3166 numeric codes of 200 real countries, with BACI's codes where BACI differs.
_ISO = [
    4,
    8,
    12,
    24,
    32,
    36,
    40,
    31,
    48,
    50,
    51,
    52,
    112,
    56,
    84,
    204,
    64,
    68,
    70,
    72,
    76,
    96,
    100,
    854,
    108,
    116,
    120,
    124,
    132,
    140,
    148,
    152,
    156,
    170,
    174,
    178,
    180,
    188,
    384,
    191,
    192,
    196,
    203,
    208,
    262,
    212,
    214,
    218,
    818,
    222,
    226,
    232,
    233,
    748,
    231,
    242,
    246,
    266,
    270,
    268,
    276,
    288,
    300,
    308,
    320,
    324,
    624,
    328,
    332,
    340,
    344,
    348,
    352,
    360,
    364,
    368,
    372,
    376,
    380,
    388,
    392,
    400,
    398,
    404,
    296,
    414,
    417,
    418,
    428,
    422,
    426,
    430,
    434,
    440,
    442,
    446,
    450,
    454,
    458,
    462,
    466,
    470,
    584,
    478,
    480,
    484,
    583,
    498,
    496,
    499,
    504,
    508,
    104,
    516,
    520,
    524,
    528,
    554,
    558,
    562,
    566,
    807,
    512,
    586,
    585,
    591,
    598,
    600,
    604,
    608,
    616,
    620,
    634,
    642,
    643,
    646,
    659,
    662,
    670,
    882,
    678,
    682,
    686,
    688,
    690,
    694,
    702,
    703,
    705,
    90,
    706,
    710,
    410,
    728,
    724,
    144,
    729,
    740,
    752,
    760,
    762,
    834,
    764,
    626,
    768,
    776,
    780,
    788,
    792,
    795,
    798,
    800,
    804,
    784,
    826,
    858,
    860,
    548,
    862,
    704,
    887,
    894,
    716,
    20,
    28,
    44,
    60,
    136,
    184,
    212,
    234,
    304,
    500,
    531,
]
COUNTRY_CODES = sorted(set(_ISO) | set(BACI_CODES))


def generate_trade(
    rows: int, *, years: tuple[int, ...] = (2022,), products: int = 5000, seed: int = 0
) -> dict[str, np.ndarray]:
    """Columns t, i, j, k, v, q of about `rows` rows of trade (a few fewer: self-trade is
    dropped). Deterministic for a `seed`."""
    rng = np.random.default_rng(seed)
    codes = np.array(COUNTRY_CODES, dtype=np.int32)
    # Zipf-like weights: the biggest traders carry most rows.
    weights = 1.0 / np.arange(1, len(codes) + 1) ** 0.8
    weights /= weights.sum()
    hs6 = np.sort(rng.choice(np.arange(10_000, 999_999), size=products, replace=False))
    i = rng.choice(codes, size=rows, p=rng.permutation(weights))
    j = rng.choice(codes, size=rows, p=rng.permutation(weights))
    keep = i != j
    n = int(keep.sum())
    t = rng.choice(np.array(years, dtype=np.int32), size=n)
    k = rng.choice(hs6, size=n).astype(np.int32)
    v = np.round(rng.lognormal(mean=3.0, sigma=2.0, size=n), 3)
    q = np.round(v * rng.uniform(0.01, 2.0, size=n), 3)
    return {"t": t, "i": i[keep], "j": j[keep], "k": k, "v": v, "q": q}


def write_trade(path, columns: dict[str, np.ndarray]) -> None:
    import polars as pl

    frame = pl.DataFrame(columns)
    # BACI marks unknown quantities NA; a few are, so readers must cope.
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) % 97 == 0).then(None).otherwise(pl.col("q")).alias("q")
    )
    frame.write_csv(path, null_value="NA", float_precision=3)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m metacluster.core.markets.generate",
        description="Write synthetic trade in the CEPII BACI layout (t,i,j,k,v,q).",
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, nargs="+", default=[2022])
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", required=True)
    args = parser.parse_args(argv)
    if args.rows < 1 or args.products < 1:
        parser.error("--rows and --products must be positive")
    write_trade(
        args.output,
        generate_trade(args.rows, years=tuple(args.years), products=args.products, seed=args.seed),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
