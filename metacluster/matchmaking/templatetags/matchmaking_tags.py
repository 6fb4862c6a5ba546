from django import template

register = template.Library()


@register.filter
def named(codes, names) -> list[str]:
    """Capability codes as their taxonomy names ({{ codes|named:capability_names }})."""
    names = names or {}
    return [names.get(code, code) for code in codes]
