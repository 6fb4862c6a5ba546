"""Pages of service requests: what a partner received and sent, one request with its answers
and comments, asking for a service, and the figures per partner. The rules are in
flow; these views resolve what the user may see and turn refusals into messages."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.accounts.choices import Role
from metacluster.accounts.models import User
from metacluster.companies.models import Company
from metacluster.formutils import add_errors
from metacluster.htmx import htmx_partial
from metacluster.markets.models import FeasibilityStudy
from metacluster.nexturl import next_url
from metacluster.programmes.models import Programme
from metacluster.services.models import Service
from metacluster.versioning import StaleEdit

from . import flow, stats
from .choices import RequestOrigin, RequestStatus
from .forms import CommentForm, RequestFilterForm, RequestForm, SharingForm
from .models import RECEIVING, REQUESTING, ServiceRequest


def _requests(user):
    return ServiceRequest.objects.visible_to(user).select_related(
        "service__provider", "service__programme", "company", "referring_organisation", "advisor"
    )


def _listing(request: HttpRequest, rows, box: str) -> HttpResponse:
    services = Service.objects.filter(pk__in=rows.values("service_id")).select_related("provider")
    filters = RequestFilterForm(request.GET or None, services=services)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["service"]:
            rows = rows.filter(service=data["service"])
        if data["overdue"]:
            rows = rows.overdue()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)  # the pager links keep the filters, not the page
    context = {"page": page, "filters": filters, "box": box, "kept": kept.urlencode()}
    template = (
        "servicerequests/_table.html" if htmx_partial(request) else "servicerequests/list.html"
    )
    return render(request, template, context)


@login_required
def received(request: HttpRequest) -> HttpResponse:
    """The partner's inbox: requests for the services its organisation offers."""
    user = request.user
    if user.is_superuser and not user.organisation_id:
        return _listing(request, _requests(user), "received")  # an administrator sees all
    if user.is_sme or not user.organisation_id:
        return redirect("requests:sent")
    return _listing(request, _requests(user).received_by(user), "received")


@login_required
def sent(request: HttpRequest) -> HttpResponse:
    """What the user's side asked for: its organisation's referrals, or the SME's own."""
    if request.user.is_superuser and not request.user.organisation_id:
        return _listing(request, _requests(request.user), "sent")
    if not request.user.is_sme and not request.user.organisation_id:
        raise PermissionDenied(_("Only partners and SMEs send service requests."))
    return _listing(request, _requests(request.user).sent_by(request.user), "sent")


def _visible_request(request: HttpRequest, pk: int) -> ServiceRequest:
    return get_object_or_404(_requests(request.user), pk=pk)


