from django.contrib import admin

from .models import Consortium


@admin.register(Consortium)
class ConsortiumAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "market", "formed_on"]
    filter_horizontal = ["members"]
