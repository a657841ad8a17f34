"""Public holidays: which country's a person keeps, and which dates they are.

A person keeps the public holidays of the country their time zone belongs to (the IANA
`zone.tab` says which), unless they chose another country or none. The dates come from
the `holidays` package, read once per country and year.
"""

from __future__ import annotations

import zoneinfo
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

import holidays

NONE = "none"  # a person's choice: no public holidays off


@cache
def _zone_countries() -> dict[str, str]:
    """IANA zone name -> ISO country code, from the system's or tzdata's `zone.tab`."""
    text = ""
    for folder in zoneinfo.TZPATH:
        table = Path(folder) / "zone.tab"
        if table.is_file():
            text = table.read_text(encoding="utf-8")
            break
    else:
        try:
            text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
        except (ModuleNotFoundError, FileNotFoundError):
            text = ""
    countries = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) >= 3:
            countries[fields[2]] = fields[0]
    return countries


def supported(country: str) -> bool:
    return country.upper() in holidays.list_supported_countries()


def country_of(tz: str) -> str | None:
    """The country a time zone is in, when `holidays` knows its public holidays."""
    country = _zone_countries().get(tz)
    return country if country is not None and supported(country) else None


def kept(choice: str | None, tz: str) -> str | None:
    """The country whose holidays a person keeps: their choice, else their time zone's;
    None for nobody's (they opted out, or the zone has no country)."""
    if choice == NONE:
        return None
    if choice:
        return choice.upper() if supported(choice) else None
    return country_of(tz)


@cache
def _of_year(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year))


def is_public_holiday(country: str | None, day: date) -> bool:
    return country is not None and day in _of_year(country, day.year)


def name_of(country: str | None, day: date) -> str | None:
    """The holiday's name (for messages that say why nothing came)."""
    if not is_public_holiday(country, day):
        return None
    assert country is not None
    return holidays.country_holidays(country, years=day.year).get(day)


def between(country: str | None, first: date, last: date) -> list[date]:
    """Public holidays from `first` to `last`, both included, in order."""
    if country is None or last < first:
        return []
    found: set[date] = set()
    for year in range(first.year, last.year + 1):
        found |= {d for d in _of_year(country, year) if first <= d <= last}
    return sorted(found)
