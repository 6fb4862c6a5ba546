"""One definition of the deal list's filters, shared by the deals page and `GET /api/v1/deals`
(as `companies.filters.CompanyFilterSet` is for companies): the same parameter names, the same
validation, the same meaning. A value a filter cannot use is reported by both — the page names
it above the list, the API answers 400 with the parameter — and never silently dropped."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from metacluster.programmes.models import Programme

from .forms import DealFilterForm


class DealFilterSet:
    """The filters of `data` (a QueryDict, e.g. request.GET) for what `user` may see.

    Parameters: programme (its acronym or id), company (id), partner (id of the responsible
    organisation), stage, market (a country's name in any language the site offers, or its
    ISO code)."""

    PARAMETERS = ("programme", "company", "partner", "stage", "market")

    def __init__(self, data, *, user):
        self.user = user
        self.form = DealFilterForm(data or None)
        self.form.is_valid()
        self.data = dict(getattr(self.form, "cleaned_data", {}))
        self._programme()

    def _programme(self) -> None:
        """The programme filter names a programme the user sees; another one is refused like an
        unknown one."""
        text = (self.data.pop("programme", "") or "").strip()
        if not text:
            return
        programmes = Programme.objects.visible_to(self.user)
        found = (
            programmes.filter(pk=int(text))
            if text.isdigit() and len(text) < 19
            else programmes.filter(acronym=text)
        ).first()
        if found is None:
            self.form.add_error(
                "programme", _("No programme “%(text)s” you can see.") % {"text": text}
            )
        else:
            self.data["programme"] = found

    @property
    def errors(self) -> dict[str, list[str]]:
        """Messages per parameter for the values that are not applied."""
        return {name: [str(m) for m in messages] for name, messages in self.form.errors.items()}

    def filter(self, deals: QuerySet, *, stage: bool = True) -> QuerySet:
        """`deals` narrowed by every valid filter (all but the stage, when `stage` is False: the
        page counts the stages across the other filters)."""
        data = self.data
        if data.get("programme"):
            deals = deals.filter(programme=data["programme"])
        if data.get("company"):
            deals = deals.filter(company_id=data["company"])
        if data.get("partner"):
            deals = deals.filter(partner_id=data["partner"])
        if data.get("market"):
            deals = deals.filter(market=data["market"])
        if stage and data.get("stage"):
            deals = deals.filter(stage=data["stage"])
        return deals
