from django.contrib import admin

from .models import Barrier, ExperienceReport


@admin.register(Barrier)
class BarrierAdmin(admin.ModelAdmin):
    list_display = ["title", "market", "kind", "programme", "status", "last_confirmed_on"]
    list_filter = ["kind", "status", "programme", "language"]
    search_fields = ["title", "description"]


@admin.register(ExperienceReport)
class ExperienceReportAdmin(admin.ModelAdmin):
    list_display = ["title", "market", "programme", "status", "occurred_on"]
    list_filter = ["status", "programme"]
    search_fields = ["title", "text"]
