from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from lib.business_days import add_business_days, business_days_between, is_business_day, mexican_federal_holidays


def test_the_2024_rest_days_follow_lft_article_74():
    assert mexican_federal_holidays(2024) == {
        date(2024, 1, 1),
        date(2024, 2, 5),  # first Monday of February
        date(2024, 3, 18),  # third Monday of March
        date(2024, 5, 1),
        date(2024, 9, 16),
        date(2024, 10, 1),  # transmission of the Federal Executive (new date)
        date(2024, 11, 18),  # third Monday of November
        date(2024, 12, 25),
    }


def test_the_2025_rest_days_follow_lft_article_74():
    assert mexican_federal_holidays(2025) == {
        date(2025, 1, 1),
        date(2025, 2, 3),  # first Monday of February
        date(2025, 3, 17),  # third Monday of March
        date(2025, 5, 1),
        date(2025, 9, 16),
        date(2025, 11, 17),  # third Monday of November
        date(2025, 12, 25),
    }


def test_the_monday_rest_days_move_with_the_calendar():
    # 2026: 1 Feb is a Sunday, 1 Mar a Sunday, 1 Nov a Sunday.
    assert {date(2026, 2, 2), date(2026, 3, 16), date(2026, 11, 16)} <= mexican_federal_holidays(2026)
    # 2013: 5 Feb fell on a Tuesday; the rest day was Monday 4 Feb.
    assert date(2013, 2, 4) in mexican_federal_holidays(2013)
    assert date(2013, 2, 5) not in mexican_federal_holidays(2013)
    assert is_business_day(date(2013, 2, 5))


def test_transmission_day_moves_from_december_to_october():
    assert date(2018, 12, 1) in mexican_federal_holidays(2018)
    assert date(2012, 12, 1) in mexican_federal_holidays(2012)
    assert date(2030, 10, 1) in mexican_federal_holidays(2030)
    assert date(2019, 12, 1) not in mexican_federal_holidays(2019)
    assert date(2024, 12, 1) not in mexican_federal_holidays(2024)
    assert date(2025, 10, 1) not in mexican_federal_holidays(2025)


def test_weekends_and_holidays_are_not_business_days():
    assert not is_business_day(date(2024, 9, 14))  # Saturday
    assert not is_business_day(date(2024, 9, 15))  # Sunday
    assert not is_business_day(date(2024, 9, 16))  # Monday, Independence Day
    assert is_business_day(date(2024, 9, 17))
    assert not is_business_day(date(2024, 9, 17), extra_holidays=[date(2024, 9, 17)])


def test_a_term_across_the_2024_transmission_day():
    # Monday 30 Sep 2024 + 1 business day: Tuesday 1 Oct is a rest day.
    assert add_business_days(date(2024, 9, 30), 1) == date(2024, 10, 2)
    assert business_days_between(date(2024, 9, 30), date(2024, 10, 4)) == 3
    # The same dates in 2025 are ordinary days.
    assert add_business_days(date(2025, 9, 30), 1) == date(2025, 10, 1)


def test_adding_across_a_weekend_and_a_holiday():
    # Friday 13 Sep 2024 + 1 business day: Sat, Sun and Mon 16 Sep are skipped.
    assert add_business_days(date(2024, 9, 13), 1) == date(2024, 9, 17)
    assert add_business_days(date(2024, 9, 13), 3) == date(2024, 9, 19)
    assert add_business_days(date(2024, 9, 17), -1) == date(2024, 9, 13)
    assert add_business_days(date(2024, 9, 13), 0) == date(2024, 9, 13)


def test_counting_between_dates():
    assert business_days_between(date(2024, 9, 13), date(2024, 9, 19)) == 3
    assert business_days_between(date(2024, 9, 19), date(2024, 9, 13)) == -3
    assert business_days_between(date(2024, 9, 13), date(2024, 9, 16)) == 0
    # Christmas week 2025: 25 Dec is a Thursday.
    assert business_days_between(date(2025, 12, 22), date(2025, 12, 29)) == 4


@given(st.dates(min_value=date(2010, 1, 1), max_value=date(2040, 12, 31)), st.integers(-60, 60))
def test_adding_then_counting_gives_back_n(start, n):
    end = add_business_days(start, n)
    assert business_days_between(start, end) == n
    if n:
        assert is_business_day(end)


@given(st.dates(min_value=date(2010, 1, 1), max_value=date(2040, 12, 31)))
def test_every_year_has_seven_rest_days_plus_transmission_years(day):
    holidays = mexican_federal_holidays(day.year)
    transmission_year = (day.year - 2024) % 6 == 0
    assert len(holidays) == (8 if transmission_year else 7)
    assert all(h.year == day.year for h in holidays)
    assert add_business_days(day, 1) - day <= timedelta(days=5)
