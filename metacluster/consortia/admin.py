from django.contrib import admin

from .models import (
    CompetitorPair,
    Consortium,
    ConsortiumNeed,
    MemberCapacity,
    Proposal,
    ProposalMember,
)


@admin.register(Consortium)
class ConsortiumAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "market", "formed_on"]
    filter_horizontal = ["members"]


@admin.register(ConsortiumNeed)
class ConsortiumNeedAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "market", "min_countries", "min_size", "max_size"]
    list_filter = ["programme"]
    filter_horizontal = ["capabilities"]


class ProposalMemberInline(admin.TabularInline):
    model = ProposalMember
    extra = 0


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["need", "rank", "status", "score", "optimal"]
    list_filter = ["status"]
    inlines = [ProposalMemberInline]


admin.site.register(MemberCapacity)
admin.site.register(CompetitorPair)
