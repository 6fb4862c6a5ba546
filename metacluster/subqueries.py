"""`key IN (subquery)` in a form PostgreSQL can combine with other conditions by index."""

from django.db.models import BooleanField, F, Func, Subquery


class KeyIn(Func):
    """True where `key` is among the values `queryset` selects (one column).

    `Q(owner=...) | Q(pk__in=subquery)` makes PostgreSQL test the subquery row by row over the
    whole table (a "hashed SubPlan" under a sequential scan): half a second at a million
    companies even when a manager sees a hundred. Written `key = ANY(ARRAY(subquery))`, the
    subquery runs once and both sides of the OR become index scans (a BitmapOr). Other
    databases get the plain `IN`, which SQLite already answers by index.
    """

    output_field = BooleanField()
    conditional = True
    template = "%(expressions)s"
    arg_joiner = " IN "

    def __init__(self, key: str, queryset):
        super().__init__(F(key), Subquery(queryset.order_by()))

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, arg_joiner=" = ANY(ARRAY", template="%(expressions)s)", **extra
        )
