"""Importing a register file into an organisation's companies.

`check(job)` reads the file and says what an import would do (created, updated, unchanged,
skipped, every row error) without writing anything; `commit(job)` does it in one
transaction: all valid rows, or, in all-or-nothing mode, every row or none. Both read the
file in chunks, so memory stays flat however long the file is; new companies are written
with COPY (PostgreSQL: into a staging table, moved into the company table at the end) or one
prepared INSERT (SQLite) and changes with one prepared UPDATE, a chunk at a time (see bulk.py).

A row matches an existing company by registry code (per country), else by VAT number, else
by exact normalised name in the same town, so importing the same file twice changes
nothing the second time. A match the organisation may not edit (a company another
organisation recorded) is skipped, never changed. Lines of one file are matched with each other
in memory (`_EarlierLines`), not through the companies the file creates.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from django.db import connection, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from metacluster.companies.models import Company
from metacluster.core.scouting import clean_row, find_duplicates
from metacluster.core.scouting.columns import LAYOUTS, add_derived
from metacluster.core.scouting.dedup import Record
from metacluster.jobs.running import enqueue

from .bulk import bulk_load, insert_companies, update_companies
from .files import UNDECODABLE, Table, UnreadableFile, discard
from .models import DuplicateCandidate, ImportJob, ImportMode, ImportStatus

log = logging.getLogger(__name__)

CHUNK = 5_000
MAX_STORED_ERRORS = 10_000  # the preview lists these; the count covers them all
# Fields an import sets; the rest of a company (kind, owner, engagements) is the platform's.
IMPORTED = [
    "name", "country", "town", "registry_code", "vat_number", "nace_codes", "employees",
    "turnover", "turnover_previous", "founded_year", "website", "description", "legal_form",
    "register_status", "address", "postcode",
]  # fmt: skip
# Without a task queue (no REDIS_URL), files at most this big are checked and imported within
# the request, bigger ones in a thread of the web process; with one, all go to the worker. The
# page polls the job row either way (progress: metacluster/jobs/running.py).
INLINE_BYTES = 2_000_000


# After a load this big, refresh the planner's statistics of the company table: without them
# PostgreSQL plans a list page over a freshly loaded million rows as a full sort (800 ms
# instead of 12 ms), until autovacuum comes round.
ANALYZE_AFTER = 10_000
# SQLite: from this many rows, an import into a table no bigger than the file builds the
# company table's list indexes afresh at the end instead of row by row (see bulk.bulk_load).
BULK_LOAD_ROWS = 50_000


def _analyze() -> None:
    """Fresh statistics after a big load; on PostgreSQL, outside a transaction, a vacuum too:
    until one marks the new rows' pages all-visible, every count of companies reads those
    pages instead of answering from the index (2.7 ms → 66 ms for a count after 100,000 new
    rows), and autovacuum may come round only much later."""
    table = connection.ops.quote_name(Company._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        else:
            cursor.execute(f"ANALYZE {table}")


class Rejected(Exception):
    """All-or-nothing import of a file with row errors: nothing was written."""


class _Outcome:
    def __init__(self):
        self.counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0, "errors": 0}
        self.errors: list[dict] = []
        self.rows = 0
        # Existing company → the line of the file that matched it first: a later line that
        # matches it too is the same company again, not an update (else the two lines would
        # overwrite each other on every import and a re-import would never be unchanged).
        self.matched: dict[int, int] = {}

    def error(self, problem: dict) -> None:
        self.counts["errors"] += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(problem)


def _mapped(raw: dict[str, str], columns: dict[str, str]) -> dict[str, str]:
    return {field: raw.get(column, "") for field, column in columns.items() if column}


# Company field → the import field (column) it comes from, where the names differ.
FROM_COLUMN = {"founded_year": "founded", "register_status": "status"}


def _changes(company: Company, values: dict, mapped_fields: set[str]) -> dict:
    """The imported values that differ from the company's; an empty cell changes nothing,
    nor does a field the file has no column for."""
    changes = {}
    for name in IMPORTED:
        if FROM_COLUMN.get(name, name) not in mapped_fields and name not in ("name", "country"):
            continue
        value = values.get(name)
        if value in (None, "", []):
            continue
        if getattr(company, name) != value:
            changes[name] = value
    return changes


def _among(name: str, values) -> Q | RawSQL:
    """A filter: the company field's value is one of `values`. On PostgreSQL one array
    parameter (`= ANY(%s)`): the ORM's IN list of 5,000 parameters, each prepared on its
    own, was a tenth of the import's Python time."""
    if connection.vendor != "postgresql":
        return Q(**{f"{name}__in": list(values)})
    quote = connection.ops.quote_name
    column = f"{quote(Company._meta.db_table)}.{quote(Company._meta.get_field(name).column)}"
    return RawSQL(f"{column} = ANY(%s)", (list(values),), output_field=BooleanField())


