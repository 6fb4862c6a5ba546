"""Who is looking at an event, and as whom.

Every event page is reached two ways: `/events/<pk>/...` for people who log in (organisers,
staff, SME users) and `/events/p/<key>/...` for foreign buyers, who have no account and carry
the secret key of their participant in the link. `Actor` is what a view needs to know either
way: the event, the participant acting (if any), whether they organise it, the URL prefix of
their pages and the time zone to show times in.
"""

import functools
import zoneinfo
from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Event, Participant


@dataclass
class Actor:
    event: Event
    me: Participant | None
    staff: bool  # staff of a partner of the programme: sees every request and meeting
    organiser: bool  # may change the event (programme managers and advisors)
    base: str  # URL prefix of this person's pages of the event, ending in "/"
    zone: zoneinfo.ZoneInfo
    by_link: bool = False

    def require_organiser(self) -> None:
        if not self.organiser:
            raise PermissionDenied(_("Only the event's organisers can do this."))

    def require_participant(self) -> Participant:
        if self.me is None:
            raise PermissionDenied(_("Only participants of the event can do this."))
        return self.me

    def sees_request(self, request) -> bool:
        return self.staff or request.involves(self.me)


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def actor_for_user(request, pk: int) -> Actor:
    user = request.user
    event = Event.objects.visible_to(user).select_related("programme").filter(pk=pk).first()
    if event is None:
        raise Http404(_("No such event."))
    me = None
    if user.is_sme:
        # An SME user acts only for its own company.
        me = event.participants.filter(company_id=user.company_id).first()
    staff = not user.is_sme
    return Actor(
        event=event,
        me=me,
        staff=staff,
        organiser=staff and event.is_organised_by(user),
        base=f"/events/{event.pk}/",
        zone=zone_named(user.time_zone),
    )


def actor_for_key(key: str) -> Actor:
    me = Participant.objects.by_key(key)
    if me is None:
        raise Http404(_("This link is not valid; ask the organiser for a new one."))
    return Actor(
        event=me.event,
        me=me,
        staff=False,
        organiser=False,
        base=f"/events/p/{key}/",
        zone=me.zone,
        by_link=True,
    )


def event_view(view):
    """A view of one event reached by login (`pk`) or by secret link (`key`); it receives the
    `Actor` instead of either."""

    @functools.wraps(view)
    def wrapped(request, *args, pk=None, key=None, **kwargs):
        if key is not None:
            actor = actor_for_key(key)
        else:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = actor_for_user(request, pk)
        return view(request, actor, *args, **kwargs)

    return wrapped
