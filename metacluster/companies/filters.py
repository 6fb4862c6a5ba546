"""One definition of the company list's filters, shared by the page and the API (as NetBox's
filtersets are): the same parameter names, the same validation, the same meaning. A value a
filter cannot use is reported by both — the page names it above the list, the API answers
400 with the field — and never silently dropped."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from metacluster.programmes.models import Programme

from .forms import CompanyFilterForm
from .listing import filter_companies, sort_companies
from .models import Engagement


class CompanyFilterSet:
    """The filters of `data` (a QueryDict, e.g. request.GET) for what `user` may see.

    Parameters: q, country (a name in any language the site offers or an ISO code), kind,
    nace, size, status, programme (its acronym or id), stage, sort."""

    PARAMETERS = ("q", "country", "kind", "nace", "size", "status", "programme", "stage", "sort")

    def __init__(self, data, *, user):
        self.user = user
        self.form = CompanyFilterForm(data or None)
        self.form.is_valid()
        self.data = dict(getattr(self.form, "cleaned_data", {}))
        self._programme()

    def _programme(self) -> None:
        """The programme filter names a programme the user sees; another one is refused like an
        unknown one (filtering by it would reveal which companies take part in it)."""
        text = self.data.pop("programme", "")
        if not text:
            return
        programmes = Programme.objects.visible_to(self.user)
        found = (
            programmes.filter(pk=int(text)) if text.isdigit() else programmes.filter(acronym=text)
        ).first()
        if found is None:
            self.form.add_error(
                None if "programme" not in self.form.fields else "programme",
                _("No programme you can see is “%(text)s”.") % {"text": text},
            )
        else:
            self.data["programme"] = found

    @property
    def errors(self) -> dict[str, list[str]]:
        """Messages per parameter for the values that are not applied."""
        return {name: [str(m) for m in messages] for name, messages in self.form.errors.items()}

    @property
    def sort(self) -> str | None:
        return self.data.get("sort") or None

    def filter(self, companies: QuerySet) -> QuerySet:
        """`companies` narrowed by every valid filter, in the order the sort asks."""
        companies = filter_companies(companies, self.data)
        if self.data.get("kind"):
            companies = companies.filter(kind=self.data["kind"])
        engaged = {}
        if self.data.get("programme"):
            engaged["programme"] = self.data["programme"]
        if self.data.get("stage"):
            engaged["stage"] = self.data["stage"]
        if engaged:
            # A subquery, not a join: one row per company without DISTINCT; programme and
            # stage apply to the same engagement.
            engagements = Engagement.objects.visible_to(self.user).filter(**engaged)
            companies = companies.filter(pk__in=engagements.values("company_id"))
        return sort_companies(companies, self.sort)