def _match_existing(rows: list, countries: set[str]) -> dict[int, Company]:
    """Row line → existing company, by registry code, VAT number, then name and town."""
    by_code = {
        (r.values["country"], r.values["registry_code"]): r
        for r in rows
        if r.values["registry_code"]
    }
    by_vat: dict[str, list] = {}  # two lines with codes may share one
    for r in rows:
        if r.values["vat_number"]:
            by_vat.setdefault(r.values["vat_number"], []).append(r)
    by_name = {(r.values["country"], r.values["name_key"], r.values["town"]): r for r in rows}
    found: dict[int, Company] = {}
    current = Company.objects.current()
    if by_code:
        codes = {code for _country, code in by_code}
        # Merged records too: a merged duplicate keeps its code, which stays taken.
        for company in Company.objects.filter(
            _among("registry_code", codes), country__in=countries
        ):
            row = by_code.get((company.country, company.registry_code))
            if row:
                found[row.line] = company
    if by_vat:
        for company in current.filter(_among("vat_number", by_vat)):
            # Every line it matches, as if each were in a chunk of its own: the second is
            # then reported as the same company again (`_apply`).
            for row in by_vat[company.vat_number]:
                if row.line not in found and (
                    not row.values["registry_code"] or not company.registry_code
                ):
                    found[row.line] = company
    unmatched = {
        k: r for k, r in by_name.items() if r.line not in found and not r.values["registry_code"]
    }
    if unmatched:
        keys = {key for _c, key, _t in unmatched}
        # A line without a code is first the company without a code that such a line made
        # (a coded company of that name is matched by its own line), so that re-importing a
        # file that lists a company both ways leaves both records as they are.
        candidates = current.filter(_among("name_key", keys), country__in=countries).order_by(
            "registry_code",
            "pk",  # "" first
        )
        for company in candidates:
            row = unmatched.get((company.country, company.name_key, company.town))
            if row and row.line not in found:
                found[row.line] = company
    return found


def run(
    job: ImportJob, *, commit: bool, user=None, progress: Callable[[float], None] | None = None
) -> ImportJob:
    """Check (commit=False) or import (commit=True) the job's file; record the outcome on
    the job. Raises nothing for bad data: it ends up in the job's errors and status."""
    job.status = ImportStatus.COMMITTING if commit else ImportStatus.CHECKING
    job.save(update_fields=["status"])
    try:
        if commit:
            with transaction.atomic(), bulk_load(rebuild_indexes=_is_bulk_load(job)):
                outcome = _process(job, commit=True, progress=progress)
                if job.mode == ImportMode.ALL_OR_NOTHING and outcome.counts["errors"]:
                    raise Rejected
        else:
            outcome = _process(job, commit=False, progress=progress)
    except Rejected:
        job.status = ImportStatus.REJECTED
        job.message = "Rows have errors and the import was all or nothing: nothing was imported."
    except UnreadableFile as error:
        job.status = ImportStatus.FAILED
        job.message = f"The file cannot be read: {error}"
        outcome = None
    except FileNotFoundError:
        job.status = ImportStatus.FAILED
        job.message = "The uploaded file is no longer there: upload it again."
        outcome = None
    else:
        job.status = ImportStatus.DONE if commit else ImportStatus.CHECKED
        job.message = ""
    if outcome is not None:
        job.total_rows, job.counts = outcome.rows, outcome.counts
        job.errors, job.error_count = outcome.errors, outcome.counts["errors"]
    job.finished_at = timezone.now()
    job.progress = 1.0
    job.save()
    if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        discard(job.path)  # the job has ended: its file is not needed any more
    if commit and job.status == ImportStatus.DONE:
        if job.counts.get("created", 0) >= ANALYZE_AFTER:
            _analyze()
        from metacluster.jobs import tasks

        enqueue(tasks.find_duplicates, job.pk)
    return job


def _is_bulk_load(job: ImportJob) -> bool:
    """SQLite: a file of at least BULK_LOAD_ROWS rows and at least as many as the company
    table holds: its indexes are cheaper to build again than to keep up to date row by row.
    PostgreSQL never: dropping an index would make every reader of companies wait for the
    import's commit (see bulk.bulk_load)."""
    if connection.vendor != "sqlite":
        return False
    try:
        rows = Table(job.path, _encoding(job)).estimated_rows()
    except (OSError, UnreadableFile):
        return False
    return rows >= BULK_LOAD_ROWS and rows >= Company.objects.count()


def _encoding(job: ImportJob) -> str:
    """The encoding the importer chose on the page or the command line."""
    return job.encoding or "utf-8"


