from django.contrib import admin

from .models import Deal


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin):
    list_display = ["company", "counterpart", "market", "stage", "agreement_type", "first_sale"]
    list_filter = ["programme", "stage", "agreement_type", "market"]
    search_fields = ["company__name", "counterpart"]
