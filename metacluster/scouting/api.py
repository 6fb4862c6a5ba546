"""Scouting: the JSON API. Imports (upload a file: the import runs as a background job
whose state and progress you poll), possible duplicates with merge and undo, each programme's
ranked companies with the reasons for their scores, and adding companies to a programme."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from metacluster.apiutils import (
    CountryFilter,
    Id,
    Input,
    ListQuery,
    Page,
    Text,
    get_visible,
    paginate,
    refused_when,
    require,
    responses,
)
from metacluster.companies.listing import SIZE_BANDS, capped_count, filter_companies
from metacluster.companies.merging import merge, undo
from metacluster.companies.models import Company, Merge, engage
from metacluster.jobs.running import live, reap
from metacluster.nace import picked_nace, unknown_nace_message
from metacluster.programmes.models import Programme

from . import importing
from .files import ENCODINGS, UnreadableFile
from .forms import UploadForm
from .models import DuplicateCandidate, DuplicateStatus, ImportJob, ImportMode, ImportStatus
from .reasons import why
from .scoring import RANK_LIMIT, profile_for, ranked

router = Router(tags=["scouting"])


class RowErrorOut(Schema):
    line: int
    field: str
    kind: str
    message: str


class ImportOut(Schema):
    id: int
    source: str
    file_name: str
    layout: str
    status: ImportStatus
    mode: str
    total_rows: int
    counts: dict[str, int]
    error_count: int
    message: str
    columns: dict[str, str]
    created_at: datetime
    finished_at: datetime | None
    progress: float = Field(..., description="From 0 to 1 while the job checks or imports.")
    attempts: int = Field(..., description="How many times a worker took the job.")

    @staticmethod
    def resolve_progress(job) -> float:
        return round(live(job)[0], 4)


class ImportDetailOut(ImportOut):
    errors: list[RowErrorOut] = Field(..., description="The first 10,000 row errors.")


class DuplicateOut(Schema):
    id: int
    first_id: int
    first: str
    second_id: int
    second: str
    reason: Literal["registry_code", "vat_number", "name_town"]
    similarity: float
    status: DuplicateStatus

    @staticmethod
    def resolve_first(pair) -> str:
        return pair.first.name

    @staticmethod
    def resolve_second(pair) -> str:
        return pair.second.name


class DuplicateQuery(ListQuery):
    status: DuplicateStatus = DuplicateStatus.OPEN


class MergeIn(Input):
    keep: Id = Field(..., description="The company to keep: one of the pair.")


class MergeOut(Schema):
    id: int
    survivor_id: int
    merged_id: int
    moved: dict[str, list[int]]
    kept_back: dict[str, list[int]]
    filled: dict
    merged_at: datetime
    undone_at: datetime | None


class CriterionOut(Schema):
    key: str
    points: int
    max: int
    reason: str = Field(..., description="Why, as a code (sector_in, size_out, …).")
    params: dict = Field(..., description="The reason's values: codes, counts, years.")
    why: str = Field(..., description="The reason as a sentence in the request's language.")


class RankedOut(Schema):
    company_id: int
    name: str
    country: str
    town: str
    employees: int | None
    nace_codes: list[str]
    score: int
    criteria: list[CriterionOut]


class RankingQuery(ListQuery):
    q: Text | None = Field(None, max_length=200)
    country: CountryFilter | None = None
    nace: str | None = Field(
        None,
        max_length=200,
        description="Main NACE code under this NACE Rev. 2 division, group or class, e.g. 62.",
    )
    size: Literal[tuple(SIZE_BANDS)] | None = None


class AddIn(Input):
    companies: list[Id] = Field(..., min_length=1, max_length=1000)


class AddOut(Schema):
    added: int
    already: int


def _staff(request) -> None:
    require(not request.user.is_sme, _("Scouting is for the staff of partner organisations."))


@router.get("/scouting/imports", response=responses(Page[ImportOut]))
def list_imports(request, query: Query[ListQuery]):
    """Your organisation's imports, newest first."""
    _staff(request)
    return paginate(ImportJob.objects.visible_to(request.user), query)


