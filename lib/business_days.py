"""Business-day arithmetic over Mexico's federal mandatory rest days (Django-free).

Information requests give agencies a term in business days ("días hábiles"). A business day
is a weekday (Monday to Friday) that is not a mandatory rest day.

The calendar comes from the `holidays` package (`holidays.Mexico`), which models the mandatory
rest days of the Ley Federal del Trabajo, artículo 74, fractions I to VIII: 1 January, the first
Monday of February, the third Monday of March, 1 May, 16 September, the third Monday of
November, 25 December and the transmission of the Federal Executive every six years (1 December
up to 2018, 1 October from 2024). Fraction IX (election days set by the electoral laws) is not
modelled: those days vary and are local; pass them as `extra_holidays`.
This module keeps only the arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=256)
def mexican_federal_holidays(year: int) -> frozenset[date]:
    """Mandatory rest days of one year (LFT art. 74, fractions I to VIII)."""
    return frozenset(holidays.Mexico(years=year))


def is_business_day(day: date, extra_holidays: Iterable[date] = ()) -> bool:
    """Monday to Friday and not a mandatory rest day (nor one of `extra_holidays`)."""
    if day.weekday() >= 5:
        return False
    if day in mexican_federal_holidays(day.year):
        return False
    return day not in set(extra_holidays)


def add_business_days(start: date, n: int, extra_holidays: Iterable[date] = ()) -> date:
    """The date `n` business days after `start` (before it when `n` is negative).

    `start` itself is not counted: a request sent on Friday with a term of 1 business day
    is due on Monday (or the next business day after it). `n == 0` returns `start`.
    """
    extra = frozenset(extra_holidays)
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    while remaining:
        day += timedelta(days=step)
        if is_business_day(day, extra):
            remaining -= 1
    return day


def business_days_between(start: date, end: date, extra_holidays: Iterable[date] = ()) -> int:
    """Business days after `start` up to and including `end`; when `end` < `start`, minus the
    business days from `end` (included) up to `start` (excluded).

    The inverse of `add_business_days`: ``business_days_between(start, add_business_days(start, n)) == n``.
    """
    extra = frozenset(extra_holidays)
    if end < start:
        # Business days from `end` (included) to `start` (excluded), counted backwards.
        return -sum(1 for k in range((start - end).days) if is_business_day(end + timedelta(days=k), extra))
    return sum(1 for k in range(1, (end - start).days + 1) if is_business_day(start + timedelta(days=k), extra))
