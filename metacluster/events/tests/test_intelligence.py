"""B2B meetings with foreign buyers per market on the market ranking: only visible ones."""

from metacluster.events.models import Meeting, MeetingRequest
from metacluster.markets import intelligence


def meet(event, sender, recipient, status="scheduled"):
    request = MeetingRequest.objects.create(
        event=event, sender=sender, recipient=recipient, status="accepted"
    )
    return Meeting.objects.create(
        event=event, request=request, slot=event.slots.first(), status=status
    )


def test_meetings_with_buyers_count_for_the_buyers_country(
    event, sme_participant, other_participant, buyer, manager, outsider, sme_user
):
    meet(event, sme_participant, buyer)
    meet(event, buyer, other_participant)
    meet(event, sme_participant, other_participant)  # two SMEs: no foreign market
    assert "meetings" in [c.code for c in intelligence.counters()]
    assert intelligence.counts(manager)["CN"]["meetings"] == 2
    assert "SE" not in intelligence.counts(manager) and "EE" not in intelligence.counts(manager)
    assert intelligence.counts(sme_user)["CN"]["meetings"] == 1  # its own company's only
    assert "CN" not in intelligence.counts(outsider)


def test_cancelled_meetings_do_not_count(event, sme_participant, buyer, manager):
    meet(event, sme_participant, buyer, status="cancelled")
    assert "CN" not in intelligence.counts(manager)