def _detail_context(request: HttpRequest, found: ServiceRequest) -> dict:
    user = request.user
    sides = found.sides_of(user)
    next_statuses = found.next_statuses(user)
    return {
        "req": found,
        "sides": sides,
        "is_requesting": REQUESTING in sides,
        "next_statuses": next_statuses,
        "history": found.history.select_related("by", "organisation"),
        "comments": found.comments.select_related("author", "organisation"),
        "comment_form": CommentForm(),
        "shared_profile": found.shared_profile(),
        "shared_contacts": found.shared_contacts.all(),
        "advisors": User.objects.filter(
            organisation_id=found.service.provider_id,
            is_active=True,
            role__in=[Role.ADVISOR, Role.MANAGER],
        )
        if RequestStatus.ACCEPTED in next_statuses
        else [],
        "delivery_date": found.default_delivery_date(),
        # The whole company page only for those who see it anyway; the request shows no more.
        "company_link": REQUESTING in sides
        and Company.objects.visible_to(user).filter(pk=found.company_id).exists(),
        "can_override_aid": found.service.programme.is_managed_by(user),
        "sharing_form": SharingForm(request=found)
        if REQUESTING in sides and found.is_open
        else None,
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = _visible_request(request, pk)
    return render(request, "servicerequests/detail.html", _detail_context(request, found))


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationError({"date": _("Give a date as YYYY-MM-DD.")}) from None


def _parse_quantity(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        raise ValidationError({"quantity": _("Give a number, e.g. 2 or 1.5.")}) from None


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """One answer to a request. A refused answer changes nothing and says why."""
    found = _visible_request(request, pk)
    post = request.POST
    to = post.get("to", "")
    user = request.user
    try:
        version = int(post.get("version", ""))
    except ValueError:
        version = -1  # not sent: cannot be checked, so it is treated as stale
    try:
        common = {"by": user, "version": version}
        if to == RequestStatus.ACCEPTED:
            advisor = None
            if post.get("advisor"):
                advisor = (
                    User.objects.filter(pk=post["advisor"]).first()
                    if post["advisor"].isdigit()
                    else None
                )
                if advisor is None:
                    raise ValidationError({"advisor": _("Choose an advisor from the list.")})
            flow.accept(found, advisor=advisor, **common)
        elif to == RequestStatus.DECLINED:
            flow.decline(found, reason=post.get("reason", ""), **common)
        elif to == RequestStatus.PLANNED:
            planned = _parse_date(post.get("planned_for", ""))
            flow.plan(found, planned_for=planned, reason=post.get("reason", ""), **common)
        elif to == RequestStatus.DELIVERED:
            flow.deliver(
                found,
                date=_parse_date(post.get("date", "")),
                quantity=_parse_quantity(post.get("quantity", "")),
                notes=post.get("notes", ""),
                aid_override=post.get("aid_override_reason", ""),
                **common,
            )
        elif to == RequestStatus.WITHDRAWN:
            flow.withdraw(found, reason=post.get("reason", ""), **common)
        else:
            raise ValidationError({"to": _("Unknown answer.")})
    except StaleEdit as stale:
        current = ServiceRequest.objects.get(pk=found.pk)
        if current.status == to:
            messages.info(request, _("This was already done; nothing was changed twice."))
        else:
            messages.error(request, str(stale))
    except ValidationError as error:
        if to not in found.next_statuses(user):
            messages.error(request, " ".join(error.messages))
            return redirect(found)
        # The form comes back as it was sent, each refusal once, by the input it is about.
        context = _detail_context(request, found)
        context["answer"] = {"to": to, "typed": post, "errors": _answer_errors(error)}
        return render(request, "servicerequests/detail.html", context)
    else:
        messages.success(
            request,
            _("The request is now %(status)s.") % {"status": RequestStatus(to).label},
        )
    return redirect(next_url(request, found.get_absolute_url()))


# The inputs of the answer forms on the request page; other refusals show above the form.
ANSWER_INPUTS = (
    "advisor",
    "reason",
    "planned_for",
    "date",
    "quantity",
    "notes",
    "aid_override_reason",
)


def _answer_errors(error: ValidationError) -> dict[str, list[str]]:
    """A refused answer's messages by input (`form` for the rest), each message once."""
    by_input: dict[str, list[str]] = {}
    fields = error.message_dict if hasattr(error, "error_dict") else {"form": error.messages}
    for field, problems in fields.items():
        name = field if field in ANSWER_INPUTS else "form"
        for problem in problems:
            if problem not in by_input.setdefault(name, []):
                by_input[name].append(problem)
    return by_input


@login_required
@require_POST
def sharing(request: HttpRequest, pk: int) -> HttpResponse:
    """The side that asked changes what of the company the partner asked may see."""
    found = _visible_request(request, pk)
    form = SharingForm(request.POST, request=found)
    if not form.is_valid():
        messages.error(request, _("Choose from the lists."))
        return redirect(found)
    data = form.cleaned_data
    try:
        flow.share(
            found,
            by=request.user,
            version=data["version"],
            fields=data["shared_fields"],
            contacts=data["shared_contacts"],
        )
    except StaleEdit as stale:
        messages.error(request, str(stale))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("What is shared with the request is saved."))
    return redirect(found)


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    found = _visible_request(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            flow.comment(found, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Write something to send."))
    if htmx_partial(request):
        context = _detail_context(request, found)
        return render(request, "servicerequests/_comments.html", context)
    return redirect(found)


def _requestable_company(request: HttpRequest, pk: str | None):
    user = request.user
    if user.is_sme:
        return user.company
    if not pk or not pk.isdigit():
        return None
    return get_object_or_404(Company.objects.visible_to(user), pk=pk)


def _feasibility_study(request: HttpRequest, company):
    """The study a request follows up (`?study=<id>`): one the user sees, for this company."""
    pk = request.GET.get("study", "")
    if not pk.isdigit():
        return None
    return FeasibilityStudy.objects.visible_to(request.user).filter(pk=pk, company=company).first()


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """Ask for a service for a company: from the company page, or from the catalogue (then the
    company is chosen first, since what can be shared depends on it)."""
    user = request.user
    if not (user.is_sme or user.can_edit_records):
        raise PermissionDenied(_("Only advisors, programme managers and SMEs request services."))
    company = _requestable_company(request, request.GET.get("company"))
    if company is None:
        companies = (
            Company.objects.visible_to(user)
            .filter(engagements__programme__in=Programme.objects.recordable_by(user))
            .distinct()
            .order_by("name")
        )
        return render(
            request,
            "servicerequests/choose_company.html",
            {"companies": companies[:500], "service": request.GET.get("service", "")},
        )
    study = _feasibility_study(request, company)
    initial = {"service": request.GET.get("service")}
    if study is not None:
        initial["message"] = _(
            "Following feasibility study no. %(id)s: go for %(market)s (decided %(date)s)."
        ) % {"id": study.pk, "market": study.get_market_display(), "date": study.decided_on}
    form = RequestForm(request.POST or None, company=company, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = flow.request_service(
                service=data["service"],
                company=company,
                by=user,
                message=data["message"],
                due_date=data["due_date"],
                shared_fields=data["shared_fields"],
                shared_contacts=data["shared_contacts"],
                origin=RequestOrigin.FEASIBILITY if study else RequestOrigin.DIRECT,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(service)s is requested from %(provider)s.")
                % {"service": made.service.translated("name"), "provider": made.service.provider},
            )
            return redirect(next_url(request, made.get_absolute_url()))
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Request a service for %(company)s") % {"company": company.name},
            "submit_label": _("Send the request"),
            "cancel_url": company.get_absolute_url(),
        },
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Per partner of a programme: requests sent and received, how fast they are answered and
    delivered; the services most requested and most declined."""
    if request.user.is_sme:
        raise PermissionDenied(_("The request figures are for the programme's partners."))
    programmes = Programme.objects.visible_to(request.user)
    chosen = request.GET.get("programme")
    programme = get_object_or_404(programmes, acronym=chosen) if chosen else programmes.first()
    context = {
        "programmes": programmes,
        "programme": programme,
        "figures": stats.for_programme(programme) if programme else None,
        "receiving": RECEIVING,
    }
    return render(request, "servicerequests/dashboard.html", context)
