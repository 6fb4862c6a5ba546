from django.contrib import admin

from .models import IndicatorReport, ReportedFigure, ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["programme", "number", "start", "end", "due_on"]
    list_filter = ["programme"]


class ReportedFigureInline(admin.TabularInline):
    """Submitted figures are read-only: a correction is an adjustment in the next report."""

    model = ReportedFigure
    extra = 0
    can_delete = False
    fields = [
        "code",
        "eu_code",
        "previously_reported",
        "adjustment",
        "this_period",
        "cumulative",
        "adjustment_reason",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IndicatorReport)
class IndicatorReportAdmin(admin.ModelAdmin):
    list_display = ["period", "submitted_at", "submitted_by"]
    list_filter = ["period__programme"]
    readonly_fields = ["period", "submitted_at", "submitted_by"]
    inlines = [ReportedFigureInline]
