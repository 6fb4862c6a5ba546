from django.contrib import admin

from .models import Assessment, ProgrammeInstrument


@admin.register(ProgrammeInstrument)
class ProgrammeInstrumentAdmin(admin.ModelAdmin):
    list_display = ["programme", "version", "adopted_at", "adopted_by"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = [
        "company",
        "programme",
        "organisation",
        "status",
        "overall",
        "stage",
        "assessed_on",
        "shared",
    ]
    list_filter = ["programme", "status", "stage", "shared", "instrument_version"]
    search_fields = ["company__name"]
    raw_id_fields = ["company", "delivery", "started_by", "completed_by"]
    # Scores are computed from the answers when completed; editing them by hand would break
    # the link between the two.
    readonly_fields = [
        "overall",
        "completeness",
        "stage",
        "dimension_scores",
        "axis_scores",
        "completed_at",
        "completed_by",
    ]
