from django.contrib import admin

from .models import FeasibilityStudy


@admin.register(FeasibilityStudy)
class FeasibilityStudyAdmin(admin.ModelAdmin):
    list_display = ["company", "market", "offering", "decision", "decided_on", "programme"]
    list_filter = ["decision", "offering", "programme"]
    search_fields = ["company__name", "market"]
    raw_id_fields = ["company", "advisor", "delivery"]
    readonly_fields = ["ranking_snapshot", "delivery", "version"]
