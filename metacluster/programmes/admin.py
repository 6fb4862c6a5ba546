from django.contrib import admin

from .models import Indicator, Partnership, Programme, TargetMarket


class PartnershipInline(admin.TabularInline):
    model = Partnership
    extra = 0


class TargetMarketInline(admin.TabularInline):
    model = TargetMarket
    extra = 0


class IndicatorInline(admin.StackedInline):
    model = Indicator
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "acronym",
        "funding_programme",
        "start_date",
        "end_date",
        "total_budget",
    ]
    search_fields = ["name", "acronym"]
    inlines = [PartnershipInline, TargetMarketInline, IndicatorInline]
