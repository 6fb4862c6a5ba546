import os
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.core.markets import INDICATORS, InvalidRanking, default_weights, rank
from metacluster.core.markets.potential import TradeFileError
from metacluster.countries import country_name
from metacluster.formutils import add_errors
from metacluster.guides.queries import markets_with_guides
from metacluster.htmx import htmx_partial
from metacluster.nexturl import next_url
from metacluster.programmes.models import Programme
from metacluster.servicerequests.models import ServiceRequest
from metacluster.services.models import Service
from metacluster.versioning import StaleEdit

from . import adapters, charts, intelligence
from .choices import Decision, EuEftaFilter, Offering
from .forms import (
    MAX_COMPARED,
    POTENTIAL_SORTS,
    FeasibilityStudyForm,
    PotentialForm,
    RankingForm,
    StudyFilterForm,
    TradeUploadForm,
    weight_field,
)
from .labels import LABELS, UNITS
from .models import FeasibilityStudy, Tariff, TradeDataset
from .workflows import load_trade

TOP = 50
# The best-ranked markets without a market guide invite the user to start one.
GUIDE_PROMPT_TOP = 10
# Indicators with a yearly series worth drawing, and the series each one draws.
TRENDS = [
    ("gdp", "gdp"),
    ("gdp_per_capita", "gdp_per_capita"),
    ("gdp_growth_5y", "gdp_growth"),
    ("internet_users", "internet_users"),
    ("trade_openness", "trade_openness"),
    ("lpi", "lpi"),
]


def ranking_form(request: HttpRequest) -> RankingForm:
    """The ranking form bound to the query string, with the user's country and the ICT
    offering when the page is opened without parameters."""
    data = request.GET.copy() if request.GET else QueryDict(mutable=True)
    data.setdefault("home", adapters.home_for(request.user))
    data.setdefault("offering", "ict-services")
    return RankingForm(data)


def _ranking(form: RankingForm, **extra):
    """(ranking, None) or (None, errors) for a bound form."""
    if not form.is_valid():
        return None, form
    try:
        table = adapters.ranking_data(form.cleaned_data.get("product") or "")
        return rank(table, **form.parameters(), **extra), None
    except InvalidRanking as error:
        for field, problems in error.errors.items():
            name = field.replace("weights.", "w_")
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        return None, form


@login_required
def index(request: HttpRequest) -> HttpResponse:
    form = ranking_form(request)
    aimed_outside = []
    if "eu_efta" not in request.GET:
        # Opened without a choice: the user's programmes' target markets decide.
        aimed_outside = adapters.programmes_aimed_outside_eu_efta(request.user)
        if aimed_outside:
            form.data["eu_efta"] = EuEftaFilter.EXCLUDE.value
    ranking, _errors = _ranking(form)
    context = {
        "form": form,
        "ranking": ranking,
        "labels": LABELS,
        "tariffs_loaded": Tariff.objects.exists(),
    }
    if ranking is not None:
        show_all = request.GET.get("all") == "1"
        markets = ranking.markets if show_all else ranking.markets[:TOP]
        counts = intelligence.counts(request.user, ranking.offering)
        recordable = Programme.objects.recordable_by(request.user).exists()
        guided = markets_with_guides(
            request.user, [m.country.iso2 for m in markets[:GUIDE_PROMPT_TOP]]
        )
        context |= {
            "markets": [(m, _intel(counts, m.country.iso2)) for m in markets],
            "without_guide": {
                m.country.iso2 for m in markets[:GUIDE_PROMPT_TOP] if m.country.iso2 not in guided
            },
            "can_edit_guides": recordable,
            "aimed_outside": aimed_outside,
            "all_markets_query": "&".join(
                filter(None, ["eu_efta=", _query_without(form.data, "eu_efta", "all")])
            ),
            "counters": intelligence.counters(),
            "show_all": show_all,
            "more": max(len(ranking.markets) - TOP, 0),
            "used": [code for code, weight in ranking.weights.items() if weight > 0],
            "defaults": {
                weight_field(code): weight
                for code, weight in default_weights(
                    ranking.offering, adapters.ranking_data().optional_indicators()
                ).items()
            },
            "query": _query_without(request.GET, "all", "m"),
            # The weights the user set travel into a new study's ranking snapshot.
            "weights_query": urlencode(
                {k: v for k, v in request.GET.items() if k.startswith("w_") and v}
            ),
            "can_study": recordable,
            "max_compared": MAX_COMPARED,
        }
    template = "markets/_ranking.html" if htmx_partial(request) else "markets/index.html"
    return render(request, template, context)


def _intel(counts: dict, market: str) -> list[tuple[int, str | None]]:
    """(number, link) per registered counter, for one market."""
    found = counts.get(market, {})
    return [
        (found.get(c.code, 0), c.url(market) if c.url and found.get(c.code) else None)
        for c in intelligence.counters()
    ]