class ImportIn(Schema):
    source: str = Field(..., min_length=1, max_length=60, examples=["ee-ariregister"])
    country: str | None = Field(
        None, pattern=r"^[A-Za-z]{2}$", description="Country of rows without one."
    )
    encoding: Literal[tuple(ENCODINGS)] = "utf-8"
    mode: ImportMode = ImportMode.VALID_ROWS
    check_only: bool = Field(False, description="Check the file and import nothing.")


@router.post(
    "/scouting/imports",
    response=responses(ImportOut, 202),
    openapi_extra=refused_when(
        "`file`: a CSV or XLSX file within the upload limit (`SCOUTING_UPLOAD_MAX_MB`), readable in the chosen encoding, with a column for the company name.",
        "`country`: a known country code.",
    ),
)
def create_import(request, form: Form[ImportIn], file: File[UploadedFile]):
    """Import a register file into your organisation's companies. Answers 202 at once with
    the job; poll `GET /scouting/imports/{id}` until its status is `done` (or `checked` with
    `check_only`), `rejected` or `failed`. Columns are mapped as the source's saved mapping
    says, else as the file's layout or header suggests."""
    _staff(request)
    user = request.user
    require(
        bool(user.organisation_id) and user.can_edit_records,
        _("Advisors and programme managers of an organisation import companies."),
    )
    upload = UploadForm(
        {
            "source": form.source,
            "default_country": (form.country or "").upper(),
            "encoding": form.encoding,
        },
        {"file": file},
    )
    if not upload.is_valid():
        names = {"default_country": "country"}
        raise ValidationError(
            {names.get(key, key): list(errors) for key, errors in upload.errors.items()}
        )
    try:
        job = importing.new_job(
            user,
            upload.cleaned_data["file"],
            source=upload.cleaned_data["source"],
            default_country=upload.cleaned_data["default_country"],
            encoding=upload.cleaned_data["encoding"],
            mode=form.mode,
        )
    except UnreadableFile as error:
        raise ValidationError({"file": str(error)}) from None
    if "name" not in job.columns:
        importing.forget(job)
        raise ValidationError(
            {"file": _("No column for the company name: import it on the web page to map it.")}
        )
    importing.start(job, commit=not form.check_only)
    job.refresh_from_db()
    return Status(202, job)


@router.get("/scouting/imports/{int:import_id}", response=responses(ImportDetailOut))
def get_import(request, import_id: Id):
    """An import and its state: `progress` goes from 0 to 1 while it checks or imports."""
    _staff(request)
    job = get_visible(ImportJob.objects.visible_to(request.user), import_id, _("import"))
    if job.is_running and reap(job):  # its worker was lost: sent again, or failed
        job.refresh_from_db()
    return job


@router.get("/scouting/duplicates", response=responses(Page[DuplicateOut]))
def list_duplicates(request, query: Query[DuplicateQuery]):
    """Pairs of companies you can see that are probably one company."""
    _staff(request)
    pairs = (
        DuplicateCandidate.objects.visible_to(request.user)
        .filter(status=query.status)
        .select_related("first", "second")
    )
    return paginate(pairs, query)


def _editable_pair(request, pair_id: int) -> DuplicateCandidate:
    _staff(request)
    pair = get_visible(
        DuplicateCandidate.objects.visible_to(request.user).select_related("first", "second"),
        pair_id,
        _("possible duplicate"),
    )
    both = Company.objects.editable_by(request.user).filter(pk__in=[pair.first_id, pair.second_id])
    require(both.count() == 2, _("You may not change these companies."))
    return pair


@router.post(
    "/scouting/duplicates/{int:pair_id}/merge",
    response=responses(MergeOut, 201),
    openapi_extra=refused_when("`keep`: one of the pair.", "The pair is still to review."),
)
def merge_duplicate(request, pair_id: Id, payload: MergeIn):
    """Merge the pair: everything linked to the other company moves to `keep`."""
    pair = _editable_pair(request, pair_id)
    if payload.keep not in (pair.first_id, pair.second_id):
        raise ValidationError({"keep": _("Keep one of the two companies of the pair.")})
    if pair.status != DuplicateStatus.OPEN:
        raise ValidationError(_("This pair has been reviewed already."))
    keep, other = (
        (pair.first, pair.second) if payload.keep == pair.first_id else (pair.second, pair.first)
    )
    with transaction.atomic():
        record = merge(keep, other, by=request.user)
        pair.status, pair.reviewed_by = DuplicateStatus.MERGED, request.user
        pair.save(update_fields=["status", "reviewed_by"])
    return Status(201, record)