def _process(job: ImportJob, *, commit: bool, progress) -> _Outcome:
    table = Table(job.path, _encoding(job))
    outcome = _Outcome()
    mapped_fields = {field for field, column in job.columns.items() if column}
    defaults = LAYOUTS.get(job.layout, {}).get("defaults", {})
    default_country = job.default_country or defaults.get("country", "")
    year = date.today().year
    earlier = _EarlierLines()
    editable = _editable_filter(job)
    chunk: list = []

    def flush():
        if chunk:
            _apply(job, chunk, outcome, mapped_fields, editable, commit)
            chunk.clear()
        if progress:
            progress(table.fraction)

    derived = set(job.columns.values()) & set(LAYOUTS.get(job.layout, {}).get("derived", {}))
    for line, raw in table.rows():
        outcome.rows += 1
        if UNDECODABLE in raw:
            outcome.error(_encoding_error(line, raw[UNDECODABLE]).as_dict())
            continue
        if derived:
            add_derived(job.layout, raw, derived)
        row, problems = clean_row(
            line, _mapped(raw, job.columns), default_country=default_country, year=year
        )
        if row:
            problem = earlier.problem(row)
            if problem:
                problems, row = [problem], None
            else:
                earlier.add(row)
        for problem in problems:
            outcome.error(problem.as_dict())
        if row:
            chunk.append(row)
        if len(chunk) >= CHUNK:
            flush()
    flush()
    return outcome


class _EarlierLines:
    """The lines of the file read so far, to tell a line that is an earlier line's company
    again. Companies the file creates are matched against its later lines here, never in the
    database: on PostgreSQL they reach the company table only at the end (bulk.bulk_load),
    and the outcome does not depend on where the chunks end."""

    def __init__(self):
        self.codes: dict[tuple[str, str], int] = {}
        self.names: dict[tuple[str, str, str], int] = {}
        self.vats: dict[str, int] = {}  # VAT number → the first line with it
        self.uncoded_vats: dict[str, int] = {}  # … and the first line with it and no code

    def problem(self, row):
        values = row.values
        code, vat = values["registry_code"], values["vat_number"]
        if code and (values["country"], code) in self.codes:
            return _duplicate_error(row.line, self.codes[(values["country"], code)])
        # A line without a code is known by its name and town: an earlier line without a
        # code and with the same name and town is that company again. (A line with a code
        # and the same name may be another company: those are offered for review.)
        name = (values["country"], values["name_key"], values["town"])
        if not code and name in self.names:
            return _same_company_error(row.line, self.names[name])
        # The same VAT number where one of the two lines has no code: the same company, as
        # `_match_existing` matches an existing company (two coded lines are two companies).
        first = (self.uncoded_vats if code else self.vats).get(vat) if vat else None
        if first is not None:
            return _same_company_error(row.line, first)
        return None

    def add(self, row) -> None:
        values = row.values
        code, vat = values["registry_code"], values["vat_number"]
        if code:
            self.codes[(values["country"], code)] = row.line
        else:
            self.names[(values["country"], values["name_key"], values["town"])] = row.line
        if vat:
            self.vats.setdefault(vat, row.line)
            if not code:
                self.uncoded_vats.setdefault(vat, row.line)


def _encoding_error(line: int, problem: str):
    from metacluster.core.scouting.rows import RowError

    return RowError(line, "", "encoding", f"the line is {problem}")


def _duplicate_error(line: int, first: int):
    from metacluster.core.scouting.rows import RowError

    return RowError(line, "registry_code", "duplicate", f"the same registry code as line {first}")


def _same_company_error(line: int, first: int):
    from metacluster.core.scouting.rows import RowError

    return RowError(line, "name", "duplicate", f"the same company as line {first}")


def _editable_filter(job: ImportJob) -> Q:
    """Companies the importing organisation may change: its own, and those engaged in its
    programmes (as `Company.objects.visible_to` for its staff)."""
    from metacluster.companies.models import Engagement

    engaged = Engagement.objects.filter(
        programme__partnerships__organisation_id=job.organisation_id
    ).values("company_id")
    return Q(owner_id=job.organisation_id) | Q(pk__in=engaged)


