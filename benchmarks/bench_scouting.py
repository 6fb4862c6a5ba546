"""Benchmark scouting at register scale: import, de-duplication and company-list latency.

Generates a register-like CSV file (default 1,000,000 rows, fixed seed) of companies in five
countries with valid, checksummed registry codes, plants row errors (bad check digits,
unknown NACE codes, malformed VAT numbers, impossible head counts) and duplicates (the same
company again without its code, spelt differently: case, legal form, diacritics,
punctuation, a typo), then reports:

- de-duplication precision and recall on the planted pairs (`find_duplicates`, plain Python);
- for each database (a fresh SQLite file; PostgreSQL when DATABASE_URL_PG or the default
  local server answers): import throughput (rows/s) and peak memory of
  `metacluster.scouting.importing.run` (one pass: check and write; COPY on PostgreSQL into a
  staging table moved into the company table at the end, every index kept, so readers never
  wait; on SQLite a bulk load that rebuilds the list indexes at the end into the empty table),
  the duplicate search after the import, and p50/p95 latency of 200 company-list requests
  (UI and API: first pages, deep pages, prefix search, filters, sorts) with the companies
  owned by the requesting user's organisation.

Each database runs in its own process so that its peak memory is its own.

    python benchmarks/bench_scouting.py                       # 1M rows, SQLite and PostgreSQL
    python benchmarks/bench_scouting.py --rows 100000 --databases sqlite
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metacluster.core.scouting import (  # noqa: E402
    Record,
    find_duplicates,
    name_key,
    precision_recall,
    with_check_digit,
)

HEADER = ["name", "registry_code", "country", "town", "nace", "employees", "founded", "vat"]
COUNTRIES = {
    "EE": (("Tallinn", "Tartu", "Pärnu", "Narva", "Viljandi"), "OÜ", "1"),
    "FI": (("Helsinki", "Espoo", "Tampere", "Turku", "Oulu", "Jyväskylä"), "Oy", "2"),
    "SE": (
        ("Stockholm", "Göteborg", "Malmö", "Uppsala", "Västerås", "Örebro", "Kista"),
        "AB",
        "55",
    ),
    "LT": (("Vilnius", "Kaunas", "Klaipėda", "Šiauliai"), "UAB", "3"),
    "NO": (("Oslo", "Bergen", "Trondheim", "Stavanger"), "AS", "9"),
}
SYLLABLES = "ka lo mi ne ro sa tu vi po ra le di mo na ki su te ja vo hu ly ör äv õn".split()
SECTORS = ["Data", "Systems", "Sensors", "Photonics", "Software", "Logistics", "Robotics",
           "Energy", "Metal", "Design", "Consulting", "Foods", "Mobility", "Health", "Media",
           "Textiles", "Labs", "Networks", "Analytics", "Motion"]  # fmt: skip
NACE = ["62011", "62021", "63111", "26511", "27311", "28991", "71121", "46511", "25621",
        "10711", "70221", "74101", "72191", "49411", "58291"]  # fmt: skip
OTHER_FORM = {"OÜ": "AS", "Oy": "Ltd", "AB": "Aktiebolag", "UAB": "Ltd", "AS": "ASA"}


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def _variant(rng: random.Random, name: str, form: str) -> str:
    """The same company as another list spells it."""
    base = name.removesuffix(f" {form}")
    kind = rng.randrange(6)
    if kind == 0:
        return base.upper()
    if kind == 1:
        return f"{base} {OTHER_FORM[form]}"
    if kind == 2:
        return base.translate(str.maketrans("äöõüÄÖÕÜ", "aoouAOOU")) + f" {form.upper()}"
    if kind == 3:
        return base.replace(" ", "-", 1).lower()
    if kind == 4 and len(base.split()[0]) >= 6:  # a letter dropped inside a long first word
        i = rng.randrange(1, len(base.split()[0]) - 1)
        return base[:i] + base[i + 1 :]
    return f"{form} {base}"  # legal form in front, as Lithuanian and Latvian names have it


def generate(path: Path, rows: int, seed: int, duplicate_share=0.01, error_share=0.005):
    """Write the file; return (records of valid rows by line, true duplicate pairs, errors)."""
    rng = random.Random(seed)
    serial = {country: 0 for country in COUNTRIES}
    records, truth, errors = [], set(), 0
    originals: list[tuple[int, str, str, str, str]] = []  # line, country, name, town, form
    clusters: dict[int, list[int]] = {}
    taken: set[tuple[str, str]] = set()
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for line in range(2, rows + 2):
            if originals and rng.random() < duplicate_share:
                first, country, name, town, form = rng.choice(originals)
                variant = _variant(rng, name, form)
                writer.writerow([variant, "", country, town, rng.choice(NACE), "", "", ""])
                records.append(Record(line, country, variant, town, key=name_key(variant)))
                # Every two records of the same company are a true pair, two variants too.
                for other in clusters.setdefault(first, [first]):
                    truth.add((other, line))
                clusters[first].append(line)
                continue
            country = rng.choice(list(COUNTRIES))
            towns, form, prefix = COUNTRIES[country]
            code = _code(country, prefix, serial, rng)
            # Registers refuse a name too close to one they hold, so no two companies of a
            # country share a normalised name.
            name = f"{_word(rng)} {rng.choice(SECTORS)} {form}"
            while (country, name_key(name)) in taken:
                name = f"{_word(rng)} {_word(rng)} {rng.choice(SECTORS)} {form}"
            taken.add((country, name_key(name)))
            town = rng.choice(towns)
            row = [name, code, country, town, rng.choice(NACE), str(rng.choice([1, 3, 5, 8, 12, 20, 35, 60, 120, 300])),
                   str(rng.randint(1990, 2024)), ""]  # fmt: skip
            if rng.random() < error_share:
                errors += 1
                kind = rng.randrange(4)
                if kind == 0:
                    row[1] = code[:-1] + str((int(code[-1]) + 1) % 10)
                elif kind == 1:
                    row[4] = "99.99"
                elif kind == 2:
                    row[7] = f"{country}12"
                else:
                    row[5] = "-5"
                writer.writerow(row)
                continue
            writer.writerow(row)
            records.append(
                Record(line, country, name, town, code.replace("-", ""), key=name_key(name))
            )
            if len(originals) < 200_000 or rng.random() < 0.2:
                originals.append((line, country, name, town, form))
    return records, truth, errors


def _code(country: str, prefix: str, serial: dict, rng) -> str:
    while True:
        serial[country] += 1
        width = {"EE": 7, "FI": 7, "SE": 9, "LT": 8, "NO": 8}[country]
        body = prefix + str(serial[country]).zfill(width - len(prefix))
        try:
            return with_check_digit(country, body)
        except ValueError:  # bodies that have no valid check digit are never issued
            continue


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- One database, in its own process ----------------------------------------------------------


def database_phase(url: str, path: str, requests: int, seed: int) -> dict:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metacluster.settings")
    os.environ.setdefault("SECRET_KEY", "scouting-benchmark-key-" + "x" * 40)  # DEBUG is off
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from metacluster.accounts.choices import OrganisationKind, Role
    from metacluster.accounts.models import Organisation, User
    from metacluster.core.scouting import guess_mapping
    from metacluster.scouting import importing
    from metacluster.scouting.models import ImportJob

    org = Organisation.objects.create(
        name="Bench Cluster", kind=OrganisationKind.CLUSTER, country="EE"
    )
    user = User.objects.create(username="bench", organisation=org, role=Role.MANAGER)
    job = ImportJob.objects.create(
        organisation=org, created_by=user, source="bench", file_name="bench.csv", path=path,
        headers=HEADER, columns=guess_mapping(HEADER) | {"nace_codes": "nace", "founded": "founded"},
    )  # fmt: skip
    timings = {}
    original = importing.find_duplicates_for

    def timed_dedup(job):
        start, cpu = time.perf_counter(), time.process_time()
        found = original(job)
        timings["dedup_seconds"] = time.perf_counter() - start
        timings["dedup_cpu_seconds"] = time.process_time() - cpu
        timings["dedup_pairs"] = found
        return found

    importing.find_duplicates_for = timed_dedup
    load_before = os.getloadavg()[0]
    server = server_cpu_seconds()
    cpu = time.process_time()
    start = time.perf_counter()
    importing.run(job, commit=True)
    total = time.perf_counter() - start
    import_seconds = total - timings.get("dedup_seconds", 0)
    result = {
        "status": job.status,
        "rows": job.total_rows,
        "counts": job.counts,
        "import_seconds": round(import_seconds, 1),
        "rows_per_second": round(job.total_rows / import_seconds),
        # On a shared machine wall time says more about the neighbours than about the
        # import: CPU seconds (this process, and the PostgreSQL server process serving it)
        # and the load average let the figures be judged.
        "import_cpu_seconds": round(
            time.process_time() - cpu - timings.get("dedup_cpu_seconds", 0), 1
        ),
        "server_cpu_seconds": round(server_cpu_seconds() - server, 1) if server else None,
        "import_load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "dedup_seconds": round(timings.get("dedup_seconds", 0), 1),
        "dedup_cpu_seconds": round(timings.get("dedup_cpu_seconds", 0), 1),
        "dedup_pairs": timings.get("dedup_pairs"),
        "peak_mb_after_import": round(peak_mb()),
    }
    result.update(latencies(user, requests, seed))
    result["peak_mb"] = round(peak_mb())
    return result


def server_cpu_seconds() -> float:
    """CPU seconds used so far by the PostgreSQL backend serving this connection (same host);
    0 for SQLite, which runs in this process."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # another host
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def latencies(user, requests: int, seed: int) -> dict:
    from django.test import Client

    from metacluster.companies.models import Company

    rng = random.Random(seed)
    client = Client()
    client.force_login(user)
    keys = list(Company.objects.order_by("?").values_list("name_key", flat=True)[:50]) if False else [
        name for name in Company.objects.filter(pk__in=[rng.randint(1, 900_000) for _ in range(60)]).values_list("name_key", flat=True)
    ]  # fmt: skip
    urls = []
    for i in range(requests):
        kind = i % 8
        if kind == 0:
            urls.append("/companies/")
        elif kind == 1:
            urls.append(f"/companies/?page={rng.randint(2, 200)}")
        elif kind == 2:
            urls.append(f"/companies/?q={rng.choice(keys)[:6]}")
        elif kind == 3:
            urls.append(f"/companies/?country={rng.choice(list(COUNTRIES))}&sort=-employees")
        elif kind == 4:
            urls.append(f"/companies/?nace=62&size=small&sort=-founded&page={rng.randint(1, 20)}")
        elif kind == 5:
            urls.append(f"/api/v1/companies?limit=50&offset={rng.randint(0, 9950)}")
        elif kind == 6:
            urls.append(f"/api/v1/companies?q={rng.choice(keys)[:4]}&country=FI")
        else:
            urls.append(
                f"/companies/?country=SE&nace=26.51&size=micro&q={rng.choice('abcdefghijklmnoprstuv')}"
            )
    client.get(urls[0])  # warm-up: caches, the first connection
    times, failures, by_kind = [], 0, {}
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        by_kind.setdefault(_kind(url), []).append(times[-1])
        failures += response.status_code != 200
    times.sort()
    return {
        "list_load_average": round(os.getloadavg()[0], 1),
        "requests": len(times),
        "failures": failures,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "max_ms": round(times[-1], 1),
        "by_kind_p50_max_ms": {
            kind: [round(statistics.median(ms)), round(max(ms))] for kind, ms in by_kind.items()
        },
    }