def _query_without(query: QueryDict, *names: str) -> str:
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    form = ranking_form(request)
    chosen = list(dict.fromkeys(code.upper() for code in request.GET.getlist("m") if code))
    problems = []
    if not chosen:
        problems.append(_("Choose at least one market to compare."))
    if len(chosen) > MAX_COMPARED:
        problems.append(
            _("Compare at most %(n)s markets at a time; the first %(n)s are shown.")
            % {"n": MAX_COMPARED}
        )
        chosen = chosen[:MAX_COMPARED]
    ranking, _errors = (None, form)
    if chosen:
        ranking, _errors = _ranking(form, markets=chosen, min_coverage=0)
    context = {"form": form, "problems": problems, "ranking": ranking}
    if ranking is not None:
        # Keep the order the user chose, not the ranking's.
        by_code = {m.country.iso3: m for m in ranking.markets}
        markets = [by_code[c] for c in (adapters.iso3(code) for code in chosen) if c in by_code]
        used = [code for code, weight in ranking.weights.items() if weight > 0]
        data = adapters.data()
        context |= {
            "markets": [(m, charts.colour(i)) for i, m in enumerate(markets)],
            "used": used,
            "rows": [
                (code, LABELS[code], UNITS[code], [m.components[code] for m in markets])
                for code in used
            ],
            "bars": charts.component_bars(
                [str(LABELS[code]) for code in used],
                [
                    (
                        country_name(m.country.iso2),
                        [None if m.components[c].missing else m.components[c].points for c in used],
                    )
                    for m in markets
                ],
            ),
            "trends": [
                charts.trend_chart(
                    str(LABELS[code]),
                    [
                        (
                            country_name(m.country.iso2),
                            [(o.year, o.value) for o in data.trend(m.country.iso3, series)],
                        )
                        for m in markets
                    ],
                    unit=str(UNITS[code]),
                )
                for code, series in TRENDS
            ],
            "counts": intelligence.counts(request.user, ranking.offering),
            "counters": intelligence.counters(),
            "back": _query_without(request.GET, "m"),
            "offering_label": Offering(ranking.offering).label,
        }
    return render(request, "markets/compare.html", context)


@login_required
def study_list(request: HttpRequest) -> HttpResponse:
    studies = FeasibilityStudy.objects.visible_to(request.user).select_related(
        "company", "programme", "partner", "advisor"
    )
    # The valid filters apply; the page names the others rather than dropping them all.
    filters = StudyFilterForm(request.GET or None)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    if data.get("programme"):
        studies = studies.filter(programme__acronym=data["programme"])
    if data.get("decision"):
        studies = studies.filter(decision=data["decision"])
    if data.get("market"):
        studies = studies.filter(market=data["market"])
    context = {
        "unapplied": filters.errors,
        "page": Paginator(studies, 100).get_page(request.GET.get("page")),
        "filters": filters,
        "decisions": Decision.choices,
        "can_create": Programme.objects.recordable_by(request.user).exists(),
    }
    return render(request, "markets/studies.html", context)


@login_required
def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    study = get_object_or_404(
        FeasibilityStudy.objects.visible_to(request.user).select_related(
            "company", "programme", "partner", "advisor", "delivery__service"
        ),
        pk=pk,
    )
    snapshot = study.ranking_snapshot or {}
    components = [
        (code, LABELS[code], values)
        for code, values in (snapshot.get("components") or {}).items()
        if code in INDICATORS
    ]
    can_edit = study.programme.is_recordable_by(request.user)
    return render(
        request,
        "markets/study.html",
        {
            "study": study,
            "snapshot": snapshot,
            "components": components,
            "can_edit": can_edit,
            "help": _study_help(study) if can_edit else [],
            "requests": study.service_requests.filter(
                pk__in=ServiceRequest.objects.visible_to(request.user).values("pk")
            ).select_related("service__provider"),
        },
    )


def _study_help(study: FeasibilityStudy) -> list[tuple[str, str, list]]:
    """Per ticked requirement: (field, label, [(service, open request or None)])."""
    from .workflows import helping_services

    open_requests = {
        r.service_id: r
        for r in ServiceRequest.objects.open().filter(
            company=study.company, service__programme=study.programme
        )
    }
    return [
        (
            need,
            study._meta.get_field(need).verbose_name,
            [(s, open_requests.get(s.pk)) for s in helping_services(study, need)],
        )
        for need in study.needs
    ]