def _apply(job, rows, outcome: _Outcome, mapped_fields, editable: Q, commit: bool) -> None:
    countries = {row.values["country"] for row in rows}
    existing = _match_existing(rows, countries)
    allowed = set(
        Company.objects.filter(editable, pk__in=[c.pk for c in existing.values()]).values_list(
            "pk", flat=True
        )
    )
    creates, updates, changed_fields = [], [], set()
    for row in rows:
        company = existing.get(row.line)
        if company is None:
            creates.append(row.values)
            continue
        if company.pk in outcome.matched:
            outcome.error(_same_company_error(row.line, outcome.matched[company.pk]).as_dict())
            continue
        outcome.matched[company.pk] = row.line
        if company.pk not in allowed or company.merged_into_id:
            outcome.counts["skipped"] += 1
            continue
        changes = _changes(company, row.values, mapped_fields)
        if not changes:
            outcome.counts["unchanged"] += 1
            continue
        for name, value in changes.items():
            setattr(company, name, value)
        company.derive()
        company.version += 1
        changed_fields.update(changes)
        updates.append(company)
    outcome.counts["created"] += len(creates)
    outcome.counts["updated"] += len(updates)
    if commit:
        insert_companies(creates, owner_id=job.organisation_id, source=job.source)
        if updates:
            fields = sorted(changed_fields | {"name_key", "nace_primary", "search_text", "version"})
            update_companies(updates, fields)


def find_duplicates_for(job: ImportJob) -> int:
    """Record likely duplicates among the organisation's companies in the countries the job
    touched, for review; returns how many new pairs were found."""
    countries = list(
        Company.objects.filter(owner_id=job.organisation_id, source=job.source)
        .values_list("country", flat=True)
        .distinct()
    )
    records = [
        Record(pk, country, name, town, code, vat, key)
        for pk, country, name, town, code, vat, key in Company.objects.current()
        .filter(owner_id=job.organisation_id, country__in=countries)
        .values_list("pk", "country", "name", "town", "registry_code", "vat_number", "name_key")
        .iterator(chunk_size=10_000)
    ]
    matches = find_duplicates(records)
    before = DuplicateCandidate.objects.count()
    DuplicateCandidate.objects.bulk_create(
        [
            DuplicateCandidate(
                first_id=m.pair[0], second_id=m.pair[1], reason=m.reason, similarity=m.score
            )
            for m in matches
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return DuplicateCandidate.objects.count() - before


def new_job(
    user,
    upload,
    *,
    source: str,
    default_country: str = "",
    encoding: str = "utf-8",
    mode: str = ImportMode.VALID_ROWS,
) -> ImportJob:
    """Keep an uploaded file and make its import job, its columns mapped as the source's
    saved mapping says, else as the file's layout or header suggests. Raises UnreadableFile
    (and keeps nothing) for a file that is not a table."""
    from metacluster.core.scouting import guess_mapping, recognise_layout
    from metacluster.core.scouting.columns import with_derived

    from .files import store_upload
    from .models import ColumnMapping

    path = store_upload(upload.chunks(), Path(upload.name).suffix)
    try:
        headers = with_derived(Table(str(path), encoding, check=True).headers)
        if any("\x00" in header for header in headers):  # binary, not text
            raise UnreadableFile("the file is neither CSV nor XLSX")
    except UnreadableFile:
        path.unlink(missing_ok=True)
        raise
    source = source.strip()
    saved = ColumnMapping.objects.filter(organisation=user.organisation, source=source).first()
    layout = recognise_layout(headers) or ""
    columns = guess_mapping(headers)
    if saved and all(column in headers for column in saved.columns.values()):
        columns = saved.columns
    default_country = default_country or (saved.default_country if saved else "")
    default_country = default_country or LAYOUTS.get(layout, {}).get("defaults", {}).get(
        "country", ""
    )
    return ImportJob.objects.create(
        organisation=user.organisation, created_by=user, source=source,
        file_name=upload.name[:255], path=str(path), headers=headers, layout=layout,
        columns=columns, default_country=default_country, encoding=encoding, mode=mode,
    )  # fmt: skip


def forget(job: ImportJob) -> None:
    """Forget a job that never ran, and its file."""
    discard(job.path)
    job.delete()


def start(job: ImportJob, *, commit: bool) -> None:
    """Check (commit=False) or import the file as a background job: the job row says
    "checking" or "importing" at once, with its progress, until the task has run (on the
    worker, or here: see metacluster/jobs/running.py)."""
    from metacluster.jobs import tasks

    job.status = ImportStatus.COMMITTING if commit else ImportStatus.CHECKING
    job.progress, job.heartbeat_at, job.attempts, job.message = 0.0, None, 0, ""
    job.save(update_fields=["status", "progress", "heartbeat_at", "attempts", "message"])
    try:
        long = os.path.getsize(job.path) > INLINE_BYTES
    except OSError:
        long = False
    enqueue(tasks.run_import, job.pk, long=long)


def fail(jobs, message: str) -> None:
    """Mark running imports failed (their worker was lost too often: nothing was written)."""
    paths = list(jobs.values_list("path", flat=True))
    jobs.update(
        status=ImportStatus.FAILED, message=message, heartbeat_at=None, finished_at=timezone.now()
    )
    for path in paths:
        discard(path)
