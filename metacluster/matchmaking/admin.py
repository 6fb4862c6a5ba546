from django.contrib import admin

from .models import Buyer, Capability, Feedback, Interest, Notice, Offer, Opportunity


@admin.register(Capability)
class CapabilityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "programme"]
    list_filter = ["programme"]
    search_fields = ["name", "code"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "company", "programme", "updated_at"]
    list_filter = ["programme"]
    search_fields = ["title", "company__name"]
    autocomplete_fields = ["company"]
    filter_horizontal = ["capabilities"]


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "country", "partner", "deadline", "status", "visibility"]
    list_filter = ["programme", "kind", "status", "visibility"]
    search_fields = ["title", "buyer"]
    filter_horizontal = ["capabilities"]


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["company", "opportunity", "deal", "created_at"]
    search_fields = ["company__name", "opportunity__title"]
    raw_id_fields = ["company", "opportunity", "deal"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["company", "opportunity", "verdict", "given_at"]
    list_filter = ["verdict"]
    raw_id_fields = ["company", "opportunity"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["company", "opportunity", "sent_by", "sent_at", "recipients"]
    raw_id_fields = ["company", "opportunity"]


@admin.register(Buyer)
class BuyerAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "email", "programme", "partner", "invited_at"]
    list_filter = ["programme", "moderated"]
    search_fields = ["name", "organisation", "email"]
    readonly_fields = ["token_prefix", "invited_at", "revoked_at"]
    exclude = ["token_hash"]
