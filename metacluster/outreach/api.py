"""Messages to a segment of a programme's SMEs: list, write a draft, send. Staff only; the
rules are the pages' (outreach.sending.check_*), and a draft is checked by the page's form."""

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from metacluster.apiutils import (
    Country,
    Id,
    Input,
    ListQuery,
    Page,
    QueryId,
    Text,
    get_referenced,
    get_visible,
    paginate,
    refused_when,
    responses,
)
from metacluster.companies.choices import Stage
from metacluster.programmes.models import Programme

from . import sending
from .choices import MessageStatus
from .forms import MessageForm
from .models import Message

router = Router(tags=["outreach"])


class MessageOut(Schema):
    id: int
    programme_id: int
    template_name: str
    subject: str
    body: str
    stages: list[str]
    countries: list[str]
    capabilities: list[int]
    activity_id: int | None
    status: MessageStatus
    created_at: datetime
    sent_at: datetime | None
    recipients: int = Field(..., description="Addresses logged so far (sent or not).")

    @staticmethod
    def resolve_capabilities(message: Message) -> list[int]:
        return [c.pk for c in message.capabilities.all()]

    @staticmethod
    def resolve_recipients(message: Message) -> int:
        return message.recipients.count()


class MessageIn(Input):
    programme: Id
    template_name: Text = Field(
        "",
        max_length=100,
        description="One of the programme's templates, by name: each recipient gets its "
        "version in their language.",
    )
    subject: Text = Field(..., min_length=1, max_length=200)
    body: Text = Field(
        ..., min_length=1, max_length=20_000, description="{company} and {programme} are filled in."
    )
    stages: list[Stage] = Field(default_factory=list)
    countries: list[Country] = Field(default_factory=list)
    capabilities: list[Id] = Field(default_factory=list, description="The programme's.")
    activity: Id | None = Field(None, description="Only the attendees of this activity.")


class MessageQuery(ListQuery):
    programme: QueryId | None = None
    status: MessageStatus | None = None


def _messages(request):
    sending.check_staff(request.user)
    return Message.objects.visible_to(request.user).prefetch_related("capabilities")


@router.get("/outreach/messages", response=responses(Page[MessageOut]))
def list_messages(request, query: Query[MessageQuery]):
    """Messages of the programmes whose staff you are."""
    rows = _messages(request)
    if query.programme is not None:
        rows = rows.filter(programme_id=query.programme)
    if query.status is not None:
        rows = rows.filter(status=query.status)
    return paginate(rows, query)


@router.get("/outreach/messages/{int:message_id}", response=responses(MessageOut))
def get_message(request, message_id: Id):
    return get_visible(_messages(request), message_id, _("message"))


@router.post(
    "/outreach/messages",
    response=responses(MessageOut, 201),
    openapi_extra=refused_when(
        "`programme`: a programme you see.",
        "`capabilities`: the programme's capabilities.",
        "`activity`: an activity of the programme.",
        "`template_name`: empty or the name of one of the programme's templates.",
        "`subject`: not only spaces.",
        "`body`: not only spaces.",
    ),
)
def create_message(request, payload: MessageIn):
    """Write a draft; `POST .../send` sends it."""
    sending.check_staff(request.user)
    programme = get_referenced(
        Programme.objects.visible_to(request.user), payload.programme, "programme", _("programme")
    )
    sending.check_may_write(request.user, programme)
    form = MessageForm(
        {
            "template_name": payload.template_name,
            "subject": payload.subject,
            "body": payload.body,
            "stages": [str(stage) for stage in payload.stages],
            "countries": ",".join(payload.countries),
            "capabilities": payload.capabilities,
            "activity": payload.activity or "",
        },
        programme=programme,
    )
    if not form.is_valid():
        raise DjangoValidationError({field: list(errors) for field, errors in form.errors.items()})
    form.instance.created_by = request.user
    message = form.save()
    return Status(201, _messages(request).get(pk=message.pk))


@router.post("/outreach/messages/{int:message_id}/send", response=responses(MessageOut, 202))
def send_message(request, message_id: Id):
    """Send the message to its segment (by the background worker where there is one). A message
    goes out once: sending it again sends only to addresses not logged yet."""
    message = get_visible(_messages(request), message_id, _("message"))
    sending.check_may_send(request.user, message.programme)
    sending.enqueue(message.pk)
    return Status(202, _messages(request).get(pk=message.pk))
