from django import template

register = template.Library()


@register.filter
def with_stale(barriers, today):
    """The barriers, each marked `stale` on `today`, for lists that flag them."""
    marked = list(barriers)
    for barrier in marked:
        barrier.stale = barrier.is_stale(today)
    return marked
