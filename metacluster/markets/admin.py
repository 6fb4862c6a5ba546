from django.contrib import admin

from .models import FeasibilityStudy, Tariff, TradeDataset
from .workflows import delete_trade


@admin.register(FeasibilityStudy)
class FeasibilityStudyAdmin(admin.ModelAdmin):
    list_display = ["company", "market", "offering", "decision", "decided_on", "programme"]
    list_filter = ["decision", "offering", "programme"]
    search_fields = ["company__name", "market"]
    raw_id_fields = ["company", "advisor", "delivery"]
    readonly_fields = ["ranking_snapshot", "delivery", "version"]


@admin.register(TradeDataset)
class TradeDatasetAdmin(admin.ModelAdmin):
    """Datasets are loaded with `metacluster load-trade`; here they are renamed or removed."""

    list_display = ["name", "source", "rows", "loaded_at"]
    readonly_fields = ["file_name", "store", "rows", "years", "exporters", "products", "loaded_by"]

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        delete_trade(obj)  # the store's files go with the record

    def delete_queryset(self, request, queryset):
        for dataset in queryset:
            delete_trade(dataset)


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    list_display = ["market", "product", "year", "rate", "source"]
    list_filter = ["year"]
    search_fields = ["market", "product", "source"]
