"""Synthetic B2B events for benchmarks and tests, as the JSON `schedule` reads.

The events imitate brokerage events run by cluster organisations: a minority of *buyers*
(large companies, hosted buyers) receives requests from many SMEs, with a long tail of
popularity, so that popular buyers are asked for more meetings than they have slots; some
requests come from two SMEs of a consortium together; some participants arrive late or leave
early; some meetings are restricted to one day or fixed in advance; mutual interest counts
double. Online events spread participants over time zones, each available during its own
working hours, with slots on a UTC grid.

With `feasible=True` every request is first placed in a random free slot (a *planted*
schedule) and dropped if it has none, and availability and limits are drawn around that
schedule, so all requests can be scheduled: the setting of Bofill et al., where every
meeting must take place and only gaps are optimised.

Run as a command::

    python -m metacluster.core.scheduling.generate --participants 700 --requests 2500 \\
        --tables 60 --seed 1 --output event.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import UTC, datetime, timedelta

from ..errors import InputError

__all__ = ["generate_event"]

# UTC offsets of participants at an online event, hours: the Americas, Europe, Asia.
ZONES = (-5, -3, 0, 1, 1, 2, 2, 3, 8, 9)
FIRST_DAY = datetime(2026, 3, 10, tzinfo=UTC)


def generate_event(
    participants: int = 70,
    requests: int | None = None,
    *,
    tables: int | None = None,
    sessions: int = 2,
    slots_per_session: int = 16,
    slot_minutes: int = 30,
    online: bool = False,
    buyers: float = 0.2,
    group_share: float = 0.05,
    mutual_share: float = 0.3,
    restricted_share: float = 0.1,
    fixed_share: float = 0.02,
    absent_share: float = 0.15,
    feasible: bool = False,
    seed: int = 0,
) -> dict:
    """A random event as a JSON-ready dict.

    Parameters
    ----------
    participants : int
        Number of participants (at least 3), of which a share `buyers` are buyers.
    requests : int, optional
        Number of requests, 3 per participant by default. Each pairs a buyer with an SME,
        or with two SMEs (`group_share`). With `feasible`, requests that find no free slot
        in the planted schedule are dropped, so there may be fewer.
    tables : int, optional
        Tables per slot; None for unlimited (online events).
    sessions, slots_per_session, slot_minutes : int
        Days, slots per day and slot length. Online, a session is a UTC day of
        `slots_per_session` slots starting at 00:00 UTC.
    online : bool
        Participants in time zones (`ZONES`), each available 08:00-18:00 local time.
    mutual_share, restricted_share, fixed_share, absent_share : float
        Shares of requests of weight 2 (mutual interest, the others weigh 1), of requests
        allowed in one session only, of requests with a fixed slot, and of participants
        absent for half a session.
    feasible : bool
        Plant a schedule so that every request can be scheduled.
    seed : int
        The same arguments and seed give the same event.

    Returns
    -------
    dict
        `{"slots": [...], "tables": ..., "participants": [...], "requests": [...]}`.

    Example
    -------
    >>> event = generate_event(10, 12, tables=4, sessions=1, slots_per_session=6, seed=3)
    >>> len(event["participants"]), len(event["requests"]), event["tables"]
    (10, 12, 4)

    Notes
    -----
    Cost: O(requests * slots) with `feasible`, O(requests + participants * slots) without.
    """
    if participants < 3:
        raise InputError("an event needs at least 3 participants")
    if sessions < 1 or slots_per_session < 1:
        raise InputError("an event needs at least one session and one slot")
    if (requests is not None and requests < 0) or (tables is not None and tables < 0):
        raise InputError("requests and tables must not be negative")
    rng = random.Random(seed)
    requests = 3 * participants if requests is None else requests
    n_buyers = min(max(1, round(participants * buyers)), participants - 2)

    # --- slots
    slots, session_of = [], []
    for day in range(sessions):
        start = FIRST_DAY + timedelta(days=day, hours=0 if online else 9)
        for i in range(slots_per_session):
            begin = start + timedelta(minutes=slot_minutes * i)
            slots.append(
                {
                    "id": f"d{day + 1}-{i + 1:02d}",
                    "start": begin.isoformat(),
                    "end": (begin + timedelta(minutes=slot_minutes)).isoformat(),
                    "session": f"day {day + 1}",
                }
            )
            session_of.append(day)
    n_slots = len(slots)

    # --- participants: availability as sets of slot indices
    ids = [f"buyer-{i + 1}" for i in range(n_buyers)]
    ids += [f"sme-{i + 1}" for i in range(participants - n_buyers)]
    available = []
    for _ in ids:
        if online:
            offset = rng.choice(ZONES)
            can = set()
            for s, slot in enumerate(slots):
                local = datetime.fromisoformat(slot["start"]) + timedelta(hours=offset)
                if 8 <= local.hour < 18:
                    can.add(s)
        else:
            can = set(range(n_slots))
        if rng.random() < absent_share:
            day = rng.randrange(sessions)
            half = slots_per_session // 2
            first = day * slots_per_session + (0 if rng.random() < 0.5 else half)
            can -= set(range(first, first + half))
        available.append(can)

    # --- requests
    popularity = [rng.lognormvariate(0, 0.8) for _ in range(n_buyers)]
    smes = range(n_buyers, participants)
    pairs: set = set()
    drawn = []
    tries = 0
    while len(drawn) < requests and tries < 20 * requests:
        tries += 1
        buyer = rng.choices(range(n_buyers), weights=popularity)[0]
        members = [buyer, rng.choice(smes)]
        if rng.random() < group_share and participants - n_buyers > 1:
            other = rng.choice(smes)
            if other != members[1]:
                members.append(other)
        key = frozenset(members)
        common = set.intersection(*(available[p] for p in members))
        # Platforms only let participants ask for meetings they can attend.
        if key in pairs or not common:
            continue
        pairs.add(key)
        drawn.append((members, common))

    plan_busy = [set() for _ in ids]
    plan_load = [0] * n_slots
    out_requests = []
    for members, common in drawn:
        allowed_sessions = None
        if rng.random() < restricted_share:
            day = rng.randrange(sessions)
            restricted = {s for s in common if session_of[s] == day}
            if restricted:
                allowed_sessions, common = [day], restricted
        fixed = None
        if feasible:
            free = sorted(
                s
                for s in common
                if all(s not in plan_busy[p] for p in members)
                and (tables is None or plan_load[s] < tables)
            )
            if not free:
                continue
            chosen = rng.choice(free)
            for p in members:
                plan_busy[p].add(chosen)
            plan_load[chosen] += 1
            if rng.random() < fixed_share:
                fixed = chosen
        elif rng.random() < fixed_share and common:
            fixed = rng.choice(sorted(common))
        request = {
            "id": f"r{len(out_requests) + 1}",
            "participants": [ids[p] for p in members],
            "weight": 2.0 if rng.random() < mutual_share else 1.0,
        }
        if allowed_sessions is not None:
            request["sessions"] = [f"day {d + 1}" for d in allowed_sessions]
        if fixed is not None:
            request["fixed_slot"] = slots[fixed]["id"]
        out_requests.append(request)

    out_participants = []
    asked = [0] * participants
    for members, _ in drawn:
        for p in members:
            asked[p] += 1
    for p, pid in enumerate(ids):
        item = {
            "id": pid,
            "unavailable": [slots[s]["id"] for s in range(n_slots) if s not in available[p]],
        }
        # Some buyers cap their day; a planted schedule must stay within the cap.
        if p < n_buyers and rng.random() < 0.3:
            floor = len(plan_busy[p]) if feasible else 1
            item["max_meetings"] = max(floor, int(0.7 * min(asked[p], len(available[p]))))
        out_participants.append(item)
    return {
        "slots": slots,
        "tables": tables,
        "participants": out_participants,
        "requests": out_requests,
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's options, shared with the `metacluster generate-event` command."""
    parser.add_argument("--participants", type=int, default=70, help="default 70")
    parser.add_argument("--requests", type=int, help="default: 3 per participant")
    parser.add_argument("--tables", type=int, help="tables per slot (default: unlimited)")
    parser.add_argument("--sessions", type=int, default=2, help="days (default 2)")
    parser.add_argument("--slots-per-session", type=int, default=16, help="default 16")
    parser.add_argument("--slot-minutes", type=int, default=30, help="default 30")
    parser.add_argument(
        "--online", action="store_true", help="participants in time zones, slots in UTC"
    )
    parser.add_argument(
        "--feasible", action="store_true", help="plant a schedule: every request fits"
    )
    parser.add_argument("--seed", type=int, default=0, help="default 0")
    parser.add_argument("--output", help="write JSON here instead of standard output")


def run(options: dict, stdout=None) -> None:
    """Generate from parsed options and write the JSON; raises ValueError or OSError."""
    event = generate_event(
        options["participants"],
        options.get("requests"),
        tables=options.get("tables"),
        sessions=options["sessions"],
        slots_per_session=options["slots_per_session"],
        slot_minutes=options["slot_minutes"],
        online=options["online"],
        feasible=options["feasible"],
        seed=options["seed"],
    )
    text = json.dumps(event, indent=1)
    if options.get("output"):
        with open(options["output"], "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        (stdout or sys.stdout).write(text + "\n")


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m metacluster.core.scheduling.generate",
        description="Write a synthetic B2B event as JSON for `schedule`.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        run(vars(args))
    except (ValueError, OSError) as error:
        print(f"error: cannot generate event: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(_main())
