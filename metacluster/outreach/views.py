from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metacluster.programmes.models import Programme
from metacluster.programmes.views import visible_programme

from . import sending
from .forms import MessageForm
from .models import Message, ReminderSetting, Unsubscription


def _staff_programme(request, acronym):
    programme = visible_programme(request, acronym)
    if request.user.is_sme:
        raise PermissionDenied
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
    if not programme.is_recordable_by(request.user):
        raise PermissionDenied(_("Only the programme's advisors and managers write messages."))
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
    return render(
        request,
        "outreach/detail.html",
        {
            "programme": programme,
            "message": message,
            "reach": len(sending.recipients(message)),
            "log": message.recipients.select_related("company"),
            "can_record": programme.is_recordable_by(request.user),
        },
    )


def _enqueue(message_id: int) -> None:
    """Send through the background worker where there is one; otherwise now."""
    try:
        from .tasks import send_segment_message_task
    except ImportError:
        sending.send_segment_message(message_id)
    else:
        send_segment_message_task.delay(message_id)


@login_required
@require_POST
def message_send(request: HttpRequest, acronym: str, pk: int) -> HttpResponse:
    programme = _staff_programme(request, acronym)
    message = get_object_or_404(
        Message.objects.visible_to(request.user), programme=programme, pk=pk
    )
    if not programme.is_recordable_by(request.user):
        raise PermissionDenied(_("Only the programme's advisors and managers send messages."))
    _enqueue(message.pk)
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
