"""Scouting pages: the ranked company list, imports, duplicates and the scoring profile."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.companies.listing import (
    CappedPaginator,
    capped_count,
    filter_companies,
    prefix,
    sort_companies,
)
from metacluster.companies.merging import merge, undo
from metacluster.companies.models import Company, Merge, engage
from metacluster.core.scouting.columns import FIELDS, LAYOUTS
from metacluster.exports import csv_writer
from metacluster.htmx import htmx_partial
from metacluster.jobs.running import live, reap
from metacluster.nexturl import next_url
from metacluster.programmes.models import Programme

from . import importing
from .files import UnreadableFile, discard
from .forms import MappingForm, SaveSearchForm, ScoringProfileForm, ScoutingFilterForm, UploadForm
from .models import (
    ColumnMapping,
    DuplicateCandidate,
    DuplicateStatus,
    ImportJob,
    ImportStatus,
    SavedSearch,
    ScoringProfile,
)
from .scoring import RANK_LIMIT, profile_for, ranked, scored, with_signals

PAGE = 50


def staff_only(request: HttpRequest) -> None:
    if request.user.is_sme:
        raise PermissionDenied(_("Scouting is for the staff of partner organisations."))


def may_import(user) -> bool:
    return bool(user.organisation_id) and user.can_edit_records and not user.is_sme


# --- The ranked list ---------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if request.user.is_sme:
        return render(request, "scouting/sme.html")
    user = request.user
    programmes = list(Programme.objects.visible_to(user))
    filters = ScoutingFilterForm(request.GET or None, programmes=programmes)
    # A filter that does not validate (a programme the user does not see, a bad NACE code) is
    # left out and named above the list (`unapplied`); the others still apply (cleaned_data
    # keeps the valid ones).
    data = {}
    if filters.is_bound:
        filters.is_valid()  # fills cleaned_data with the fields that do validate
        data = filters.cleaned_data
    programme = next((p for p in programmes if p.acronym == data.get("programme")), None)
    programme = programme or (programmes[0] if programmes else None)
    profile = profile_for(programme) if programme else None
    companies = filter_companies(Company.objects.visible_to(user).current(), data)
    if data.get("fit") and profile and profile.sector_codes:
        fit = None
        for code in profile.sector_codes:
            condition = prefix("nace_primary", code) if len(code) > 1 else None
            if condition is not None:
                fit = condition if fit is None else fit | condition
        if fit is not None:
            companies = companies.filter(fit)
    sort = data.get("sort") or "score"
    note = ""
    if sort == "score" and profile:
        count, capped = capped_count(companies, RANK_LIMIT)
        if capped:
            note = _(
                "More than %(limit)s companies match: they are listed by name. Narrow the "
                "filters (country, NACE, size) to rank them by score."
            ) % {"limit": f"{RANK_LIMIT:,}"}
            page = CappedPaginator(sort_companies(companies, "name"), PAGE).get_page(
                request.GET.get("page")
            )
            rows = scored(
                with_signals(Company.objects.filter(pk__in=[c.pk for c in page])).order_by("name"),
                profile,
            )
        else:
            page = Paginator(ranked(companies, profile), PAGE).get_page(request.GET.get("page"))
            rows = list(page)
    else:
        page = CappedPaginator(sort_companies(companies, sort), PAGE).get_page(
            request.GET.get("page")
        )
        ids = [c.pk for c in page]
        by_pk = {c.pk: c for c in with_signals(Company.objects.filter(pk__in=ids))}
        rows = scored([by_pk[pk] for pk in ids], profile) if profile else [(c, None) for c in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "unapplied": [
            (filters.fields[name].label if name in filters.fields else name, " ".join(errors))
            for name, errors in (filters.errors if filters.is_bound else {}).items()
        ],
        "page": page,
        "rows": rows,
        "note": note,
        "programme": programme,
        "profile": profile,
        "query": query.urlencode(),
        "can_add": programme is not None and programme.is_recordable_by(user),
        "can_import": may_import(user),
        "can_configure": programme is not None and programme.is_managed_by(user),
        "searches": SavedSearch.objects.filter(user=user),
        "save_form": SaveSearchForm(initial={"query": query.urlencode()}),
        "open_duplicates": DuplicateCandidate.objects.visible_to(user)
        .filter(status=DuplicateStatus.OPEN)
        .count(),
    }
    template = (
        "scouting/_results.html"
        if htmx_partial(request) and request.headers.get("HX-Target") == "results"
        else "scouting/index.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def bulk_add(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user), acronym=request.POST.get("programme", "")
    )
    if not programme.is_recordable_by(request.user):
        raise PermissionDenied(_("You cannot add companies to this programme."))
    ids = [int(pk) for pk in request.POST.getlist("company") if pk.isdigit()]
    companies = Company.objects.visible_to(request.user).current().filter(pk__in=ids)
    partner = (
        request.user.organisation
        if programme.has_partner(request.user.organisation_id)
        else programme.lead
    )
    added = 0
    with transaction.atomic():
        for company in companies:
            before = company.engagements.filter(programme=programme).exists()
            engage(company, programme, partner, by=request.user)
            added += not before
    messages.success(
        request,
        _(
            "%(added)s companies added to %(programme)s at stage identified; %(already)s were in it already."
        )
        % {"added": added, "programme": programme.name, "already": len(companies) - added},
    )
    return redirect(next_url(request, reverse("scouting:index")))


@login_required
@require_POST
def search_save(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    form = SaveSearchForm(request.POST)
    if form.is_valid():
        SavedSearch.objects.update_or_create(
            user=request.user,
            name=form.cleaned_data["name"],
            defaults={"query": form.cleaned_data["query"]},
        )
        messages.success(request, _("The search is saved."))
    else:
        messages.error(request, _("Give the search a name."))
    return redirect(f"{reverse('scouting:index')}?{form.data.get('query', '')}")


@login_required
@require_POST
def search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(SavedSearch, pk=pk, user=request.user).delete()
    messages.success(request, _("The saved search is deleted."))
    return redirect("scouting:index")


@login_required
def profile_edit(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.visible_to(request.user), acronym=acronym)
    if not programme.is_managed_by(request.user):
        raise PermissionDenied(_("Only the programme's managers set its scouting score."))
    profile = ScoringProfile.objects.filter(programme=programme).first() or ScoringProfile(
        programme=programme
    )
    form = ScoringProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The scouting score is saved."))
        return redirect(
            f"{reverse('scouting:index')}?{urlencode({'programme': programme.acronym})}"
        )
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Scouting score of %(programme)s") % {"programme": programme.name},
            "intro": _("Points per criterion; a criterion with 0 points is not used."),
            "cancel_url": reverse("scouting:index"),
        },
    )


# --- Imports -----------------------------------------------------------------------------------


def visible_job(request: HttpRequest, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    if job.is_running and reap(job):  # its worker was lost: sent again, or failed
        job.refresh_from_db()
    return job


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    jobs = ImportJob.objects.visible_to(request.user).select_related("created_by")[:100]
    return render(
        request, "scouting/imports.html", {"jobs": jobs, "can_import": may_import(request.user)}
    )


@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    if not may_import(request.user):
        raise PermissionDenied(
            _("Advisors and programme managers of an organisation import companies.")
        )
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = importing.new_job(
                request.user,
                form.cleaned_data["file"],
                source=form.cleaned_data["source"],
                default_country=form.cleaned_data["default_country"],
                encoding=form.cleaned_data["encoding"],
            )
        except UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            return redirect("scouting:import_detail", pk=job.pk)
    return render(
        request,
        "scouting/import_new.html",
        {
            "form": form,
            "layouts": LAYOUTS.values(),
            "sources": ColumnMapping.objects.visible_to(request.user),
        },
    )


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request)
    job = visible_job(request, pk)
    can_run = (
        may_import(request.user)
        and not job.is_running
        and job.status not in (ImportStatus.DONE, ImportStatus.FAILED)
    )
    initial = {"mode": job.mode, **{f"column_{f}": c for f, c in job.columns.items()}}
    form = MappingForm(request.POST or None, headers=job.headers, initial=initial)
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied(_("This import cannot be run now."))
        action = request.POST.get("action")
        if action == "cancel":
            cancel(job, request.user)
            messages.success(request, _("The import is cancelled and its file deleted."))
            return redirect("scouting:import_detail", pk=job.pk)
        if action == "commit" and job.status == ImportStatus.CHECKED:
            importing.start(job, commit=True)
            return redirect("scouting:import_detail", pk=job.pk)
        if form.is_valid():
            job.columns, job.mode = form.columns(), form.cleaned_data["mode"]
            job.save(update_fields=["columns", "mode"])
            ColumnMapping.objects.update_or_create(
                organisation=job.organisation,
                source=job.source,
                defaults={"columns": job.columns, "default_country": job.default_country},
            )
            importing.start(job, commit=False)
            return redirect("scouting:import_detail", pk=job.pk)
    context = {
        "job": job,
        "form": form,
        "can_run": can_run,
        "layout": LAYOUTS.get(job.layout, {}).get("title", ""),
        "fields": FIELDS,
        "errors": job.errors[:200],
        "progress": round(100 * live(job)[0]),
    }
    if htmx_partial(request):
        return render(request, "scouting/_import_status.html", context)
    return render(request, "scouting/import_detail.html", context)


def cancel(job: ImportJob, user) -> None:
    """End a job that will not be imported: nothing is written and its file is deleted."""
    job.status = ImportStatus.FAILED
    job.message = _("Cancelled by %(user)s; nothing was imported.") % {"user": user.get_username()}
    job.save(update_fields=["status", "message"])
    discard(job.path)


@login_required
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request)
    job = visible_job(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    writer = csv_writer(response)
    writer.writerow(["line", "field", "kind", "message"])
    for error in job.errors:
        writer.writerow([error["line"], error["field"], error["kind"], error["message"]])
    return response


# --- Duplicates and merges ---------------------------------------------------------------------


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    status = request.GET.get("status") or DuplicateStatus.OPEN
    if status not in DuplicateStatus.values:
        raise Http404
    pairs = (
        DuplicateCandidate.objects.visible_to(request.user)
        .filter(status=status)
        .select_related("first", "second")
    )
    page = CappedPaginator(pairs.order_by("-similarity", "pk"), PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "scouting/duplicates.html",
        {"page": page, "status": status, "statuses": DuplicateStatus.choices},
    )


FACTS = ["name", "country", "town", "registry_code", "vat_number", "nace_codes", "employees",
         "founded_year", "website", "legal_form", "register_status", "address", "source", "owner"]  # fmt: skip


@login_required
def duplicate_review(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request)
    pair = get_object_or_404(
        DuplicateCandidate.objects.visible_to(request.user).select_related(
            "first__owner", "second__owner"
        ),
        pk=pk,
    )
    editable = (
        Company.objects.editable_by(request.user)
        .filter(pk__in=[pair.first_id, pair.second_id])
        .count()
        == 2
    )
    if request.method == "POST":
        if not editable or pair.status != DuplicateStatus.OPEN:
            raise PermissionDenied(_("You cannot merge these companies."))
        if request.POST.get("action") == "distinct":
            pair.status, pair.reviewed_by = DuplicateStatus.DISTINCT, request.user
            pair.save(update_fields=["status", "reviewed_by"])
            messages.success(request, _("Marked as two different companies."))
            return redirect("scouting:duplicates")
        keep = pair.first if request.POST.get("keep") == str(pair.first_id) else pair.second
        other = pair.second if keep == pair.first else pair.first
        try:
            record = merge(keep, other, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("scouting:duplicate_review", pk=pk)
        pair.status, pair.reviewed_by = DuplicateStatus.MERGED, request.user
        pair.save(update_fields=["status", "reviewed_by"])
        moved = sum(len(pks) for pks in record.moved.values())
        messages.success(
            request,
            _("%(merged)s is merged into %(kept)s; %(moved)s linked records moved.")
            % {"merged": other.name, "kept": keep.name, "moved": moved},
        )
        return redirect("companies:detail", pk=keep.pk)
    rows = []
    for name in FACTS:
        field = Company._meta.get_field(name)
        values = [
            getattr(c, f"get_{name}_display", lambda c=c, n=name: getattr(c, n))()
            for c in (pair.first, pair.second)
        ]
        values = [", ".join(v) if isinstance(v, list) else ("" if v is None else v) for v in values]
        rows.append((field.verbose_name, values[0], values[1], values[0] != values[1]))
    linked = {
        company.pk: {
            "engagements": company.engagements.count(),
            "deliveries": company.deliveries.count(),
            "deals": company.deals.count(),
            "notes": company.notes.count(),
            "contacts": company.contacts.count(),
        }
        for company in (pair.first, pair.second)
    }
    return render(
        request,
        "scouting/duplicate.html",
        {
            "pair": pair,
            "rows": rows,
            "editable": editable,
            "linked_counts": [linked[pair.first_id], linked[pair.second_id]],
        },
    )


@login_required
@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Merge.objects.visible_to(request.user), pk=pk)
    if (
        not Company.objects.editable_by(request.user).filter(pk=record.survivor_id).exists()
        or request.user.is_sme
    ):
        raise PermissionDenied(_("You cannot undo this merge."))
    try:
        undo(record, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        DuplicateCandidate.objects.filter(
            first_id=min(record.survivor_id, record.merged_id),
            second_id=max(record.survivor_id, record.merged_id),
        ).update(status=DuplicateStatus.OPEN)
        messages.success(request, _("The merge is undone."))
    return redirect("companies:detail", pk=record.survivor_id)
