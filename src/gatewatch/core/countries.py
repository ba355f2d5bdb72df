"""Countries as written on documents: ISO 3166 alpha-2 or alpha-3 name the same country."""

from __future__ import annotations

from functools import lru_cache

MRZ_ONLY = {"D": "DEU"}
"""Codes that appear only in machine-readable zones (ICAO 9303: Germany is ``D``)."""


@lru_cache(maxsize=4096)
def country_key(code: str) -> str:
    """One key per country: ``BE`` and ``BEL`` give the same key; unknown codes stay as given."""
    from rigour.territories import get_territory  # loaded on first use (the server starts faster)

    cleaned = code.strip().upper().replace("<", "")
    cleaned = MRZ_ONLY.get(cleaned, cleaned)
    territory = get_territory(cleaned)
    return territory.code.upper() if territory is not None else cleaned


def same_country(a: str, b: str) -> bool:
    return country_key(a) == country_key(b)
