"""Barriers: staleness on explicit dates, word search, and who sees them."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from metacluster.guides import search
from metacluster.guides.choices import BarrierKind, BarrierStatus
from metacluster.guides.models import Barrier, stale_before

pytestmark = pytest.mark.django_db


# --- Staleness ---------------------------------------------------------------------------------


def test_a_barrier_is_stale_once_not_confirmed_for_the_period(make_barrier, settings):
    settings.GUIDE_STALE_AFTER_DAYS = 365
    confirmed = make_barrier(last_confirmed_on=date(2023, 1, 10))
    # 365 days later (2024-01-10) is still within the period; the day after is not.
    assert not confirmed.is_stale(date(2023, 6, 1))
    assert not confirmed.is_stale(date(2024, 1, 10))
    assert confirmed.is_stale(date(2024, 1, 11))
    assert stale_before(date(2024, 1, 11)) == date(2023, 1, 11)


def test_stale_queryset_takes_the_day_it_is_asked_about(make_barrier, settings):
    settings.GUIDE_STALE_AFTER_DAYS = 365
    old = make_barrier(title="Old", last_confirmed_on=date(2022, 5, 1))
    recent = make_barrier(title="Recent", last_confirmed_on=date(2024, 3, 1))
    assert list(Barrier.objects.stale(date(2024, 6, 1))) == [old]
    assert list(Barrier.objects.fresh(date(2024, 6, 1))) == [recent]
    # Two years on, both are stale.
    assert set(Barrier.objects.stale(date(2026, 6, 1))) == {old, recent}


def test_the_period_is_a_setting(make_barrier, settings):
    barrier = make_barrier(last_confirmed_on=date(2024, 1, 1))
    settings.GUIDE_STALE_AFTER_DAYS = 30
    assert barrier.is_stale(date(2024, 2, 15))
    settings.GUIDE_STALE_AFTER_DAYS = 90
    assert not barrier.is_stale(date(2024, 2, 15))


@time_machine.travel(datetime(2024, 6, 1, 12, tzinfo=UTC), tick=False)
def test_a_barrier_cannot_be_confirmed_in_the_future(make_barrier):
    barrier = Barrier(
        programme=make_barrier().programme,
        market="VN",
        kind=BarrierKind.LEGAL,
        title="Decree 53",
        description="Data localisation",
        source_title="Decree 53/2022/ND-CP",
        last_confirmed_on=date(2024, 6, 2),
    )
    with pytest.raises(ValidationError) as error:
        barrier.full_clean()
    assert "last_confirmed_on" in error.value.message_dict


# --- Search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Zásady Ochrany", "zasady ochrany"),  # accents go
        ("STRASSE Straße", "strasse strasse"),  # casefold, not lower
        ("Ley 21.719", "ley 21.719"),
    ],
)
def test_fold_ignores_case_and_diacritics(text, folded):
    assert search.fold(text) == folded


def test_search_needs_every_word_as_a_word_start(make_barrier):
    pipl = make_barrier(title="Personal data stays in China")
    ccc = make_barrier(
        title="CCC certification",
        description="Compulsory certification of listed products.",
        how_to_overcome="Test at a designated lab.",
    )
    assert list(Barrier.objects.search("certif")) == [ccc]  # a prefix is enough
    assert list(Barrier.objects.search("DATA china")) == [pipl]
    assert list(Barrier.objects.search("data certification")) == []  # both words needed
    assert list(Barrier.objects.search("ertif")) == []  # not inside a word
    assert set(Barrier.objects.search("")) == {pipl, ccc}  # no words: no filter


def test_search_ignores_diacritics_in_records_and_queries(make_barrier):
    chile = make_barrier(market="CL", title="Protección de datos", description="Ley 21.719")
    assert list(Barrier.objects.search("proteccion")) == [chile]
    assert list(Barrier.objects.search("PROTECCIÓN")) == [chile]


def test_search_text_follows_edits(barrier):
    barrier.title = "Cloud hosting licence"
    barrier.save()
    assert list(Barrier.objects.search("licence")) == [barrier]


def test_like_wildcards_in_a_query_are_plain_characters(make_barrier):
    make_barrier(title="Anything at all")
    # "_" is a word character, so it is searched for, literally, and found nowhere.
    assert list(Barrier.objects.search("_")) == []
    assert list(Barrier.objects.search("a_")) == []


# --- Offering and sector -----------------------------------------------------------------------


def test_barriers_of_every_offering_count_for_each(make_barrier):
    general = make_barrier(title="General", offering="")
    goods = make_barrier(title="Goods only", offering="goods")
    make_barrier(title="Services only", offering="ict-services")
    assert set(Barrier.objects.for_offering("goods")) == {general, goods}


def test_sector_filter_takes_the_code_and_its_subdivisions(make_barrier):
    general = make_barrier(title="Any sector")
    division = make_barrier(title="Software", nace="62.01")
    make_barrier(title="Retail", nace="47")
    assert set(Barrier.objects.for_sector("62")) == {general, division}


def test_nace_must_be_a_nace_code(make_barrier):
    barrier = make_barrier()
    barrier.nace = "6x"
    with pytest.raises(ValidationError) as error:
        barrier.full_clean()
    assert "nace" in error.value.message_dict


def test_helping_partner_must_be_a_programme_partner(barrier, outsider_org):
    barrier.helping_partner = outsider_org
    with pytest.raises(ValidationError) as error:
        barrier.full_clean()
    assert "helping_partner" in error.value.message_dict


# --- Who sees barriers -------------------------------------------------------------------------


def test_staff_of_the_programme_and_its_smes_see_its_barriers(
    barrier, manager, advisor, viewer, sme_user, outsider
):
    for user in (manager, advisor, viewer, sme_user):
        assert list(Barrier.objects.visible_to(user)) == [barrier], user
    assert not Barrier.objects.visible_to(outsider).exists()


def test_an_sme_outside_the_programme_sees_none(barrier, outsider_company):
    from metacluster.accounts.choices import Role
    from metacluster.conftest import make_user

    stranger = make_user("sme.stranger", company=outsider_company, role=Role.SME)
    assert not Barrier.objects.visible_to(stranger).exists()


def test_open_leaves_out_resolved_barriers(make_barrier):
    open_one = make_barrier(title="Open")
    make_barrier(title="Gone", status=BarrierStatus.RESOLVED)
    assert list(Barrier.objects.open()) == [open_one]
