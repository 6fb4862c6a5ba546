"""Benchmark company search at a million companies on SQLite: the full-text index against the
column read it replaced.

Fills a fresh SQLite database with generated companies (default 1,000,000, fixed seed; names,
towns, registry codes and, for one in three, a short description) through the bulk import's
writer (`scouting.bulk.insert_companies`, so the index's triggers do the indexing as they do in
an import), then times the company list's query — `filter_companies` + `sort_companies`, the
first page of 50 and the capped count, as the list page and the API run it — for several kinds
of search, once through the FTS5 index (`listing.search` as it is) and once reading
`search_text` with `LIKE '% word%'` per word (as SQLite searched before), and checks that both
find the same companies.

    python benchmarks/bench_search.py                      # 1M companies
    python benchmarks/bench_search.py --rows 200000 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOWNS = {
    "EE": ("Tallinn", "Tartu", "Pärnu", "Narva", "Viljandi"),
    "FI": ("Helsinki", "Espoo", "Tampere", "Turku", "Oulu", "Jyväskylä"),
    "SE": ("Stockholm", "Göteborg", "Malmö", "Uppsala", "Västerås", "Gävle"),
    "LV": ("Rīga", "Daugavpils", "Liepāja", "Jelgava", "Ventspils"),
    "NO": ("Oslo", "Bergen", "Trondheim", "Stavanger"),
}
FORMS = {"EE": "OÜ", "FI": "Oy", "SE": "AB", "LV": "SIA", "NO": "AS"}
SYLLABLES = "ka lo mi ne ro sa tu vi po ra le di mo na ki su te ja vo hu ly ör äv õn".split()
SECTORS = ["Data", "Systems", "Sensors", "Photonics", "Software", "Logistics", "Robotics",
           "Energy", "Metal", "Design", "Consulting", "Foods", "Mobility", "Health", "Media",
           "Textiles", "Labs", "Networks", "Analytics", "Motion"]  # fmt: skip
DESCRIPTIONS = [
    "Precision parts for wind turbines and marine engines.",
    "Sawmill and timber products for export to Germany.",
    "Software for logistics companies: route planning and fleet telematics.",
    "Organic food processing; berries and mushrooms from Nordic forests.",
    "Industrial robotics integration for small and medium manufacturers.",
    "Medical devices: wearable sensors for rehabilitation clinics.",
]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def companies(rows: int, seed: int):
    """The import values (as `clean_row` gives them) of `rows` generated companies."""
    from metacluster.core.scouting.names import name_key_and_legal_form

    rng = random.Random(seed)
    for serial in range(1, rows + 1):
        country = rng.choice(list(TOWNS))
        name = f"{_word(rng)} {rng.choice(SECTORS)} {FORMS[country]}"
        key, form = name_key_and_legal_form(name)
        yield {
            "name": name,
            "name_key": key[:200],
            "legal_form": form,
            "country": country,
            "town": rng.choice(TOWNS[country]),
            "registry_code": f"{serial:09d}",
            "nace_codes": ["62.01"],
            "employees": rng.choice([1, 3, 5, 8, 12, 20, 35, 60, 120, 300]),
            "description": rng.choice(DESCRIPTIONS) if rng.random() < 1 / 3 else "",
        }


def fill(rows: int, seed: int, owner_id: int) -> float:
    """Insert the companies in one transaction as a bulk import does; return the seconds."""
    from django.db import transaction

    from metacluster.scouting.bulk import bulk_load, insert_companies

    start = time.perf_counter()
    with transaction.atomic(), bulk_load(rebuild_indexes=True):
        chunk = []
        for values in companies(rows, seed):
            chunk.append(values)
            if len(chunk) == 5000:
                insert_companies(chunk, owner_id=owner_id, source="bench")
                chunk = []
        insert_companies(chunk, owner_id=owner_id, source="bench")
    return time.perf_counter() - start


def searches(rng: random.Random) -> dict[str, str]:
    """A query of each kind, from words the generated companies carry."""
    name = next(companies(1, rng.randrange(1000)))["name"].split()[0]
    return {
        "a name word (full)": name,
        "a name word, 4 letters": name[:4],
        "2 letters": rng.choice(SYLLABLES)[:2],
        "a town, folded (gavle)": "gavle",
        "name word + town": f"{name[:4]} tallinn",
        "sector + town + description word": "robotics oulu industrial",
        "a registry code": f"{rng.randint(1, 900_000):09d}",
        "a description word": "timber",
        "nothing matches": "zqxvw",
    }


def timed_list(user, query: str, repeat: int) -> tuple[float, int, list[int]]:
    """Median ms of the list's first page and capped count for `query`; the count; the page's ids."""
    from metacluster.companies.listing import capped_count, filter_companies, sort_companies
    from metacluster.companies.models import Company

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        rows = filter_companies(Company.objects.visible_to(user).current(), {"q": query})
        rows = sort_companies(rows, "name")
        page = list(rows.values_list("pk", flat=True)[:50])
        count, _capped = capped_count(rows)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), count, page


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", help="SQLite file (default: a fresh temporary one)")
    parser.add_argument(
        "--without-index",
        action="store_true",
        help="drop the index before writing (SQLite as it was): the writing's time, LIKE only",
    )
    options = parser.parse_args()
    path = Path(options.database or Path(tempfile.mkdtemp(prefix="bench-search-")) / "db.sqlite3")
    path.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metacluster.settings")
    os.environ.setdefault("SECRET_KEY", "search-benchmark-key-" + "x" * 40)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from unittest import mock

    from metacluster.accounts.choices import OrganisationKind, Role
    from metacluster.accounts.models import Organisation, User
    from metacluster.companies import listing

    if options.without_index:
        from django.db import connection

        from metacluster.companies import fulltext

        with connection.cursor() as cursor:
            fulltext.drop_index(cursor)
    org = Organisation.objects.create(name="Bench", kind=OrganisationKind.CLUSTER, country="EE")
    user = User.objects.create(username="bench", organisation=org, role=Role.MANAGER)
    seconds = fill(options.rows, options.seed, org.pk)
    print(f"{options.rows:,} companies written in {seconds:.0f} s "
          f"({options.rows / seconds:,.0f} rows/s, "
          f"{'without the index' if options.without_index else 'index kept by the triggers'}); "
          f"database {path.stat().st_size / 1e6:.0f} MB")  # fmt: skip
    print(f"{'search':36} {'found':>7} {'FTS5 ms':>8} {'LIKE ms':>8}")
    for kind, query in searches(random.Random(options.seed)).items():
        with mock.patch.object(listing, "_matching", listing._like):
            like_ms, like_count, like_page = timed_list(user, query, options.repeat)
        if options.without_index:
            print(f"{kind + ' (' + query + ')':36.36} {like_count:>7,} {'':>8} {like_ms:8.1f}")
            continue
        fts_ms, count, page = timed_list(user, query, options.repeat)
        same = "" if (count, page) == (like_count, like_page) else "  DIFFERENT RESULTS"
        found = f"{count:,}" + ("+" if count == listing.COUNT_CAP else "")
        print(f"{kind + ' (' + query + ')':36.36} {found:>7} {fts_ms:8.1f} {like_ms:8.1f}{same}")


if __name__ == "__main__":
    main()
