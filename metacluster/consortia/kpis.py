"""The consortium figures shown beside the list: what the programme's `consortia`
indicators count (formed `Consortium` records), summarised for the people forming them."""

from dataclasses import dataclass

from .models import Consortium


@dataclass(frozen=True)
class ConsortiumKpis:
    formed: int
    member_companies: int
    cross_border: int

    @property
    def cross_border_share(self) -> float | None:
        """Share of formed consortia whose members come from two countries or more."""
        return self.cross_border / self.formed if self.formed else None


def consortium_kpis(programme) -> ConsortiumKpis:
    consortia = Consortium.objects.filter(programme=programme).prefetch_related("members")
    formed = cross_border = 0
    companies = set()
    for consortium in consortia:
        members = list(consortium.members.all())
        formed += 1
        companies.update(m.pk for m in members)
        if len({m.country for m in members}) >= 2:
            cross_border += 1
    return ConsortiumKpis(formed, len(companies), cross_border)
