from django.contrib import admin

from .models import Activity, Registration


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    raw_id_fields = ["company", "delivery"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "kind", "starts_at", "capacity"]
    list_filter = ["kind", "programme"]
    inlines = [RegistrationInline]
    raw_id_fields = ["service", "events", "deals"]
