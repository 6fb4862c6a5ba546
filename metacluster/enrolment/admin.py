from django.contrib import admin

from .models import Application, Eligibility


@admin.register(Eligibility)
class EligibilityAdmin(admin.ModelAdmin):
    list_display = ["programme", "open_for_applications", "min_employees", "max_employees"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["company_name", "programme", "status", "created_at"]
    list_filter = ["status", "programme"]
    search_fields = ["company_name", "registry_code", "contact_email"]
