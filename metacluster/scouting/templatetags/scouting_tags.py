from django import template

from metacluster.scouting.reasons import criterion_name, why

register = template.Library()

# {{ criterion.key|criterion }} → "Sector"; {{ criterion|why }} → the reason in the active
# language (see scouting/reasons.py).
register.filter("criterion", criterion_name)
register.filter("why", why)
