"""Consortium formation pages: needs, proposals with reasons, batch formation, invitations and
answers, formed consortia with their joint-offer profile, and the rules (capacity, competitors).

Every view starts from `visible_to(request.user)`: not visible → 404; visible but not allowed
to change (viewers, SME users outside their own answer) → 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from metacluster.htmx import htmx_partial
from metacluster.jobs import tasks
from metacluster.jobs.models import Job
from metacluster.jobs.tasks import start_job
from metacluster.nexturl import is_safe
from metacluster.programmes.views import visible_programme
from metacluster.versioning import StaleEdit

from . import workflows
from .choices import ProposalStatus, Response
from .forms import (
    BatchForm,
    CapacityForm,
    CompetitorForm,
    FormConsortiumForm,
    MemberForm,
    NeedForm,
    StatementForm,
)
from .kpis import consortium_kpis
from .models import (
    CompetitorPair,
    Consortium,
    ConsortiumNeed,
    MemberCapacity,
    Proposal,
    ProposalMember,
)


def _require_recordable(programme, user) -> None:
    if not programme.is_recordable_by(user):
        raise PermissionDenied(_("Only the programme's advisors and managers form consortia."))


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def consortium_list(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = visible_programme(request, acronym)
    consortia = (
        Consortium.objects.visible_to(request.user)
        .filter(programme=programme)
        .select_related("coordinator")
        .prefetch_related("members")
    )
    needs = (
        ConsortiumNeed.objects.visible_to(request.user)
        .filter(programme=programme)
        .prefetch_related("capabilities")
        .annotate(proposal_count=Count("proposals", distinct=True))
    )
    invitations = []
    if request.user.is_sme:
        invitations = (
            ProposalMember.objects.filter(company=request.user.company_id, invited_at__isnull=False)
            .filter(proposal__need__programme=programme)
            .select_related("proposal__need")
        )
    context = {
        "programme": programme,
        "consortia": consortia,
        "needs": needs,
        "invitations": invitations,
        "kpis": consortium_kpis(programme) if not request.user.is_sme else None,
        "can_record": programme.is_recordable_by(request.user),
    }
    return render(request, "consortia/list.html", context)


# --- Needs -------------------------------------------------------------------------------------


def _visible_need(request, acronym: str, pk: int) -> ConsortiumNeed:
    programme = visible_programme(request, acronym)
    return get_object_or_404(
        ConsortiumNeed.objects.visible_to(request.user).filter(programme=programme), pk=pk
    )


@login_required
def need_edit(request: HttpRequest, acronym: str, pk: int | None = None) -> HttpResponse:
    programme = visible_programme(request, acronym)
    need = _visible_need(request, acronym, pk) if pk else None
    _require_recordable(programme, request.user)
    form = NeedForm(request.POST or None, instance=need, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            if need is None:
                form.instance.created_by = request.user
            saved = form.save()
        except StaleEdit as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Need saved."))
            return redirect("consortia:need", programme.acronym, saved.pk)
    title = _("Edit need") if need else _("New consortium need")
    referer = request.META.get("HTTP_REFERER", "")
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": title,
            "intro": _(
                "The capabilities a joint offer must provide; consortia are proposed from the "
                "companies' offers in this programme."
            ),
            "cancel_url": referer if is_safe(request, referer) else "",
        },
    )


@login_required
def need_detail(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    need = _visible_need(request, acronym, pk)
    proposals = Proposal.objects.visible_to(request.user).filter(need=need)
    proposals = proposals.prefetch_related(
        Prefetch("members", queryset=ProposalMember.objects.select_related("company"))
    )
    can_record = need.programme.is_recordable_by(request.user)
    shown = [p for p in proposals if can_record or p.status != ProposalStatus.DISCARDED]
    context = {
        "programme": need.programme,
        "need": need,
        "proposals": [(p, workflows.explain(p)) for p in shown],
        "can_record": can_record,
    }
    return render(request, "consortia/need.html", context)


@login_required
@require_POST
def need_propose(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    need = _visible_need(request, acronym, pk)
    _require_recordable(need.programme, request.user)
    if not need.capabilities.exists():
        messages.error(request, _("Say which capabilities the need requires first."))
        return redirect("consortia:need", acronym, need.pk)
    created = workflows.propose(need, by=request.user)
    if created and workflows.explain(created[0]).complete:
        messages.success(
            request,
            ngettext("%(n)s proposal.", "%(n)s proposals, best first.", len(created))
            % {"n": len(created)},
        )
    else:
        messages.warning(request, _("No group meets every rule; the closest one says why."))
    return redirect("consortia:need", acronym, need.pk)


@login_required
def batch(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = visible_programme(request, acronym)
    _require_recordable(programme, request.user)
    form = BatchForm(request.POST or None, programme=programme)
    stats = None
    if request.method == "POST" and form.is_valid():
        # A background job (metacluster/jobs): its page shows the progress, then the outcome.
        job = start_job(
            tasks.form_consortia_batch,
            title=_("Consortia for %(programme)s") % {"programme": programme.name},
            params={
                "programme": programme.pk,
                "needs": [need.pk for need in form.cleaned_data["needs"]],
                "alternatives": form.cleaned_data["alternatives"],
            },
            by=request.user,
        )
        job.link = f"{request.path}?job={job.pk}"  # back here, with the job's figures
        job.save(update_fields=["link"])
        return redirect("jobs:detail", pk=job.pk)
    if request.GET.get("job", "").isdigit():
        done = (
            Job.objects.visible_to(request.user)
            .filter(pk=request.GET["job"], kind=tasks.form_consortia_batch.name, state="done")
            .first()
        )
        stats = done.result if done else None
    context = {"programme": programme, "form": form, "stats": stats}
    return render(request, "consortia/batch.html", context)


# --- Proposals ---------------------------------------------------------------------------------


def _visible_proposal(request, acronym: str, pk: int) -> Proposal:
    programme = visible_programme(request, acronym)
    return get_object_or_404(
        Proposal.objects.visible_to(request.user)
        .filter(need__programme=programme)
        .select_related("need__programme", "consortium"),
        pk=pk,
    )


def _proposal_context(request, proposal: Proposal, member_form=None) -> dict:
    programme = proposal.need.programme
    can_record = programme.is_recordable_by(request.user)
    members = list(proposal.members.select_related("company", "responded_by"))
    for member in members:
        member.can_answer = proposal.status in (ProposalStatus.INVITED, ProposalStatus.AGREED) and (
            can_record or (request.user.is_sme and member.company_id == request.user.company_id)
        )
    return {
        "programme": programme,
        "proposal": proposal,
        "need": proposal.need,
        "members": members,
        "explanation": workflows.explain(proposal),
        "can_record": can_record,
        "member_form": member_form
        or (
            MemberForm(programme=programme, initial={"version": proposal.version})
            if can_record and proposal.is_open
            else None
        ),
        "form_form": (
            FormConsortiumForm(
                programme=programme,
                initial={
                    "name": proposal.need.title,
                    "coordinator": request.user.organisation_id,
                    "version": proposal.version,
                },
            )
            if can_record and proposal.status == ProposalStatus.AGREED
            else None
        ),
    }


@login_required
def proposal_detail(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, acronym, pk)
    return render(request, "consortia/proposal.html", _proposal_context(request, proposal))


@login_required
@require_POST
def proposal_members(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    """Add or remove a member (`action` add/remove/lead); htmx gets the members panel back."""
    proposal = _visible_proposal(request, acronym, pk)
    programme = proposal.need.programme
    _require_recordable(programme, request.user)
    form = MemberForm(request.POST, programme=programme)
    action = request.POST.get("action")
    change = {
        "add": workflows.add_member,
        "remove": workflows.remove_member,
        "lead": workflows.set_lead,
    }
    status = 200
    if action not in change:
        form.add_error(None, _("Say whether to add or remove the company."))
        status = 400
    elif form.is_valid():
        try:
            change[action](
                proposal, form.cleaned_data["company"], version=form.cleaned_data["version"]
            )
        except StaleEdit as error:
            form.add_error(None, str(error))
            status = 409
        except ValidationError as error:
            form.add_error(None, _error_text(error))
            status = 400
        else:
            proposal.refresh_from_db()
            form = None
    else:
        status = 400
    context = _proposal_context(request, proposal, member_form=form)
    if htmx_partial(request):
        # htmx swaps only 2xx answers by default; the panel shows the error itself.
        return render(request, "consortia/_members.html", context)
    if status != 200:
        return render(request, "consortia/proposal.html", context, status=status)
    return redirect("consortia:proposal", acronym, proposal.pk)


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
@require_POST
def proposal_invite(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, acronym, pk)
    _require_recordable(proposal.need.programme, request.user)
    try:
        workflows.invite(proposal, version=_version(request))
    except (StaleEdit, ValidationError) as error:
        messages.error(request, str(error) if isinstance(error, StaleEdit) else _error_text(error))
    else:
        messages.success(request, _("Members invited; each answers for its own company."))
    return redirect("consortia:proposal", acronym, proposal.pk)


@login_required
@require_POST
def proposal_respond(request: HttpRequest, acronym: str, pk: int, member: int) -> HttpResponse:
    proposal = _visible_proposal(request, acronym, pk)
    member = get_object_or_404(proposal.members, pk=member)
    user = request.user
    own = user.is_sme and member.company_id == user.company_id
    if not (own or proposal.need.programme.is_recordable_by(user)):
        raise PermissionDenied(_("You can answer only for your own company."))
    answer = request.POST.get("answer")
    if answer not in (Response.ACCEPTED, Response.DECLINED):
        messages.error(request, _("Answer accept or decline."))
        return redirect("consortia:proposal", acronym, proposal.pk)
    try:
        workflows.respond(member, accept=answer == Response.ACCEPTED, by=user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Answer recorded."))
    return redirect("consortia:proposal", acronym, proposal.pk)


@login_required
@require_POST
def proposal_discard(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, acronym, pk)
    _require_recordable(proposal.need.programme, request.user)
    try:
        workflows.discard(proposal, version=_version(request))
    except (StaleEdit, ValidationError) as error:
        messages.error(request, str(error) if isinstance(error, StaleEdit) else _error_text(error))
    return redirect("consortia:need", acronym, proposal.need_id)


@login_required
@require_POST
def proposal_form(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    """Turn an agreed proposal into a formed consortium."""
    proposal = _visible_proposal(request, acronym, pk)
    programme = proposal.need.programme
    _require_recordable(programme, request.user)
    form = FormConsortiumForm(request.POST, programme=programme)
    if form.is_valid():
        data = form.cleaned_data
        try:
            consortium = workflows.form_consortium(
                proposal,
                coordinator=data["coordinator"],
                name=data["name"],
                version=data["version"],
            )
        except StaleEdit as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Consortium formed."))
            return redirect("consortia:detail", acronym, consortium.pk)
    context = _proposal_context(request, proposal)
    context["form_form"] = form
    return render(request, "consortia/proposal.html", context, status=400)


# --- Formed consortia --------------------------------------------------------------------------


def _visible_consortium(request, acronym: str, pk: int) -> Consortium:
    programme = visible_programme(request, acronym)
    return get_object_or_404(
        Consortium.objects.visible_to(request.user)
        .filter(programme=programme)
        .select_related("coordinator", "programme", "need"),
        pk=pk,
    )


@login_required
def consortium_detail(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    consortium = _visible_consortium(request, acronym, pk)
    context = {
        "programme": consortium.programme,
        "consortium": consortium,
        "offer": workflows.joint_offer(consortium),
        "can_record": consortium.programme.is_recordable_by(request.user),
    }
    return render(request, "consortia/detail.html", context)


@login_required
def consortium_offer(request: HttpRequest, acronym: str, pk: int) -> JsonResponse:
    """The joint-offer profile as the matchable document other tools read."""
    consortium = _visible_consortium(request, acronym, pk)
    return JsonResponse(workflows.joint_offer(consortium))


@login_required
def consortium_edit(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    consortium = _visible_consortium(request, acronym, pk)
    _require_recordable(consortium.programme, request.user)
    form = StatementForm(request.POST or None, instance=consortium)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except StaleEdit as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Joint-offer profile saved."))
            return redirect("consortia:detail", acronym, consortium.pk)
    return render(
        request,
        "form.html",
        {"form": form, "title": _("Edit joint-offer profile"), "cancel_url": "."},
    )


# --- Rules: capacity and competitors -----------------------------------------------------------


@login_required
def rules(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = visible_programme(request, acronym)
    if request.user.is_sme:
        raise PermissionDenied(_("Capacities and competitors are kept by the programme's staff."))
    can_record = programme.is_recordable_by(request.user)
    capacity_form = CapacityForm(programme=programme, prefix="capacity")
    competitor_form = CompetitorForm(programme=programme, prefix="competitor")
    if request.method == "POST":
        _require_recordable(programme, request.user)
        if "capacity-company" in request.POST:
            capacity_form = CapacityForm(request.POST, programme=programme, prefix="capacity")
            if capacity_form.is_valid():
                capacity_form.save()
                messages.success(request, _("Capacity saved."))
                return redirect("consortia:rules", acronym)
        elif "competitor-first" in request.POST:
            competitor_form = CompetitorForm(request.POST, programme=programme, prefix="competitor")
            if competitor_form.is_valid():
                competitor_form.save()
                messages.success(request, _("Competitors recorded."))
                return redirect("consortia:rules", acronym)
        elif "delete-competitors" in request.POST or "delete-capacity" in request.POST:
            model = CompetitorPair if "delete-competitors" in request.POST else MemberCapacity
            key = request.POST.get("delete-competitors") or request.POST.get("delete-capacity")
            if key and key.isdigit():
                model.objects.filter(programme=programme, pk=int(key)).delete()
            return redirect("consortia:rules", acronym)
    context = {
        "programme": programme,
        "capacities": MemberCapacity.objects.filter(programme=programme).select_related("company"),
        "competitors": CompetitorPair.objects.filter(programme=programme).select_related(
            "first", "second"
        ),
        "capacity_form": capacity_form,
        "competitor_form": competitor_form,
        "can_record": can_record,
    }
    return render(request, "consortia/rules.html", context)
