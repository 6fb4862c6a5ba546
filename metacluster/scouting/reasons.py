"""The scouting score's criteria and reasons in the reader's language.

The core (`core.scouting.score`) says why a criterion gave its points as a reason code and
its parameters; here each code becomes a sentence through the translation catalogues, with
numbers written as the active language writes them."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from metacluster.core.scouting.score import REASONS, Criterion
from metacluster.formatting import number, percent

# The criteria's names, as an advisor tuning the profile calls them.
CRITERIA = {
    "sector": pgettext_lazy("scouting criterion", "Sector"),
    "size": pgettext_lazy("scouting criterion", "Size"),
    "age": pgettext_lazy("scouting criterion", "Age"),
    "growth": pgettext_lazy("scouting criterion", "Growth"),
    "export": pgettext_lazy("scouting criterion", "Export"),
    "keywords": pgettext_lazy("scouting criterion", "Keywords"),
    "website": pgettext_lazy("scouting criterion", "Website"),
    "engagement": pgettext_lazy("scouting criterion", "Programmes"),
}

# One sentence per reason of the core; %(name)s are the reason's parameters as written below
# (`_values`). Counted reasons ("%(age)s years") are worded in `why`.
SENTENCES = {
    "sector_in": _("activity %(codes)s is in the programme's sectors"),
    "sector_out": _("activity %(codes)s is outside the programme's sectors"),
    "sector_unknown": _("no activity code known"),
    "size_in": _("%(employees)s employees, within %(min)s–%(max)s"),
    "size_out": _("%(employees)s employees, outside %(min)s–%(max)s"),
    "size_unknown": _("head count unknown"),
    "age_in": None,
    "age_young": None,
    "age_old": None,
    "age_unknown": _("founding year unknown"),
    "growth": _("turnover %(growth)s on the year before (threshold %(threshold)s)"),
    "growth_unknown": _("no turnover for two years"),
    "export_exporting": _("already exporting in a programme"),
    "export_words": _("mentions %(words)s"),
    "export_none": _("no export signal"),
    "keywords_words": _("mentions %(words)s"),
    "keywords_none": _("none of the keywords"),
    "website_yes": _("has a website"),
    "website_no": _("no website"),
    "engagement_some": None,
    "engagement_none": _("in no programme yet"),
}
assert set(SENTENCES) == set(REASONS), "every scouting reason needs a sentence"


def criterion_name(key: str) -> str:
    """A criterion's name in the active language ("sector" → "Sector")."""
    return str(CRITERIA.get(key, key))


def why(criterion: Criterion) -> str:
    """Why `criterion` gave its points, in the active language."""
    values = _values(criterion.params)
    params = criterion.params
    reason = criterion.reason
    if reason == "age_in":
        return (
            ngettext(
                "founded %(founded)s (%(age)s year)",
                "founded %(founded)s (%(age)s years)",
                params["age"],
            )
            % values
        )
    if reason == "age_young":
        return (
            ngettext(
                "founded %(founded)s: younger than %(min)s year",
                "founded %(founded)s: younger than %(min)s years",
                params["min"],
            )
            % values
        )
    if reason == "age_old":
        return (
            ngettext(
                "founded %(founded)s: older than %(max)s year",
                "founded %(founded)s: older than %(max)s years",
                params["max"],
            )
            % values
        )
    if reason == "engagement_some":
        return (
            ngettext(
                "takes part in %(count)s programme",
                "takes part in %(count)s programmes",
                params["count"],
            )
            % values
        )
    sentence = SENTENCES.get(reason)
    return str(sentence) % values if sentence is not None else criterion.explanation


def _values(params: dict) -> dict[str, str]:
    """The parameters as a reader of the active language writes them: counts grouped, the
    growth signed, lists of codes and words joined; years as they are (no grouping)."""
    out = {}
    for name, value in params.items():
        if isinstance(value, list | tuple):
            out[name] = ", ".join(str(item) for item in value)
        elif name == "growth":
            out[name] = ("+" if value >= 0 else "") + percent(value, 0)
        elif name == "threshold":
            out[name] = percent(value, 1)
        elif name in ("founded",):
            out[name] = str(value)
        else:
            out[name] = number(value, 0)
    return out
