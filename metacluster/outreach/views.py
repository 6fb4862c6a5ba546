from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.programmes.models import Programme
from metacluster.programmes.views import managed_programme, visible_programme
from metacluster.versioning import StaleEdit

from . import sending
from .forms import MessageForm, MessageTemplateForm
from .models import Message, MessageTemplate, ReminderSetting, Unsubscription


def _staff_programme(request, acronym):
    programme = visible_programme(request, acronym)
    sending.check_staff(request.user)
    return programme


@login_required
def message_list(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = _staff_programme(request, acronym)
    return render(
        request,
        "outreach/list.html",
        {
            "programme": programme,
            "messages_sent": Message.objects.visible_to(request.user).filter(programme=programme),
            "can_record": programme.is_recordable_by(request.user),
        },
    )


@login_required
def message_new(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = _staff_programme(request, acronym)
    sending.check_may_write(request.user, programme)
    form = MessageForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        message = form.save()
        return redirect("outreach:detail", acronym=acronym, pk=message.pk)
    return render(
        request,
        "form.html",
        {"form": form, "title": _("New message"), "cancel_url": f"/programmes/{acronym}/outreach/"},
    )


@login_required
def message_detail(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    programme = _staff_programme(request, acronym)
    message = get_object_or_404(
        Message.objects.visible_to(request.user), programme=programme, pk=pk
    )
    reach, unsubscribed = sending.reach(message)
    return render(
        request,
        "outreach/detail.html",
        {
            "programme": programme,
            "message": message,
            "reach": reach,
            "unsubscribed": unsubscribed,
            "log": message.recipients.select_related("company"),
            "tally": message.tally(),
            "can_record": programme.is_recordable_by(request.user),
        },
    )


@login_required
@require_POST
def message_send(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    programme = _staff_programme(request, acronym)
    message = get_object_or_404(
        Message.objects.visible_to(request.user), programme=programme, pk=pk
    )
    sending.check_may_send(request.user, programme)
    sending.enqueue(message.pk)
    messages.success(request, _("The message is being sent."))
    return redirect("outreach:detail", acronym=acronym, pk=pk)


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link at the foot of every message. A GET only asks (mail scanners open links); the
    button unsubscribes."""
    try:
        programme_id, email = sending.read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "outreach/unsubscribe.html", {"invalid": True}, status=400)
    programme = get_object_or_404(Programme, pk=programme_id)
    done = False
    if request.method == "POST":
        Unsubscription.objects.get_or_create(programme=programme, email=email)
        done = True
    return render(
        request, "outreach/unsubscribe.html", {"programme": programme, "email": email, "done": done}
    )


@login_required
def reminders(request: HttpRequest) -> HttpResponse:
    setting, _created = ReminderSetting.objects.get_or_create(user=request.user)
    if request.method == "POST":
        setting.reminders = request.POST.get("reminders") == "on"
        setting.save()
        messages.success(request, _("Your reminder setting is saved."))
        return redirect("outreach:reminders")
    return render(request, "outreach/reminders.html", {"setting": setting})


@login_required
def template_list(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = _staff_programme(request, acronym)
    return render(
        request,
        "outreach/templates.html",
        {
            "programme": programme,
            "templates": MessageTemplate.objects.visible_to(request.user).filter(
                programme=programme
            ),
            "can_manage": programme.is_managed_by(request.user),
        },
    )


@login_required
def template_edit(request: HttpRequest, acronym: str, pk: int | None = None) -> HttpResponse:
    """Managers write the programme's message templates, one per name and language."""
    programme = managed_programme(request, acronym)
    template = (
        get_object_or_404(MessageTemplate, programme=programme, pk=pk) if pk is not None else None
    )
    form = MessageTemplateForm(request.POST or None, instance=template, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except StaleEdit as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The template is saved."))
            return redirect("outreach:templates", acronym=acronym)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Edit template") if template else _("New template"),
            "cancel_url": f"/programmes/{acronym}/outreach/templates/",
        },
    )


@login_required
@require_POST
def template_delete(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    programme = managed_programme(request, acronym)
    get_object_or_404(MessageTemplate, programme=programme, pk=pk).delete()
    messages.success(request, _("The template is deleted."))
    return redirect("outreach:templates", acronym=acronym)
