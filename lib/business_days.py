"""Business-day arithmetic with Mexico's federal mandatory rest days (Django-free).

Information requests give agencies a term in business days ("días hábiles"). A business day
is a weekday (Monday to Friday) that is not a mandatory rest day.

Mandatory rest days: Ley Federal del Trabajo, artículo 74 (texto vigente):
  I    1 de enero
  II   el primer lunes de febrero, en conmemoración del 5 de febrero
  III  el tercer lunes de marzo, en conmemoración del 21 de marzo
  IV   1 de mayo
  V    16 de septiembre
  VI   el tercer lunes de noviembre, en conmemoración del 20 de noviembre
  VII  el 1 de octubre de cada seis años, cuando corresponda a la transmisión del Poder
       Ejecutivo Federal (from 2024; before the 2024 change of the transmission date the
       fraction read "1 de diciembre de cada seis años", e.g. 2018, 2012)
  VIII 25 de diciembre
  IX   election days set by the electoral laws: not modelled (they vary and are local);
       add them through `extra_holidays`.
The "Monday" rule of fractions II, III and VI is the text in force since 2006; earlier dates
are not modelled (every cycle this product handles starts after 2012).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

_FIRST_OCTOBER_TRANSMISSION = 2024  # first transmission on 1 October (LFT art. 74 fr. VII, current text)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The `nth` (1-based) `weekday` (Monday=0) of a month."""
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (nth - 1))


@lru_cache(maxsize=256)
def mexican_federal_holidays(year: int) -> frozenset[date]:
    """Mandatory rest days of one year under LFT art. 74 (fractions I to VIII)."""
    days = {
        date(year, 1, 1),  # fr. I
        _nth_weekday(year, 2, 0, 1),  # fr. II: first Monday of February
        _nth_weekday(year, 3, 0, 3),  # fr. III: third Monday of March
        date(year, 5, 1),  # fr. IV
        date(year, 9, 16),  # fr. V
        _nth_weekday(year, 11, 0, 3),  # fr. VI: third Monday of November
        date(year, 12, 25),  # fr. VIII
    }
    # fr. VII: transmission of the Federal Executive, every six years.
    if year >= _FIRST_OCTOBER_TRANSMISSION and (year - _FIRST_OCTOBER_TRANSMISSION) % 6 == 0:
        days.add(date(year, 10, 1))
    elif year < _FIRST_OCTOBER_TRANSMISSION and (_FIRST_OCTOBER_TRANSMISSION - 6 - year) % 6 == 0:
        days.add(date(year, 12, 1))  # 2018, 2012, 2006, ...
    return frozenset(days)


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