@login_required
def study_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    study = (
        get_object_or_404(FeasibilityStudy.objects.visible_to(request.user), pk=pk) if pk else None
    )
    recordable = Programme.objects.recordable_by(request.user)
    if not recordable.exists() or (study and not recordable.filter(pk=study.programme_id).exists()):
        raise PermissionDenied(_("You cannot record feasibility studies in this programme."))
    initial = None
    if study is None:
        initial = {
            key: request.GET.get(key)
            for key in ("company", "market", "offering", "programme")
            if request.GET.get(key)
        }
        if initial.get("market"):
            initial["market"] = adapters.iso2(initial["market"]) or ""
    form = FeasibilityStudyForm(
        request.POST or None, instance=study, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        if study is None:
            instance.ranking_snapshot = adapters.snapshot(
                home=instance.company.country,
                offering=instance.offering,
                market=instance.market,
                weights=_weights_from(request.GET),
            )
        try:
            from .workflows import save_study

            save_study(instance, by=request.user, expected_version=form.cleaned_data.get("version"))
        except StaleEdit as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The feasibility study is saved."))
            return redirect(next_url(request, instance.get_absolute_url()))
    title = _("Edit feasibility study") if study else _("New feasibility study")
    cancel = study.get_absolute_url() if study else "/markets/studies/"
    return render(request, "form.html", {"form": form, "title": title, "cancel_url": cancel})


def _weights_from(query: QueryDict) -> dict:
    """Weights a user set on the ranking page and carried into a new study's link."""
    weights = {}
    for code in INDICATORS:
        try:
            value = float(query.get(weight_field(code), ""))
        except ValueError:
            continue
        if 0 <= value <= 1000:
            weights[code] = value
    return weights if any(weights.values()) or not weights else {}


@login_required
def potential(request: HttpRequest) -> HttpResponse:
    """Export potential of an exporter and HS6 product per market, from a loaded dataset."""
    datasets = TradeDataset.objects.visible_to(request.user)
    query = request.GET.copy()
    if "dataset" not in query and datasets.exists():
        query["dataset"] = str(datasets.first().pk)
    asked = bool(request.GET.get("exporter") or request.GET.get("product"))
    form = PotentialForm(query if asked else None, user=request.user, initial=query.dict())
    context = {
        "form": form,
        "datasets": datasets,
        "upload": TradeUploadForm() if request.user.can_edit_records else None,
        "sorts": POTENTIAL_SORTS,
    }
    if asked and form.is_valid():
        data = form.cleaned_data
        try:
            result = adapters.potential(
                data["dataset"], data["exporter"], data["product"], data["year"]
            )
        except TradeFileError as error:
            form.add_error(None, str(error))
        else:
            sort = data["sort"] or "potential"
            markets = sorted(
                result["markets"],
                key=lambda m: (
                    m["name"] if sort == "name" else -(m[sort] or 0),
                    m["name"],
                ),
            )
            top = sorted(result["markets"], key=lambda m: -m["potential"])[:15]
            context |= {
                "result": result,
                "markets": markets,
                "sort": sort,
                "columns": [
                    ("name", _("Market"), False),
                    ("demand", _("Demand"), True),
                    ("ease", _("Ease"), True),
                    ("potential", _("Potential"), True),
                    ("actual", _("Actual exports"), True),
                    ("untapped", _("Untapped"), True),
                    ("realised", _("Realised"), True),
                ],
                "dataset": data["dataset"],
                "query": _query_without(request.GET, "sort"),
                "chart": charts.potential_bars(
                    [(m["name"], m["potential"], m["actual"]) for m in top], result["unit"]
                ),
            }
    return render(request, "markets/potential.html", context)


@login_required
@require_POST
def potential_upload(request: HttpRequest) -> HttpResponse:
    """Load a small trade file from the page as a dataset (large ones: `load-trade`)."""
    if not request.user.can_edit_records:
        raise PermissionDenied(_("Only advisors and programme managers load trade data."))
    form = TradeUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        handle, path = tempfile.mkstemp(suffix=".csv")
        try:
            with os.fdopen(handle, "wb") as f:
                for chunk in upload.chunks():
                    f.write(chunk)
            dataset = load_trade(
                path,
                name=form.cleaned_data["name"],
                source=form.cleaned_data["source"],
                by=request.user,
                file_name=upload.name,
            )
        except TradeFileError as error:
            form.add_error("file", str(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is loaded: %(rows)s rows.")
                % {"name": dataset.name, "rows": dataset.rows},
            )
            return redirect(f"{reverse('markets:potential')}?dataset={dataset.pk}")
        finally:
            os.unlink(path)
    datasets = TradeDataset.objects.visible_to(request.user)
    context = {
        "form": PotentialForm(user=request.user),
        "datasets": datasets,
        "upload": form,
        "sorts": POTENTIAL_SORTS,
    }
    return render(request, "markets/potential.html", context, status=400)


@login_required
@require_POST
def study_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Request a catalogue service for one of the study's requirements, in one click."""
    study = get_object_or_404(FeasibilityStudy.objects.visible_to(request.user), pk=pk)
    if not study.programme.is_recordable_by(request.user):
        raise PermissionDenied(
            _("Only advisors and programme managers of the programme request services.")
        )
    need = request.POST.get("need", "")
    service = get_object_or_404(
        Service.objects.filter(programme=study.programme, active=True),
        pk=integer_or_404(request.POST.get("service")),
    )
    try:
        from .workflows import request_help

        service_request, created = request_help(study, service, by=request.user, need=need)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if not created:
            messages.info(
                request,
                _("%(service)s was already requested; the study now lists that request.")
                % {"service": service.translated("name")},
            )
            return redirect(study.get_absolute_url())
        messages.success(
            request,
            _("%(service)s is requested from %(provider)s.")
            % {"service": service.translated("name"), "provider": service.provider},
        )
    return redirect(study.get_absolute_url())


def integer_or_404(value) -> int:
    if isinstance(value, str) and value.isdigit() and len(value) < 18:
        return int(value)
    raise Http404
