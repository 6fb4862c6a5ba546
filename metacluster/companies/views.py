from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.htmx import htmx_partial
from metacluster.nexturl import next_url
from metacluster.programmes.models import Programme
from metacluster.versioning import StaleEdit

from . import hub
from .filters import CompanyFilterSet
from .forms import CompanyForm, ContactForm, NoteForm, StageForm
from .listing import CappedPaginator
from .models import Company, Engagement, engage


@login_required
def company_list(request: HttpRequest) -> HttpResponse:
    if request.user.is_sme:
        return redirect("companies:detail", pk=request.user.company_id)
    # The valid filters apply; the page names the others (`unapplied`) rather than dropping
    # them silently. The API's list reads the same definition.
    filterset = CompanyFilterSet(request.GET, user=request.user)
    filters = filterset.form
    companies = filterset.filter(Company.objects.visible_to(request.user).current())
    page = CappedPaginator(companies, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "programmes": Programme.objects.visible_to(request.user),
        "can_create": request.user.can_edit_records,
        "unapplied": [
            (filters.fields[name].label if name in filters.fields else name, " ".join(errors))
            for name, errors in filterset.errors.items()
        ],
    }
    template = "companies/_table.html" if htmx_partial(request) else "companies/list.html"
    return render(request, template, context)


def visible_company(request: HttpRequest, pk: int) -> Company:
    return get_object_or_404(Company.objects.visible_to(request.user), pk=pk)


@login_required
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The company hub (see hub.py): the whole page, or one section for htmx (`?section=`)."""
    company = visible_company(request, pk)
    user = request.user
    back = company.get_absolute_url()
    sections = hub.sections_for(user)
    wanted = request.GET.get("section")
    if wanted:
        section = hub.BY_NAME.get(wanted)
        if section is None or section not in sections:
            raise Http404(_("No such section."))
        context = {
            "company": company,
            "section": section,
            "data": section.build(company, user, back),
        }
        if htmx_partial(request):
            return render(request, f"companies/hub/_{section.name}.html", context)
        # Without htmx (a link opened in a new tab, no JavaScript): the section on its page.
        return render(request, "companies/hub/section.html", context)
    context = {
        "company": company,
        "can_edit": Company.objects.editable_by(user).filter(pk=company.pk).exists(),
        "is_own": user.is_sme and user.company_id == company.pk,
        "sections": [(s, None if s.lazy else s.build(company, user, back)) for s in sections],
    }
    return render(request, "companies/detail.html", context)


@login_required
def company_create(request: HttpRequest) -> HttpResponse:
    if not request.user.can_edit_records or request.user.is_sme:
        raise PermissionDenied(_("Only advisors and programme managers add companies."))
    form = CompanyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            company = form.save(commit=False)
            company.owner = request.user.organisation
            company.save()
            programme = form.cleaned_data.get("programme")
            if programme:
                engage(
                    company, programme, request.user.organisation or programme.lead, by=request.user
                )
        messages.success(request, _("%(name)s is added.") % {"name": company.name})
        return redirect("companies:detail", pk=company.pk)
    return render(
        request, "form.html", {"form": form, "title": _("New company"), "cancel_url": "/companies/"}
    )


@login_required
def company_edit(request: HttpRequest, pk: int) -> HttpResponse:
    company = visible_company(request, pk)
    if not Company.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied(_("You cannot edit this company."))
    form = CompanyForm(request.POST or None, instance=company, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except StaleEdit as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The company is saved."))
            return redirect("companies:detail", pk=pk)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": company.name},
            "cancel_url": company.get_absolute_url(),
        },
    )


@login_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    company = visible_company(request, pk)
    if not Company.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied(_("You cannot edit this company."))
    form = ContactForm(request.POST or None, instance=None)
    form.instance.company = company
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The contact is added."))
        return redirect("companies:detail", pk=pk)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("New contact at %(name)s") % {"name": company.name},
            "cancel_url": company.get_absolute_url(),
        },
    )


@login_required
@require_POST
def note_create(request: HttpRequest, pk: int) -> HttpResponse:
    company = visible_company(request, pk)
    if request.user.is_sme or not request.user.organisation_id:
        raise PermissionDenied(_("Notes are written by partner organisations' staff."))
    form = NoteForm(request.POST)
    if form.is_valid():
        note = form.save(commit=False)
        note.company, note.organisation, note.author = (
            company,
            request.user.organisation,
            request.user,
        )
        note.save()
        messages.success(request, _("The note is saved."))
    else:
        messages.error(request, _("A note needs some text."))
    return redirect("companies:detail", pk=pk)


@login_required
@require_POST
def engagement_move(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_object_or_404(Engagement.objects.visible_to(request.user), pk=pk)
    if not engagement.programme.is_recordable_by(request.user):
        raise PermissionDenied(_("You cannot move companies in this programme."))
    form = StageForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["version"] != engagement.version:
            messages.error(
                request,
                _("Someone else moved this company meanwhile. Check its stage and try again."),
            )
        else:
            try:
                engagement.move_to(
                    form.cleaned_data["stage"], by=request.user, note=form.cleaned_data["note"]
                )
                messages.success(
                    request, _("Moved to %(stage)s.") % {"stage": engagement.get_stage_display()}
                )
            except (ValidationError, StaleEdit) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.error(request, _("Choose a stage."))
    return redirect("companies:detail", pk=engagement.company_id)


@login_required
@require_POST
def join_event(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    """Bring the company to an event of its programme, as an SME participant (organisers only)."""
    from metacluster.events.choices import ParticipantKind
    from metacluster.events.models import Event, Participant

    company = visible_company(request, pk)
    event = get_object_or_404(Event.objects.visible_to(request.user), pk=event_pk)
    if not Event.objects.organised_by(request.user).filter(pk=event.pk).exists():
        raise PermissionDenied(_("Only the event's organisers add participants."))
    back = next_url(request, company.get_absolute_url())
    if event.participants.filter(company=company).exists():
        messages.info(request, _("%(company)s already takes part.") % {"company": company})
        return redirect(back)
    contact = company.users.first()
    person = Participant(
        event=event,
        kind=ParticipantKind.SME,
        company=company,
        organisation=company.name,
        country=company.country,
        time_zone=contact.time_zone if contact else event.time_zone,
    )
    try:
        person.full_clean()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    person.save()
    messages.success(
        request, _("%(company)s is added to %(event)s.") % {"company": company, "event": event}
    )
    return redirect(back)
