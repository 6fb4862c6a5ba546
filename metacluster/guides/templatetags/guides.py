"""Template tags other apps use to show market-guide knowledge on their pages."""

from django import template

from metacluster.guides.queries import barriers_for
from metacluster.guides.workflows import checklist_line

register = template.Library()


@register.inclusion_tag("guides/_study_barriers.html", takes_context=True)
def study_barriers(context, study):
    """A feasibility study's market's known open barriers, offered as checklist items."""
    user = context["request"].user
    barriers = list(barriers_for(user, study.market, study.offering))
    already = set(study.requirements.splitlines())
    return {
        "study": study,
        "barriers": [(b, checklist_line(b) in already) for b in barriers],
        "can_add": context.get("can_edit", False),
        "csrf_token": context.get("csrf_token"),
    }