@router.post("/scouting/duplicates/{int:pair_id}/distinct", response=responses(DuplicateOut))
def mark_distinct(request, pair_id: Id):
    """Record that the pair are two different companies."""
    pair = _editable_pair(request, pair_id)
    pair.status, pair.reviewed_by = DuplicateStatus.DISTINCT, request.user
    pair.save(update_fields=["status", "reviewed_by"])
    return pair


@router.post(
    "/scouting/merges/{int:merge_id}/undo",
    response=responses(MergeOut),
    openapi_extra=refused_when("The merge is not undone yet, nor merged into since."),
)
def undo_merge(request, merge_id: Id):
    _staff(request)
    record = get_visible(Merge.objects.visible_to(request.user), merge_id, _("merge"))
    require(
        Company.objects.editable_by(request.user).filter(pk=record.survivor_id).exists(),
        _("You may not change this company."),
    )
    undo(record, by=request.user)
    DuplicateCandidate.objects.filter(
        first_id=min(record.survivor_id, record.merged_id),
        second_id=max(record.survivor_id, record.merged_id),
    ).update(status=DuplicateStatus.OPEN)
    record.refresh_from_db()
    return record


@router.get(
    "/scouting/programmes/{int:programme_id}/ranking",
    response=responses(Page[RankedOut]),
    openapi_extra=refused_when(
        f"At most {RANK_LIMIT:,} companies match the filters.",
        "`nace`: a NACE Rev. 2 division, group or class (`62`, `62.0`, `62.01` or `6201`), "
        "or a division's title.",
    ),
)
def ranking(request, programme_id: Id, query: Query[RankingQuery]):
    """The companies you can see, best scouting score for the programme first, with each
    criterion's points and the reason for them."""
    _staff(request)
    programme = get_visible(
        Programme.objects.visible_to(request.user), programme_id, _("programme")
    )
    nace = picked_nace(query.nace) if query.nace else ""
    if nace is None:
        raise ValidationError({"nace": unknown_nace_message(query.nace)})
    companies = filter_companies(
        Company.objects.visible_to(request.user).current(),
        {"q": query.q, "country": query.country, "nace": nace, "size": query.size},
    )
    count, more = capped_count(companies, RANK_LIMIT)
    if more:
        raise ValidationError(
            _("More than %(limit)s companies match: narrow the filters.") % {"limit": RANK_LIMIT}
        )
    rows = ranked(companies, profile_for(programme))
    page = rows[query.offset : query.offset + query.limit]
    items = [
        {
            "company_id": company.pk, "name": company.name, "country": company.country,
            "town": company.town, "employees": company.employees,
            "nace_codes": company.nace_codes, "score": score.total,
            "criteria": [
                {"key": c.key, "points": c.points, "max": c.maximum, "reason": c.reason,
                 "params": c.params, "why": why(c)}
                for c in score.criteria
            ],
        }
        for company, score in page
    ]  # fmt: skip
    return {"count": count, "limit": query.limit, "offset": query.offset, "items": items}


@router.post(
    "/scouting/programmes/{int:programme_id}/engagements",
    response=responses(AddOut),
)
def add_to_programme(request, programme_id: Id, payload: AddIn):
    """Add companies to the programme's pipeline at stage identified (those already in it
    stay where they are)."""
    _staff(request)
    programme = get_visible(
        Programme.objects.visible_to(request.user), programme_id, _("programme")
    )
    require(programme.is_recordable_by(request.user), _("You may not add companies here."))
    wanted = set(payload.companies)
    companies = list(Company.objects.visible_to(request.user).current().filter(pk__in=wanted))
    missing = sorted(wanted - {company.pk for company in companies})
    if missing:
        # As for a company named in the path: one the user cannot see is not found.
        raise Http404(_("No company with id %(id)s.") % {"id": missing[0]})
    partner = (
        request.user.organisation
        if request.user.organisation_id and programme.has_partner(request.user.organisation_id)
        else programme.lead
    )
    added = 0
    with transaction.atomic():
        for company in companies:
            before = company.engagements.filter(programme=programme).exists()
            engage(company, programme, partner, by=request.user)
            added += not before
    return {"added": added, "already": len(companies) - added}
