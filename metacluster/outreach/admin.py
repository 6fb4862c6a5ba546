from django.contrib import admin

from .models import Message, MessageTemplate, Recipient, ReminderSetting, Unsubscription

admin.site.register(MessageTemplate)
admin.site.register(Unsubscription)
admin.site.register(ReminderSetting)


class RecipientInline(admin.TabularInline):
    model = Recipient
    extra = 0


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "status", "sent_at"]
    inlines = [RecipientInline]