def _kind(url: str) -> str:
    """The page and its parameter names: "/companies/?country&q"."""
    path, _, query = url.partition("?")
    names = sorted(part.split("=")[0] for part in query.split("&") if part)
    return path + ("?" + "&".join(names) if names else "")


# --- Driver ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    parser.add_argument("--workdir", help="keep the file and SQLite database here")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.phase == "database":
        print(json.dumps(database_phase(options.url, options.file, options.requests, options.seed)))
        return

    workdir = Path(options.workdir or tempfile.mkdtemp(prefix="bench-scouting-"))
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"register-{options.rows}.csv"
    start = time.perf_counter()
    records, truth, errors = generate(path, options.rows, options.seed)
    print(f"generated {options.rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) with "
          f"{len(truth):,} planted duplicates and {errors:,} planted errors "
          f"in {time.perf_counter() - start:.0f} s")  # fmt: skip
    start = time.perf_counter()
    found = [match.pair for match in find_duplicates(records)]
    seconds = time.perf_counter() - start
    precision, recall = precision_recall(found, truth)
    print(f"de-duplication: {len(found):,} pairs in {seconds:.1f} s; precision {precision:.4f}, "
          f"recall {recall:.4f} (peak {peak_mb():.0f} MB)")  # fmt: skip
    del records, found

    urls = {
        "sqlite": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "postgres": os.environ.get(
            "DATABASE_URL_PG", "postgres://postgres@127.0.0.1:5432/mc_scouting_bench"
        ),
    }
    for database in options.databases:
        url = urls[database]
        if database == "sqlite":
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        else:
            name = url.rsplit("/", 1)[1]
            base = url.rsplit("/", 1)[0] + "/postgres"
            subprocess.run(["psql", base, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=False)
            if subprocess.run(
                ["psql", base, "-qc", f"CREATE DATABASE {name}"], check=False
            ).returncode:
                print(f"{database}: no server, skipped")
                continue
        command = [sys.executable, __file__, "--phase", "database", "--url", url, "--file", str(path),
                   "--requests", str(options.requests), "--seed", str(options.seed)]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        if done.returncode:
            print(f"{database}: failed\n{done.stderr[-3000:]}")
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{database}: {json.dumps(result)}")


if __name__ == "__main__":
    main()
