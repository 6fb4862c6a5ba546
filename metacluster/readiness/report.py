"""What the result page and the PDF report show, computed once for both."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from . import charts, figures
from .choices import Axis


def result_context(assessment, user, language: str) -> dict:
    instrument = assessment.instrument
    result = assessment.result()
    position = figures.position(assessment)
    previous, changes = figures.change_since_previous(assessment)
    history = figures.history(assessment)

    dimensions = [
        {
            "id": d.id,
            "label": d.label(language),
            "description": d.description.get(language) or d.description.get("en", ""),
            "score": result.dimensions[d.id].score,
            "completeness": result.dimensions[d.id].completeness,
            "change": changes.get(d.id),
            "median": position.median_dimensions.get(d.id),
        }
        for d in instrument.dimensions
    ]
    labels = [row["label"] for row in dimensions]
    series = [(_("This assessment"), [row["score"] for row in dimensions], "current")]
    if previous is not None:
        series.append(
            (
                _("Previous assessment (%(date)s)") % {"date": previous.assessed_on},
                [previous.dimension_scores.get(d.id) for d in instrument.dimensions],
                "previous",
            )
        )
    if position.median_dimensions:
        series.append(
            (
                _("Median of the programme's assessed companies"),
                [position.median_dimensions.get(d.id) for d in instrument.dimensions],
                "median",
            )
        )
    title = _("Export readiness per dimension, 0–100")

    answers = assessment.answers
    gaps = []
    for gap in result.gaps:
        item = instrument.item(gap.item)
        gaps.append(
            {
                "question": item.question(language),
                "answer": item.answer_labels(language)[gap.answer],
                "value": gap.answer,
                "advice": item.advice_text(language),
                "dimension": instrument.dimension(item.dimension).label(language),
            }
        )
    answered = [
        (
            d.label(language),
            [
                (
                    item.question(language),
                    answers.get(item.id),
                    _("Don't know")
                    if answers.get(item.id) is None
                    else item.answer_labels(language)[answers[item.id]],
                )
                for item in instrument.items_of(d.id)
            ],
        )
        for d in instrument.dimensions
    ]
    stage_ids = [s.id for s in instrument.stages]
    reached = stage_ids.index(result.stage) if result.stage in stage_ids else -1
    return {
        "assessment": assessment,
        "instrument": instrument,
        "result": result,
        "stage_label": instrument.stage(result.stage).label(language) if result.stage else "",
        "stages": [
            {
                "label": s.label(language),
                "min": s.minimum,
                "reached": n <= reached,
                "current": n == reached,
            }
            for n, s in enumerate(instrument.stages)
        ],
        "dimensions": dimensions,
        "axes": [
            {"label": Axis(axis).label, "score": result.axes.get(axis)} for axis in Axis.values
        ],
        "radar": charts.radar(labels, series, title=title),
        "legend": charts.legend(series),
        "position": position,
        "min_peers": figures.MIN_PEERS,
        "previous": previous,
        "history": [
            {
                "assessment": a,
                "scores": [a.dimension_scores.get(d.id) for d in instrument.dimensions],
            }
            for a in history
        ],
        "gaps": gaps,
        "answered": answered,
        "completeness_percent": round(100 * result.completeness),
        "dont_know": sum(1 for v in answers.values() if v is None),
    }


def report_document(assessment, user, language: str):
    """The printable report laid out in pages (a WeasyPrint document): the same figures and
    chart as the result page, in the user's language."""
    from weasyprint import HTML

    html = render_to_string("readiness/report.html", result_context(assessment, user, language))
    return HTML(string=html).render()


def render_pdf(assessment, user, language: str) -> bytes:
    return report_document(assessment, user, language).write_pdf()
