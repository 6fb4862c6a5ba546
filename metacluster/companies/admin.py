from django.contrib import admin

from .models import Company, Contact, Engagement, Note, StageChange


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "registry_code", "employees", "kind"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "registry_code", "vat_number"]
    inlines = [ContactInline]


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["company", "programme", "partner", "stage", "stage_changed_at"]
    list_filter = ["programme", "stage", "partner"]
    search_fields = ["company__name"]
    inlines = [StageChangeInline]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["company", "organisation", "private", "created_at"]
