from metacluster.core.markets import business_hours_overlap


def test_same_zone_overlaps_a_whole_office_day():
    assert business_hours_overlap("Europe/Stockholm", "Europe/Stockholm") == 8.0


def test_one_hour_apart_overlaps_seven_hours():
    assert business_hours_overlap("Europe/Stockholm", "Europe/Helsinki") == 7.0


def test_new_york_is_six_hours_behind_stockholm_all_year():
    # 09–17 in New York is 15–23 in Stockholm: two shared hours, winter and summer alike.
    assert business_hours_overlap("Europe/Stockholm", "America/New_York") == 2.0


def test_daylight_saving_differences_are_averaged():
    # Tokyo keeps no DST: 8 hours ahead of Stockholm in winter (its office day ends at 09:00 in
    # Stockholm: no overlap), 7 in summer (09–10 in Stockholm): half an hour on average.
    assert business_hours_overlap("Europe/Stockholm", "Asia/Tokyo") == 0.5


def test_far_zones_do_not_overlap_and_unknown_zones_are_none():
    assert business_hours_overlap("Europe/Stockholm", "Pacific/Auckland") == 0.0
    assert business_hours_overlap("Europe/Stockholm", "Mars/Olympus") is None
