from django.contrib import admin

from .models import (
    AidDeclaration,
    AidRecord,
    ProgrammeAidSettings,
    Undertaking,
    UndertakingMember,
)


@admin.register(ProgrammeAidSettings)
class ProgrammeAidSettingsAdmin(admin.ModelAdmin):
    list_display = ["programme", "scheme", "fiscal_year_start_month", "warning_percent"]


class MemberInline(admin.TabularInline):
    model = UndertakingMember
    autocomplete_fields = ["company"]
    extra = 1


@admin.register(Undertaking)
class UndertakingAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name", "members__company__name"]
    inlines = [MemberInline]


@admin.register(AidRecord)
class AidRecordAdmin(admin.ModelAdmin):
    """Read only: aid records are written with their delivery and kept for ten years."""

    list_display = ["granted_on", "company", "programme", "scheme", "value", "override_reason"]
    list_filter = ["programme", "scheme"]
    search_fields = ["company__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AidDeclaration)
class AidDeclarationAdmin(admin.ModelAdmin):
    list_display = ["granted_on", "company", "grantor", "scheme", "amount"]
    list_filter = ["scheme"]
    search_fields = ["company__name", "grantor"]
    autocomplete_fields = ["company"]
